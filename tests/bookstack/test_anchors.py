"""Every anchor a BookStack link targets is an element of its page.

Sphinx moves a label's ids onto the element after it: ``.. _label:`` before
``.. py:function::`` (or a crossref type's target before an ``autofunction``)
puts them on the object description, which the BookStack output writes without
an element of its own; a label before an index page's first paragraph puts them
on the paragraph that becomes the book's or chapter's description.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from docutils import frontend, nodes
from docutils.utils import new_document
from helpers.build import all_pages, build, copy_root, read_book
from helpers.zip_checker import check_package

from sphinx_mosaic.bookstack.format.urls import bookstack_slug
from sphinx_mosaic.bookstack.translate.ids import PageAnchors

_ZIP_LINK = re.compile(r"^\[\[bsexport:(page|chapter|book):(\d+)\]\](?:#(.*))?$")
_URL_LINK = re.compile(r"^/books/([^/#]+)/page/([^/#]+)(?:#(.*))?$")


@pytest.fixture(scope="module")
def anchors_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("anchors")
    return build(copy_root("bookstack-anchors", tmp), tmp / "_build")


@pytest.fixture(scope="module")
def books(anchors_build: tuple[Path, str]) -> dict[str, dict[str, Any]]:
    outdir, _ = anchors_build
    return {path.stem: read_book(path)["book"] for path in sorted((outdir / "books").glob("*.zip"))}


def page_ids(page: dict[str, Any]) -> set[str]:
    soup = BeautifulSoup(page["html"], "html.parser")
    return {str(element["id"]) for element in soup.find_all(id=True)}


def links(page: dict[str, Any]) -> dict[str, str]:
    """Link text -> href."""
    soup = BeautifulSoup(page["html"], "html.parser")
    return {a.get_text(): str(a["href"]) for a in soup.find_all("a", href=True)}


def target_of(
    books: dict[str, dict[str, Any]], book: dict[str, Any], page: dict[str, Any], href: str
) -> tuple[str, dict[str, Any] | None, str]:
    """(kind, page or None, fragment) that *href* on *page* of *book* leads to."""
    if href.startswith("#"):
        return "page", page, href[1:]
    found = _ZIP_LINK.match(href)
    if found:
        kind, ident, fragment = found.group(1), int(found.group(2)), found.group(3) or ""
        if kind != "page":
            return kind, None, fragment
        return kind, next(p for p in all_pages(book) if p["id"] == ident), fragment
    found = _URL_LINK.match(href)
    assert found, f"unexpected link {href!r}"
    for other in books.values():
        if bookstack_slug(other["name"]) == found.group(1):
            for candidate in all_pages(other):
                if bookstack_slug(candidate["name"]) == found.group(2):
                    return "page", candidate, found.group(3) or ""
    raise AssertionError(f"{href!r} names no page of the build")


def test_every_fragment_names_an_element_of_its_page(
    anchors_build: tuple[Path, str], books: dict[str, dict[str, Any]]
) -> None:
    _, warnings = anchors_build
    assert warnings == ""
    checked = 0
    for book in books.values():
        for page in all_pages(book):
            for text, href in links(page).items():
                kind, target, fragment = target_of(books, book, page, href)
                if fragment:
                    assert target is not None, f"{text!r}: {href!r} has an anchor on a {kind}"
                    assert fragment in page_ids(target), (
                        f"{page['name']}: link {text!r} to {href!r}: no such id on "
                        f"{target['name']!r}"
                    )
                    checked += 1
    assert checked >= 8


def test_labels_before_descriptions_land_on_the_signature(
    books: dict[str, dict[str, Any]],
) -> None:
    api = next(page for page in all_pages(books["Anchors"]) if page["name"] == "API")
    soup = BeautifulSoup(api["html"], "html.parser")
    here = links(api)
    # The label before py:function, and the crossref type's target before autofunction:
    # the signature's own id.
    turn = soup.find(id=here["turn"][1:])
    assert turn is not None and turn.get_text() == "turn(angle)"
    spin = soup.find(id=here["speed"][1:])
    assert spin is not None and spin.get_text().startswith("widgets.spin(")
    # A signature without an id of its own (:no-index:) is written with the label's.
    hush = soup.find(id=here["hush"][1:])
    assert hush is not None and hush.get_text() == "hush()"


def test_labels_before_a_description_lead_to_its_book_or_chapter(
    books: dict[str, dict[str, Any]],
) -> None:
    guide = books["guide"]
    usage = next(page for page in all_pages(guide) if page["name"] == "Usage")
    here = links(usage)
    assert here["the guide"] == "[[bsexport:book:1]]"
    chapter = guide["chapters"][0]
    assert chapter["name"] == "Advanced"
    assert here["advanced use"] == f"[[bsexport:chapter:{chapter['id']}]]"


def test_links_within_a_page_never_lead_to_nothing(
    anchors_build: tuple[Path, str], books: dict[str, dict[str, Any]]
) -> None:
    api = next(page for page in all_pages(books["Anchors"]) if page["name"] == "API")
    soup = BeautifulSoup(api["html"], "html.parser")
    # A label on the page's title: the page's own URL, not "#" (the top of whatever page
    # the reader is on).
    top = soup.find("a", string="back to the top")
    assert top is not None and top["href"] == f"[[bsexport:page:{api['id']}]]"
    # A fragment that names nothing on the page: the text stays, without a link.
    lacking = soup.find("a", string="a heading this page lacks")
    assert lacking is not None and not lacking.get("href")
    for path in sorted((anchors_build[0] / "books").glob("*.zip")):
        assert check_package(path) == [], path.name


def test_labels_on_design_tabs_and_cards_land_on_their_labels_and_titles(
    books: dict[str, dict[str, Any]],
) -> None:
    # sphinx-design's tabs and cards are written without their containers; their labels
    # and titles are written by rules of their own, so the containers' ids go to the first
    # element written inside.
    design = next(page for page in all_pages(books["Anchors"]) if page["name"] == "Design")
    soup = BeautifulSoup(design["html"], "html.parser")
    here = links(design)
    for text, shown in (
        ("the tabs", "First tab"),
        ("the first tab", "First tab"),
        ("the card", "Card title"),
    ):
        target = soup.find(id=here[text][1:])
        assert target is not None and target.get_text() == shown, text
    usage = next(page for page in all_pages(books["guide"]) if page["name"] == "Usage")
    card = links(usage)["the card"]
    assert card.startswith("/books/anchors/page/design#")
    assert soup.find(id=card.partition("#")[2]).get_text() == "Card title"


def test_an_id_without_its_element_goes_to_the_next_element_written() -> None:
    document = new_document("page", frontend.get_default_settings())
    wrapper = nodes.container(ids=["wrapped"])
    wrapper += nodes.paragraph(text="inside")
    document += wrapper
    anchors = PageAnchors(document)
    body = ['<pre><code>the text id="fake" in code</code></pre>\n']
    anchors.opened(wrapper, body)
    # Written by rules of its own, without the wrapper's id:
    body += ['<p id="bkmrk-inside">inside</p>\n', '<p><a href="#bkmrk-wrapped">link</a></p>\n']
    anchors.settle(body)
    assert anchors.anchors["wrapped"] == "bkmrk-inside"
    assert body[-1] == '<p><a href="#bkmrk-inside">link</a></p>\n'
    assert body[0] == '<pre><code>the text id="fake" in code</code></pre>\n'


def test_toctree_link_lists_get_ids_like_every_block(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["myst_parser", "sphinx_mosaic"]\nproject = "D"\n')
    (src / "index.md").write_text(
        "# Demo\n\nIntro.\n\n(toc-label)=\n```{toctree}\n:caption: Guides\na\n```\n\n"
        "## Section\n\nSee [the list](#toc-label).\n\n```{toctree}\nb\n```\n",
        encoding="utf-8",
    )
    for name in "ab":
        (src / f"{name}.md").write_text(f"# {name.upper()}\n\nText.\n", encoding="utf-8")
    outdir, _ = build(src, tmp_path / "_build")
    pages = [
        page
        for zip in (outdir / "books").glob("*.zip")
        for page in all_pages(read_book(zip)["book"])
    ]
    index = next(page for page in pages if page["name"] == "Demo")
    soup = BeautifulSoup(index["html"], "html.parser")
    top = [element for element in soup.children if getattr(element, "name", None)]
    assert [element.name for element in top] == ["p", "ul", "h2", "p", "ul"]
    assert all(str(element.get("id", "")).startswith("bkmrk-") for element in top)
    # A label before the toctree leads to its caption.
    assert links(index)["the list"] == f"#{top[0]['id']}"


_LONG_SOURCE = """\
A paragraph long enough to be cut: {words}

.. list-table::

   * - {words}
     - cell

* an item

  * a nested item with **strong** and ``code``, {words}

-a ARG, --all=ARG  an option whose argument has an ``astext`` of its own, {words}

::

   literal
      block

   {words}
"""


def test_an_id_reads_only_the_beginning_of_a_long_block_and_gives_the_same_id() -> None:
    from docutils.core import publish_doctree

    from sphinx_mosaic.bookstack.translate.ids import id_text, slug

    words = " ".join(f"word{n}  \u03a3\u03c3\u03a3 \u0130x" for n in range(300))
    document = publish_doctree(_LONG_SOURCE.format(words=words))
    checked = 0
    for node in document.findall(nodes.Element):
        whole = node.astext()
        read = id_text(node)
        assert whole.startswith(read) or read == whole
        assert slug(read) == slug(whole), node.tagname
        checked += 1
    table = next(document.findall(nodes.table))
    assert len(id_text(table)) < 1000 < len(table.astext())  # stops early
    assert checked > 30


def test_the_cut_gives_the_same_slug_for_any_text() -> None:
    import random

    from sphinx_mosaic.bookstack.translate.ids import id_text, slug

    # Whitespace of several kinds, a capital sigma (lower case depends on what follows),
    # a dotted capital I (lower case is two characters), a combining accent.
    alphabet = ["a", "B", " ", "  ", "\n", "\u00a0", "\u03a3", "\u0130", "\u0301", "-", "%"]
    rng = random.Random(30)
    for _ in range(2000):
        parts = ["".join(rng.choices(alphabet, k=rng.randint(0, 120))) for _ in range(4)]
        paragraph = nodes.paragraph(
            "",
            "",
            nodes.Text(parts[0]),
            nodes.emphasis("", parts[1]),
            nodes.Text(parts[2]),
            nodes.literal("", parts[3]),
        )
        assert slug(id_text(paragraph)) == slug(paragraph.astext()), parts
