"""Fuzzing the plain parsers behind front matter, titles, names and steps.

These run without Sphinx, thousands of inputs in seconds, so they reach what
the build fuzzers (a few hundred builds) rarely draw: every YAML trap in every
position, and arbitrary text for the title, name and step grammars.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.fuzz_strategies import (
    MULTI_LINE_TEXT,
    PYYAML_TAG_TRAPS,
    VALUES,
    YAML_TRAPS,
    yaml_front_matter,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_mosaic.layout.model import build_layout
from sphinx_mosaic.layout.resolve import NameResolver
from sphinx_mosaic.layout.sources import (
    SourceInfo,
    markdown_heading,
    parse_front_matter,
    read_source,
    rst_heading,
    split_front_matter,
)
from sphinx_mosaic.paths.model import parse_step
from sphinx_mosaic.status.last_updated import parse_date
from sphinx_mosaic.status.vocabulary import Vocabulary

PURE = settings(max_examples=300, deadline=None, derandomize=True, database=None)

#: A front matter block: generated, or text made of traps, keys and YAML syntax.
BLOCKS = st.one_of(
    yaml_front_matter(),
    st.lists(
        st.one_of(
            st.sampled_from([*YAML_TRAPS, *PYYAML_TAG_TRAPS]),
            VALUES,
            st.sampled_from(["title: ", "status: ", "- ", "  ", ": ", "\n", "---\n", "&a ", "*a"]),
        ),
        max_size=8,
    ).map("".join),
)


@PURE
@given(block=BLOCKS)
def test_front_matter_parses_or_reports_a_line(block: str) -> None:
    data, error = parse_front_matter(block)
    assert isinstance(data, dict)
    assert all(isinstance(key, str) for key in data)
    if error is not None:
        line, message = error
        assert data == {}
        assert line >= 1
        assert message.startswith(("malformed front matter", "front matter must be"))
    # Whatever is kept can be used as text (titles are).
    for value in data.values():
        str(value).encode("utf-8")


@PURE
@given(text=MULTI_LINE_TEXT, block=BLOCKS, closing=st.sampled_from(["---", "...", "", "---x"]))
def test_front_matter_split_keeps_the_body(text: str, block: str, closing: str) -> None:
    source = f"---\n{block}\n{closing}\n{text}"
    found, body, first_line = split_front_matter(source)
    assert source.endswith(body)
    if found is None:
        assert (body, first_line) == (source, 1)
    else:
        consumed = source[: len(source) - len(body)]
        assert first_line == len(consumed.splitlines()) + 1


@PURE
@given(text=MULTI_LINE_TEXT)
def test_headings_are_one_line_or_none(text: str) -> None:
    for heading in (markdown_heading(text), rst_heading(text)):
        assert heading is None or (heading and "\n" not in heading)


@pytest.fixture(scope="module")
def source_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-sources")


@PURE
@given(
    content=st.one_of(st.binary(max_size=300), MULTI_LINE_TEXT.map(str.encode)),
    suffix=st.sampled_from([".md", ".rst"]),
)
def test_any_file_reads_without_raising(source_dir: Path, content: bytes, suffix: str) -> None:
    path = source_dir / f"page{suffix}"
    path.write_bytes(content)
    info = read_source(path)
    assert info.heading is None or "\n" not in info.heading
    assert isinstance(info.front_matter, dict)


DOCNAMES = ["README", "1-getting-started/README", "1-getting-started/1-overview", "notes"]
RESOLVER = NameResolver(
    DOCNAMES, build_layout([f"{doc}.md" for doc in DOCNAMES], lambda source: SourceInfo())
)


@PURE
@given(refdoc=st.sampled_from(["README", "1-getting-started/2-x", "a/b/c"]), target=VALUES)
def test_number_free_names_resolve_to_a_known_docname_or_none(refdoc: str, target: str) -> None:
    assert RESOLVER.resolve(target, refdoc) in (None, *DOCNAMES)
    folder = RESOLVER.folder(target, refdoc)
    assert folder is None or folder.host in DOCNAMES


@PURE
@given(text=MULTI_LINE_TEXT, line=st.integers(min_value=1, max_value=10**6))
def test_any_step_line_parses(text: str, line: int) -> None:
    step = parse_step(text, line)
    if step is not None:
        assert step.line == line
        assert step.target is None or step.target.strip()


@PURE
@given(value=VALUES)
def test_any_status_or_date_spelling_resolves_or_not(value: str) -> None:
    vocabulary = Vocabulary()
    assert vocabulary.resolve(value) in (None, *(kind.key for kind in vocabulary))
    parsed = parse_date(value)
    assert parsed is None or value.strip()[:10] == parsed.isoformat()
