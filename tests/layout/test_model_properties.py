"""Property-based tests of the layout model: any tree of names, no exception, one place each.

Random trees mix numbered and unnumbered names, duplicated, huge, zero and
zero-padded numbers, negative-looking names, unicode and emoji, names that
differ only by case, and deep nesting.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_mosaic.layout.model import Folder, Layout, Page, build_layout
from sphinx_mosaic.layout.sources import SourceInfo

WORDS = st.sampled_from(
    ["intro", "Intro", "setup", "a", "ß", "über", "🚀-launch", "日本", "x y", "-1", "v2.0", ""]
)
NUMBERS = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=12),
    st.sampled_from([10**30, 7]),
)
PADDING = st.sampled_from(["", "0", "00"])
SEPARATORS = st.sampled_from(["-", "_"])


@st.composite
def names(draw: st.DrawFn) -> str:
    number = draw(NUMBERS)
    word = draw(WORDS) or "page"
    if number is None:
        return word
    return f"{draw(PADDING)}{number}{draw(SEPARATORS)}{word}"


@st.composite
def source_paths(draw: st.DrawFn) -> list[str]:
    paths: set[str] = set()
    for _ in range(draw(st.integers(min_value=0, max_value=25))):
        depth = draw(st.integers(min_value=0, max_value=5))
        folders = [draw(names()) for _ in range(depth)]
        stem = draw(st.one_of(names(), st.sampled_from(["README", "index"])))
        suffix = draw(st.sampled_from([".md", ".rst"]))
        paths.add(str(PurePosixPath(*folders, stem + suffix)))
    return sorted(paths)


def reader(source: str) -> SourceInfo:
    return SourceInfo(heading=PurePosixPath(source).stem.title())


def placed_docnames(layout: Layout) -> list[str]:
    return [page.docname for page in layout.pages()]


def shape(folder: Folder) -> list[object]:
    return [
        (c.kind, c.docname if isinstance(c, Page) else c.path, c.title)
        if isinstance(c, Page)
        else (c.kind, c.path, c.title, shape(c))
        for c in folder.children
    ]


@settings(max_examples=300, deadline=None)
@given(source_paths(), st.sampled_from(["after", "hidden", "drop", "books"]), st.booleans())
def test_any_tree_places_every_document_once(
    sources: list[str], unnumbered: str, strip: bool
) -> None:
    layout = build_layout(sources, reader, unnumbered=unnumbered, strip_title_numbers=strip)  # type: ignore[arg-type]
    placed = placed_docnames(layout)
    # Every document is placed exactly once (a.md and a.rst share one docname).
    expected = sorted({str(PurePosixPath(s).with_suffix("")) for s in sources})
    assert sorted(placed) == expected
    assert len(placed) == len(set(placed))
    # Navigation never lists a page twice, and every entry is a placed page.
    entries = [ref for refs in layout.toctrees().values() for _, ref in refs]
    assert len(entries) == len(set(entries))
    assert set(entries) <= set(placed)
    # Names and serialisation never fail.
    layout.plain_names()
    layout.to_dict()


@settings(max_examples=150, deadline=None)
@given(source_paths(), st.randoms(use_true_random=False))
def test_order_does_not_depend_on_input_order(sources: list[str], random: object) -> None:
    shuffled = list(sources)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    first = build_layout(sources, reader)
    second = build_layout(shuffled, reader)
    assert shape(first.root) == shape(second.root)
    assert first.toctrees() == second.toctrees()
    assert [issue.message for issue in first.issues] == [issue.message for issue in second.issues]


@settings(max_examples=150, deadline=None)
@given(source_paths())
def test_numbered_siblings_are_in_number_order(sources: list[str]) -> None:
    layout = build_layout(sources, reader)
    for folder in layout.folders():
        numbers = [child.number for child in folder.children if child.number is not None]
        assert numbers == sorted(numbers)
        # Unnumbered entries come after all numbered ones.
        kinds = [child.number is None for child in folder.children]
        assert kinds == sorted(kinds)
