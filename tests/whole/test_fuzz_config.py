"""Fuzzing ``mosaic_status_vocabulary``: any value is accepted or refused, never a crash.

A value from ``conf.py`` can be anything Python can write.  The option's check
must return a message for a bad value (the build warns ``mosaic.config`` and
uses the default) and never raise; a value it accepts must give a vocabulary
the badges, the roll-up and the resolver can use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from helpers.fuzz_project import MYST_PAGE, RST_PAGE, SENTINEL, FuzzProject, check, fuzz_settings
from helpers.fuzz_strategies import VALUES
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_mosaic.status.vocabulary import ROLLUP_KEYS, SHAPES, _check, build_vocabulary

FIELDS = ["label", "colour", "color", "emoji", "weight", "shape", "aliases", "unknown"]

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([10**400, -(10**30), 0.5, 1.0000001]),
    st.floats(allow_nan=True, allow_infinity=True),
    VALUES,
    st.sampled_from(["green", "#00ff00", "#0f0", "full", "dashed", "-", "\ufe0f", "🟢", ""]),
)
ANY = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.tuples(children),
        st.dictionaries(st.one_of(VALUES, st.integers()), children, max_size=3),
    ),
    max_leaves=6,
)
STATUS_FIELDS = st.dictionaries(st.sampled_from(FIELDS), ANY, max_size=4)
STATUS_KEYS = st.one_of(
    st.sampled_from(["complete", "partial", "planned", "not-started", "review", "", " - "]),
    VALUES,
    st.integers(),
)
VOCABULARIES = st.one_of(
    ANY, st.dictionaries(STATUS_KEYS, st.one_of(st.none(), STATUS_FIELDS, ANY), max_size=4)
)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(value=VOCABULARIES)
def test_status_vocabulary_check_refuses_or_accepts_without_raising(value: Any) -> None:
    problem = _check(value)
    if problem is not None:
        assert isinstance(problem, str) and problem
        return
    vocabulary = build_vocabulary(value)
    keys = [kind.key for kind in vocabulary]
    assert set(ROLLUP_KEYS) <= set(keys)
    for kind in vocabulary:
        assert kind.key and kind.label.strip()
        assert re.fullmatch(r"#[0-9a-f]{6}", kind.hex_colour)
        assert kind.shape in SHAPES
        assert 0.0 <= kind.weight <= 1.0
        assert vocabulary.resolve(kind.key) is not None
    # Nothing makes an empty status mean one of the vocabulary.
    assert vocabulary.resolve("") is None
    assert vocabulary.resolve("\ufe0f") is None


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzProject]:
    yield FuzzProject(tmp_path_factory.mktemp("fuzz-config"))


@pytest.mark.parametrize("builder", ["text"])
def test_builds_with_a_hostile_vocabulary(project: FuzzProject, builder: str) -> None:
    """The whole build with the value in conf.py: a warning, the default, no crash."""

    @fuzz_settings(builder)
    @given(vocabulary=VOCABULARIES, status=VALUES)
    def run(vocabulary: Any, status: str) -> None:
        page = f"---\nstatus: {status!r}\n---\n# Page\n\n{SENTINEL} {{status}}`partial`\n"
        rst = f"Rst page\n========\n\n{SENTINEL} :status:`{status}`\n"
        check(
            project,
            {MYST_PAGE: page, RST_PAGE: rst},
            builder,
            confoverrides={"mosaic_status_vocabulary": vocabulary},
        )

    run()
