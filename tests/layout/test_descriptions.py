"""A page's description: one rule for the contents lists and the BookStack output."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup
from helpers.build import build, read_book
from helpers.trees import write_tree

PROJECT = {
    "conf.py": 'extensions = ["myst_parser", "sphinx_mosaic"]\nproject = "Descriptions"\n',
    "README.md": "# Shelf\n\nWelcome.\n\n## Books\n\n```{mosaic-contents}\n```\n",
    # A status line (read-time chrome) above the first paragraph.
    "1-book/README.md": (
        "---\nstatus: complete\n---\n\n# Book\n\nThe introduction of the book.\n\n"
        "```{mosaic-contents}\n```\n"
    ),
    # No introduction: its first paragraph is under a sub-section heading.
    "1-book/1-chapter/README.md": "# Chapter\n\n## Details\n\nA paragraph of the details.\n",
    "1-book/1-chapter/1-page.md": "# Page\n\nText.\n",
    # A note before the introduction.
    "1-book/2-other/README.md": (
        "# Other\n\n```{note}\nA note first.\n```\n\nThe other introduction.\n"
    ),
    "1-book/2-other/1-page.md": "# Page\n\nText.\n",
}


def _contents(html: Path) -> dict[str, str]:
    """Entry title -> the description the contents list shows ("" for none)."""
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    shown = {}
    for item in soup.select("ul.mosaic-contents > li"):
        paragraphs = item.find_all("p", recursive=False)
        text = paragraphs[1].get_text() if len(paragraphs) > 1 else ""
        shown[paragraphs[0].get_text()] = " ".join(text.split())
    return shown


def test_contents_lists_show_the_description_bookstack_gives(tmp_path: Path) -> None:
    srcdir = write_tree(tmp_path / "src", PROJECT)
    html, _warnings = build(srcdir, tmp_path / "html", "html")
    shown = _contents(html / "1-book" / "README.html") | _contents(html / "README.html")
    assert shown == {
        "Book": "The introduction of the book.",
        # A sub-section's paragraph does not introduce the page: no description.
        "Chapter": "",
        "Other": "The other introduction.",
    }
    outdir, _warnings = build(srcdir, tmp_path / "bookstack")
    book = read_book(outdir / "books" / "1-book.zip")
    described = {book["book"]["name"]: book["book"].get("description_html", "")}
    described |= {c["name"]: c.get("description_html", "") for c in book["book"]["chapters"]}
    # The same text, as BookStack's description HTML.
    assert {name: re.sub(r"<[^>]+>", "", html) for name, html in described.items()} == shown


def test_chrome_is_never_the_description() -> None:
    """The status line is added while the page is read, above its first paragraph;
    whichever of the two collectors runs first, it is not the description."""
    from docutils import nodes
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    from sphinx_mosaic.chrome import first_paragraph

    document = new_document("page", get_default_settings(Parser))
    section = nodes.section("", nodes.title(text="Page"))
    section += nodes.paragraph(text="complete", classes=["mosaic-status-line"])
    section += nodes.paragraph(text="The introduction.")
    document += section
    paragraph = first_paragraph(document)
    assert paragraph is not None and paragraph.astext() == "The introduction."
