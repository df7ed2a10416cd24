"""The one name resolver: every form a writer uses to name a page or a folder."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from sphinx_mosaic.layout.model import build_layout
from sphinx_mosaic.layout.resolve import NameResolver, resolver_for
from sphinx_mosaic.layout.sources import SourceInfo

DOCS = [
    "README",
    "notes",
    "1-guide/README",
    "1-guide/1-colors",
    "1-guide/2-fonts",
    "1-guide/3-basics/1-intro",
    "1-guide/3-basics/2-colors",
    "2-other/README",
    "2-other/1-fonts",
    "scratchpads/ideas",
]


@pytest.fixture(scope="module")
def resolver() -> NameResolver:
    layout = build_layout([f"{doc}.md" for doc in DOCS], lambda source: SourceInfo())
    return NameResolver(DOCS, layout, [".md", ".rst"])


@pytest.mark.parametrize(
    ("name", "fromdoc", "expected"),
    [
        # relative to the page's folder first (the cases, from 1-guide/README)
        ("colors", "1-guide/README", "1-guide/1-colors"),
        ("./fonts", "1-guide/README", "1-guide/2-fonts"),
        ("fonts.md", "1-guide/README", "1-guide/2-fonts"),
        ("2-fonts.md", "1-guide/README", "1-guide/2-fonts"),
        ("2-fonts", "1-guide/1-colors", "1-guide/2-fonts"),
        # relative wins over the shelf: "fonts" is also 2-other's... no: "other/fonts"
        ("colors", "1-guide/3-basics/1-intro", "1-guide/3-basics/2-colors"),
        ("../colors", "1-guide/3-basics/1-intro", "1-guide/1-colors"),
        ("../2-fonts.rst", "1-guide/3-basics/1-intro", "1-guide/2-fonts"),
        ("basics/intro", "1-guide/README", "1-guide/3-basics/1-intro"),
        # then from the shelf
        ("guide/colors", "1-guide/README", "1-guide/1-colors"),
        ("other/fonts", "1-guide/1-colors", "2-other/1-fonts"),
        ("notes", "1-guide/3-basics/1-intro", "notes"),
        # absolute: the shelf only
        ("/guide/colors", "2-other/1-fonts", "1-guide/1-colors"),
        ("/1-guide/2-fonts", "2-other/1-fonts", "1-guide/2-fonts"),
        ("/colors", "1-guide/README", None),
        # numbered and number-free parts mixed
        ("1-guide/fonts", "README", "1-guide/2-fonts"),
        ("guide/2-fonts", "README", "1-guide/2-fonts"),
        # folders: their index page (or first page); README names the folder too
        ("guide", "README", "1-guide/README"),
        ("1-guide/", "README", "1-guide/README"),
        ("guide/README", "README", "1-guide/README"),
        ("guide/basics", "README", "1-guide/3-basics/1-intro"),
        ("basics", "1-guide/1-colors", "1-guide/3-basics/1-intro"),
        # anchors, blanks, unknown names, escapes
        ("fonts#sizes", "1-guide/README", "1-guide/2-fonts"),
        ("  colors  ", "1-guide/README", "1-guide/1-colors"),
        ("", "README", None),
        ("#only-an-anchor", "README", None),
        ("no/such/page", "README", None),
        ("../../escape", "1-guide/README", None),
        (".md", "README", None),
    ],
)
def test_resolve(resolver: NameResolver, name: str, fromdoc: str, expected: str | None) -> None:
    assert resolver.resolve(name, fromdoc) == expected


@pytest.mark.parametrize(
    ("name", "fromdoc", "expected"),
    [
        ("", "1-guide/README", ""),
        ("/", "1-guide/README", ""),
        ("guide", "README", "1-guide"),
        ("1-guide", "README", "1-guide"),
        ("basics", "1-guide/README", "1-guide/3-basics"),
        ("guide/basics", "2-other/README", "1-guide/3-basics"),
        ("/other", "1-guide/README", "2-other"),
        ("guide/README", "README", "1-guide"),
        ("2-other/README.md", "README", "2-other"),
        ("scratchpads", "README", "scratchpads"),
        ("guide/colors", "README", None),  # a page, not a folder
        ("nowhere", "README", None),
    ],
)
def test_folder(resolver: NameResolver, name: str, fromdoc: str, expected: str | None) -> None:
    folder = resolver.folder(name, fromdoc)
    assert (folder.path if folder is not None else None) == expected


def test_a_name_two_pages_claim_reaches_neither() -> None:
    docs = ["README", "1-a/README", "1-a/1-x", "2-a/README", "2-a/1-x"]
    layout = build_layout([f"{doc}.md" for doc in docs], lambda source: SourceInfo())
    resolver = NameResolver(docs, layout)
    assert resolver.resolve("a/x", "README") is None
    assert resolver.folder("a", "README") is None
    assert resolver.resolve("1-a/x", "README") == "1-a/1-x"  # the full name still works
    assert resolver.resolve("x", "2-a/README") == "2-a/1-x"  # and so does a relative one


def test_without_the_layout_only_docnames_resolve() -> None:
    docs = ["index", "guide/colors", "guide/fonts"]
    resolver = NameResolver(docs, None, [".rst"])
    assert resolver.resolve("fonts.rst", "guide/colors") == "guide/fonts"
    assert resolver.resolve("guide/colors", "guide/fonts") == "guide/colors"
    assert resolver.resolve("colours", "guide/fonts") is None
    assert resolver.folder("guide", "index") is None


def test_the_build_resolver_knows_only_documents_read() -> None:
    """One factory for every caller: a source found but not read (it failed to parse) is
    no target, and before reading starts the documents found are.  (With the layout, the
    model's own pages resolve too; this project has none.)"""
    env = SimpleNamespace(
        found_docs={"index", "a", "b"},
        all_docs={"index": 0.0, "a": 0.0},
        config=SimpleNamespace(source_suffix={".rst": "restructuredtext"}),
    )
    resolver = resolver_for(env)  # type: ignore[arg-type]
    assert resolver.resolve("a.rst", "index") == "a"
    assert resolver.resolve("b", "index") is None
    env.all_docs = {}
    assert resolver_for(env).resolve("b", "index") == "b"  # type: ignore[arg-type]
