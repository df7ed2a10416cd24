"""The path model without Sphinx: step grammar, target resolution, neighbours."""

from __future__ import annotations

import pytest

from sphinx_mosaic.layout.model import build_layout
from sphinx_mosaic.layout.resolve import NameResolver
from sphinx_mosaic.layout.sources import SourceInfo
from sphinx_mosaic.paths.model import (
    ResolvedPath,
    ResolvedStep,
    Step,
    normalize_audience,
    parse_step,
)
from sphinx_mosaic.paths.view import parse_audiences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("getting-started/quick-start", Step("getting-started/quick-start", None, None, 7)),
        ("1. getting-started/quick-start", Step("getting-started/quick-start", None, None, 7)),
        ("- a/b", Step("a/b", None, None, 7)),
        ("Local Setup <a/local-setup.md>", Step("a/local-setup.md", "Local Setup", None, 7)),
        ("2) Setup <a/b> -- ten minutes", Step("a/b", "Setup", "ten minutes", 7)),
        ("a/b -- note -- with dashes", Step("a/b", None, "note -- with dashes", 7)),
        ("planned: Authentication Flow", Step(None, "Authentication Flow", None, 7)),
        ("Planned:Auth", Step(None, "Auth", None, 7)),
        ("3. Authentication Flow (to be added)", Step(None, "Authentication Flow", None, 7)),
        ("System Overview (planned) -- later", Step(None, "System Overview", "later", 7)),
        ("to be added: Roadmap", Step(None, "Roadmap", None, 7)),
    ],
)
def test_parse_step(text: str, expected: Step) -> None:
    assert parse_step(text, 7) == expected


@pytest.mark.parametrize("text", ["", "   ", "1. ", "-  "])
def test_blank_lines_are_no_steps(text: str) -> None:
    assert parse_step(text, 1) is None


def test_planned_step_has_no_target() -> None:
    step = parse_step("planned: Later", 3)
    assert step is not None and step.planned and step.target is None
    other = parse_step("later", 3)
    assert other is not None and not other.planned


@pytest.fixture
def resolver() -> NameResolver:
    """Path steps are read by the one name resolver (tests/layout/test_resolve.py)."""
    docs = [
        "README",
        "1-start/README",
        "1-start/1-quick-start",
        "1-start/2-local-setup",
        "2-dev/1-branching",
        "notes",
    ]
    layout = build_layout([f"{doc}.md" for doc in docs], lambda source: SourceInfo())
    return NameResolver(docs, layout, [".md", ".rst"])


@pytest.mark.parametrize(
    ("target", "fromdoc", "expected"),
    [
        ("1-start/1-quick-start", "README", "1-start/1-quick-start"),  # docname
        ("/1-start/1-quick-start", "2-dev/1-branching", "1-start/1-quick-start"),  # absolute
        ("1-start/1-quick-start.md", "README", "1-start/1-quick-start"),  # source path
        ("start/quick-start", "README", "1-start/1-quick-start"),  # number-free
        ("2-local-setup", "1-start/1-quick-start", "1-start/2-local-setup"),  # relative
        ("local-setup", "1-start/1-quick-start", "1-start/2-local-setup"),  # relative, plain
        ("../2-dev/1-branching.rst", "1-start/README", "2-dev/1-branching"),
        ("2-dev/", "README", "2-dev/1-branching"),  # a folder: its host page
        ("dev", "README", "2-dev/1-branching"),
        ("start/quick-start#section", "README", "1-start/1-quick-start"),
        ("notes", "1-start/README", "notes"),  # falls back to the root
        ("no/such/page", "README", None),
        ("../../escape", "1-start/README", None),
        ("", "README", None),
    ],
)
def test_resolve_target(
    resolver: NameResolver, target: str, fromdoc: str, expected: str | None
) -> None:
    assert resolver.resolve(target, fromdoc) == expected


def _step(number: int, docname: str | None, planned: bool = False) -> ResolvedStep:
    return ResolvedStep(number, docname, f"S{number}", None, planned)


def test_neighbours_skip_planned_and_unknown_steps() -> None:
    path = ResolvedPath(
        "p",
        "P",
        "",
        ("p",),
        "README",
        "path-p",
        (_step(1, "a"), _step(2, None, planned=True), _step(3, "b"), _step(4, None), _step(5, "c")),
    )
    assert path.position("b") == 2
    previous, following = path.neighbours(2)
    assert (previous and previous.docname, following and following.docname) == ("a", "c")
    assert path.neighbours(0) == (None, path.steps[2])
    assert path.neighbours(4) == (path.steps[2], None)
    assert path.members == frozenset({"a", "b", "c"})
    assert path.position("zzz") is None


def test_position_is_the_first_occurrence() -> None:
    path = ResolvedPath(
        "p", "P", "", ("p",), "R", "a", (_step(1, "a"), _step(2, "a"), _step(3, "b"))
    )
    assert path.position("a") == 0
    # A repeat of the current page is no neighbour.
    assert path.neighbours(0) == (None, path.steps[2])
    previous, following = path.neighbours(2)
    assert (previous and previous.docname, following) == ("a", None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("new-users", ("new-users",)),
        ("New Users", ("new-users",)),
        ('["new-users", "developers"]', ("new-users", "developers")),  # MyST stringifies lists
        ("new_users, Developers", ("new-users", "developers")),
        (["a", "a", "b"], ("a", "b")),
        (None, ()),
        ("", ()),
        ("[broken", ("broken",)),
    ],
)
def test_parse_audiences(value: object, expected: tuple[str, ...]) -> None:
    assert parse_audiences(value) == expected


def test_normalize_audience() -> None:
    assert normalize_audience("  API  Consumers ") == "api-consumers"
