"""The layout in real Sphinx builds: navigation order and titles, links, warnings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers.sidebar import global_toc
from helpers.trees import write_tree
from sphinx.testing.util import SphinxTestApp

EXPECTED_NAV = [
    (1, "Getting started", "1-getting-started/README"),
    (2, "Quick start", "1-getting-started/1-quick-start/1-overview"),
    (3, "Local Setup", "1-getting-started/1-quick-start/2-local-setup"),
    (2, "Installation", "1-getting-started/2-installation"),
    (1, "Dev", "2-development/README"),
    (2, "Branching", "2-development/01-branching"),
    (1, "Guides", "3-guides/index"),
    (2, "Writing a page", "3-guides/1-writing"),
    (2, "Reviewing", "3-guides/2-reviewing"),
    (1, "Reference", "10-reference/README"),
    (2, "API", "10-reference/1-api"),
    (1, "Scratchpads", "scratchpads/notes"),
]


def strip_colors(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def warnings_of(app: SphinxTestApp) -> list[str]:
    """Warnings as 'relative/path:line: message [subtype]' lines."""
    text = strip_colors(app.warning.getvalue()).replace(str(app.srcdir) + "/", "")
    return [line.replace("WARNING: ", "") for line in text.splitlines() if line.strip()]


FURO = {"html_theme": "furo"}


@pytest.mark.sphinx("html", testroot="layout-basic", confoverrides=FURO)
def test_navigation_follows_numbers(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app) == []
    outdir = Path(app.outdir)
    # Every page shows the whole navigation in the same order (2 before 10, pages among
    # chapters, zero-padded numbers, index.md and README.rst as index pages, extras last).
    assert global_toc(outdir, "3-guides/2-reviewing") == EXPECTED_NAV
    assert global_toc(outdir, "README") == EXPECTED_NAV
    assert app.config.root_doc == "README"


@pytest.mark.sphinx("html", testroot="layout-basic", confoverrides=FURO)
def test_contents_directive_and_plain_name_links(app: SphinxTestApp) -> None:
    app.build()
    outdir = Path(app.outdir)
    soup = BeautifulSoup((outdir / "README.html").read_text(), "html.parser")
    items = soup.select("ul.mosaic-contents > li")
    assert [li.p.get_text(strip=True) for li in items] == [
        "Getting started",
        "Dev",
        "Guides",
        "Reference",
        "Scratchpads",
    ]
    assert [a["href"] for a in soup.select("ul.mosaic-contents > li > p > a")] == [
        "1-getting-started/README.html",
        "2-development/README.html",
        "3-guides/index.html",
        "10-reference/README.html",
        "scratchpads/notes.html",
    ]
    # The description is the first paragraph of each index page.
    assert items[0].find_all("p")[1].get_text() == "Start here."
    writing = BeautifulSoup((outdir / "3-guides/1-writing.html").read_text(), "html.parser")
    links = {a.get_text(): a["href"] for a in writing.select("article a.reference")}
    assert links["Local Setup"] == "../1-getting-started/1-quick-start/2-local-setup.html"
    assert links["the API"] == "../10-reference/1-api.html"


@pytest.mark.sphinx(
    "html",
    testroot="layout-basic",
    srcdir="layout-basic-show-contents",
    confoverrides={**FURO, "mosaic_show_contents": True},
)
def test_show_contents_renders_generated_toctree(app: SphinxTestApp) -> None:
    app.build()
    soup = BeautifulSoup((Path(app.outdir) / "3-guides/index.html").read_text(), "html.parser")
    visible = soup.select("article .mosaic-toctree a")
    assert [a.get_text() for a in visible] == ["Writing a page", "Reviewing"]


@pytest.mark.sphinx(
    "html",
    testroot="layout-basic",
    srcdir="layout-basic-hidden",
    confoverrides={**FURO, "mosaic_unnumbered_folders": "hidden"},
)
def test_hidden_extras_are_built_but_not_in_navigation(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app) == []
    outdir = Path(app.outdir)
    assert (outdir / "scratchpads/notes.html").is_file()
    assert global_toc(outdir, "README") == EXPECTED_NAV[:-1]


@pytest.mark.sphinx(
    "html",
    testroot="layout-basic",
    srcdir="layout-basic-drop",
    confoverrides={"mosaic_unnumbered_folders": "drop"},
)
def test_dropped_extras_are_not_built(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app) == []
    assert not (Path(app.outdir) / "scratchpads/notes.html").exists()


@pytest.mark.sphinx("html", testroot="layout-broken", confoverrides=FURO)
def test_structure_warnings(app: SphinxTestApp) -> None:
    app.build()
    assert sorted(warnings_of(app)) == sorted(
        [
            "1-book/1-first.md: number 1 is used by '1-book/1-also-first.md', "
            "'1-book/1-first.md' in '1-book'; they are ordered by name (renumber one of them) "
            "[mosaic.duplicate-number]",
            "1-book/3-bad-front-matter.md:2: malformed front matter: expected ',' or ']', but "
            "got '<stream end>'; the page gets nothing from its front matter (no status, title "
            "or audience) until it is fixed [mosaic.front-matter]",
            # MyST does not report it again: the guard blanks front matter we refused.
            "1-book/2-chapter/2-deeper/1-deep.md: folder '1-book/2-chapter/2-deeper' is nested "
            "deeper than book > chapter; BookStack output flattens its pages into the enclosing "
            "chapter [mosaic.too-deep]",
            "1-book/loose.md: '1-book/loose.md' has no number inside book '1-book'; it is placed "
            "after the numbered entries (name it '{N}-...' to order it) [mosaic.unnumbered]",
            "2-empty/README.md: book '2-empty' has no pages besides its index [mosaic.empty-book]",
            "3-outside.md: page '3-outside.md' is outside every book; move it into a book "
            "folder [mosaic.outside-book]",
            "1-book/loose.md:5: code block without a language; name one (```python, ```text "
            "for plain text) [mosaic.code-language]",
            "1-book/2-chapter/4-same.md: number-free name 'book/chapter/same' fits "
            "1-book/2-chapter/3-same, 1-book/2-chapter/4-same; link to one by its full docname, "
            "or rename one of them [mosaic.ambiguous-name]",
        ]
    )
    # Nothing is lost: every page is built and in the navigation, deep pages nested.
    nav = global_toc(Path(app.outdir), "README")
    # The index-less folder is represented by its first page, titled from the folder.
    assert (3, "Deeper", "1-book/2-chapter/2-deeper/1-deep") in nav
    assert [title for depth, title, _ in nav if depth == 2] == [
        "Also first",
        "First",
        "Chapter",
        "Bad front matter",
        "Loose",
    ]


@pytest.mark.sphinx(
    "html",
    testroot="layout-broken",
    srcdir="layout-broken-suppressed",
    confoverrides={
        "suppress_warnings": ["mosaic.duplicate-number", "mosaic.too-deep", "mosaic.unnumbered"]
    },
)
def test_structure_warnings_are_suppressible(app: SphinxTestApp) -> None:
    app.build()
    subtypes = sorted(re.findall(r"\[(mosaic\.[a-z-]+)\]", strip_colors(app.warning.getvalue())))
    assert subtypes == [
        "mosaic.ambiguous-name",
        "mosaic.code-language",
        "mosaic.empty-book",
        "mosaic.front-matter",
        "mosaic.outside-book",
    ]


@pytest.mark.sphinx("html", testroot="layout-handwritten", confoverrides=FURO)
def test_handwritten_toctree_is_kept_and_checked(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app) == [
        "1-book/README.md:3: the toctree of '1-book/README' misses layout pages: 1-book/2-second; "
        "they are added after it (list them, or remove the toctree to let sphinx-mosaic generate "
        "it) [mosaic.toctree]",
        "1-book/README.md:3: the toctree of '1-book/README' lists layout pages out of number "
        "order; the layout order is: 1-book/1-first, 1-book/2-second, 1-book/3-third "
        "[mosaic.toctree]",
    ]
    # The hand-written order is kept; the missing page follows it.
    assert [title for _, title, _ in global_toc(Path(app.outdir), "README")] == [
        "Book",
        "Third",
        "First",
        "Second",
    ]


@pytest.mark.sphinx("html", testroot="layout-plain", confoverrides=FURO)
def test_project_without_numbered_folders_is_left_alone(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app) == []
    assert app.config.root_doc == "index"
    assert [title for _, title, _ in global_toc(Path(app.outdir), "index")] == ["B", "A"]


def _older_tree(root: Path) -> Path:
    """An older tree: no numbered top-level folder, numbered pages below unnumbered ones."""
    pages = {
        "index.md": "# Team docs\n",
        "engineering/getting-started/README.md": "# Getting started\n",
        "engineering/getting-started/02-tools.md": "# Tools\n",
        "engineering/getting-started/01-setup.md": "# Setup\n",
        "scratch/todo.md": "# Todo\n",
    }
    write_tree(root, pages)
    (root / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_mosaic"]\nhtml_theme = "furo"\n', encoding="utf-8"
    )
    return root


@pytest.mark.parametrize("extras", ["after", "drop"])
def test_unnumbered_folder_with_numbered_pages_is_a_book(
    make_app: type[SphinxTestApp], tmp_path: Path, extras: str
) -> None:
    src = _older_tree(tmp_path / "src")
    app = make_app("html", srcdir=src, confoverrides={"mosaic_unnumbered_folders": extras})
    app.build()
    assert warnings_of(app) == [
        "engineering/getting-started/README.md: folder 'engineering' has no number but holds "
        "numbered pages, so it is a book (after the numbered books, by name); number it to "
        "place it ('1-engineering'), or set mosaic_unnumbered_books = \"never\" to keep "
        "unnumbered folders out of the books [mosaic.unnumbered-book]"
    ]
    # The book has no index: its one chapter's index stands for it (as for numbered books).
    book = [
        (1, "Engineering", "engineering/getting-started/README"),
        (2, "Setup", "engineering/getting-started/01-setup"),
        (2, "Tools", "engineering/getting-started/02-tools"),
    ]
    extra = [(1, "Scratch", "scratch/todo")] if extras == "after" else []
    assert global_toc(Path(app.outdir), "index") == book + extra
    assert (Path(app.outdir) / "scratch/todo.html").exists() == (extras == "after")
