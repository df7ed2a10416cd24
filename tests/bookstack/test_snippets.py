"""Each translation rule on a snippet: a small MyST or reST input and the BookStack page HTML it
gives, side by side in ``tests/bookstack/snippets/`` (``callouts.md`` -> ``callouts.html``).

All snippets are pages of one book, built once for the module: a snippet is one page, its
expected HTML exactly what the book's ZIP holds for it (``data.json``'s ``html``, with the
``bkmrk-`` ids and the ``[[bsexport:...]]`` references BookStack resolves on import).  The user
guide's "What readers see" page shows some of them with ``literalinclude``, so the page shows
what the builder writes.

After an intended change of the output, rewrite the expected files and read the diff::

    python -m pytest tests/bookstack/test_snippets.py --force-regen

A new snippet is a new ``.md`` or ``.rst`` file here (its first heading is the page's name);
the first run writes its ``.html`` and fails once, asking for a look at it.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from helpers.build import all_pages, build, read_book
from helpers.zip_checker import check_package

SNIPPETS = Path(__file__).parent / "snippets"
SOURCES = sorted(path for path in SNIPPETS.iterdir() if path.suffix in {".md", ".rst"})
CONF = """\
extensions = ["myst_parser", "sphinx_mosaic", "sphinx_design"]
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath"]
project = "Snippets"
mosaic_page_footer = False
mosaic_last_updated_sources = []
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The snippets as the pages of one book, in file-name order (``1-callouts.md``, ...), the
    other files of the folder (images) beside them; the ZIP and the warnings."""
    tmp = tmp_path_factory.mktemp("snippets")
    book = tmp / "src" / "1-snippets"
    book.mkdir(parents=True)
    (tmp / "src" / "conf.py").write_text(CONF, encoding="utf-8")
    (tmp / "src" / "README.md").write_text("# Snippets\n\nThe shelf.\n", encoding="utf-8")
    (book / "README.md").write_text("# The book\n\nOne page a snippet.\n", encoding="utf-8")
    for number, source in enumerate(SOURCES, start=1):
        shutil.copyfile(source, book / f"{number}-{source.name}")
    for other in SNIPPETS.iterdir():
        if other.suffix not in {".md", ".rst", ".html"}:
            shutil.copyfile(other, book / other.name)
    outdir, warnings = build(tmp / "src", tmp / "_build")
    return outdir / "books" / "1-snippets.zip", warnings


@pytest.fixture(scope="module")
def pages(built: tuple[Path, str]) -> dict[str, dict[str, Any]]:
    """Each snippet's page in the ZIP, by the snippet's file name."""
    found = {}
    for page in all_pages(read_book(built[0])["book"]):
        (source,) = (tag["value"] for tag in page["tags"] if tag["name"] == "mosaic-source")
        found[Path(source).name.split("-", 1)[1]] = page
    return found


def test_the_snippets_build_without_warnings_into_a_valid_zip(
    built: tuple[Path, str], pages: dict[str, dict[str, Any]]
) -> None:
    zip_path, warnings = built
    assert warnings == ""
    assert check_package(zip_path) == []
    assert sorted(pages) == [source.name for source in SOURCES]


@pytest.mark.parametrize("source", SOURCES, ids=[source.name for source in SOURCES])
def test_snippet(source: Path, pages: dict[str, dict[str, Any]], file_regression: Any) -> None:
    file_regression.check(
        pages[source.name]["html"], fullpath=source.with_suffix(".html"), encoding="utf-8"
    )


def test_a_field_body_of_several_paragraphs_never_nests_paragraphs(
    pages: dict[str, dict[str, Any]],
) -> None:
    """Sphinx puts a field body of several paragraphs (``:param a:``, ``:returns:``) in
    the paragraph that holds the field's name: written as is, ``<p>`` inside ``<p>``."""
    soup = BeautifulSoup(pages["field-bodies.rst"]["html"], "html.parser")
    assert soup.select("p p") == []
    assert [p.get_text() for p in soup.select("dd p")] == [
        "a – The first.",
        "It has a second paragraph.",
        "and a list",
        "b – Plain.",
        "Something.",
        "Over two paragraphs.",
    ]
    # The label before the list inside the field still leads to it.
    assert soup.find("a", string="the list")["href"] == "#bkmrk-the-field"
    assert soup.select_one("#bkmrk-the-field").name == "ul"
