"""The BookStack preview (``html/`` of a bookstack build) looks like BookStack.

Every file links the shipped stylesheet; each page keeps the exact HTML its
ZIP holds, framed by breadcrumbs, the tags, the page's headings and the
book's tree; two builds give the same bytes.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from helpers.build import ROOTS, all_pages, build, copy_root, read_book
from helpers.trees import write_tree

from sphinx_mosaic.bookstack import browse

#: A link's or image's target: the only part of a page the preview changes.
TARGET = re.compile(r'\b(href|src)="[^"]*"')


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("preview")
    outdir, warnings = build(copy_root("bookstack", tmp), tmp / "_build")
    assert warnings == ""
    return outdir


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def preview_of(outdir: Path, stem: str, page: dict[str, Any]) -> Path:
    [path] = (outdir / "html" / stem).glob(f"page-{page['id']}-*.html")
    return path


def page_body(text: str) -> str:
    """What the preview file holds after the page's name, inside the page's content box."""
    start = text.index("</h1>\n", text.index('id="bkmrk-page-title"')) + len("</h1>\n")
    return text[start : text.rindex("</div>\n</main>")]


def test_every_file_links_the_shipped_stylesheet(built: Path) -> None:
    html = built / "html"
    css = html / "_static" / "bookstack-preview.css"
    assert css.read_bytes() == browse.STYLESHEET.read_bytes()
    text = css.read_text(encoding="utf-8")
    # Callouts of each kind BookStack's editors make, code blocks, tables, details, tags.
    for selector in (
        ".callout.info",
        ".callout.success",
        ".callout.warning",
        ".callout.danger",
        "pre code",
        "td, th",
        "details > summary",
        ".tag-item",
        "max-width: 840px",
        "prefers-color-scheme: dark",
    ):
        assert selector in text, selector
    assert "http" not in text.replace("http://www.w3.org/2000/svg", ""), "no network request"
    pages = sorted(html.rglob("*.html"))
    books = [read_book(path)["book"] for path in sorted((built / "books").glob("*.zip"))]
    assert len(pages) == 1 + sum(1 + len(all_pages(book)) for book in books)
    for path in pages:
        links = soup_of(path).find_all("link")
        assert [link["rel"] for link in links] == [["stylesheet"]], path
        assert (path.parent / links[0]["href"]).resolve() == css.resolve(), path


def test_each_page_holds_its_zip_html_exactly(built: Path) -> None:
    checked = 0
    for stem in ("1-guide", "2-other"):
        book = read_book(built / "books" / f"{stem}.zip")["book"]
        for page in all_pages(book):
            text = preview_of(built, stem, page).read_text(encoding="utf-8")
            body = page_body(text)
            # Only link and image targets differ: ZIP references become relative files.
            assert TARGET.sub(r'\1=""', body) == TARGET.sub(r'\1=""', page["html"])
            assert "[[bsexport:" not in body
            checked += 1
    assert checked == 8


def test_a_page_shows_breadcrumbs_tags_headings_and_the_book_tree(built: Path) -> None:
    book = read_book(built / "books" / "1-guide.zip")["book"]
    blocks = next(page for page in all_pages(book) if page["name"] == "Blocks")
    soup = soup_of(preview_of(built, "1-guide", blocks))
    crumbs = soup.find("nav", class_="breadcrumbs").find_all("a")
    assert [a.get_text() for a in crumbs] == ["Test shelf", "The guide", "Basics", "Blocks"]
    assert [a["href"] for a in crumbs[:3]] == [
        "../index.html",
        "index.html",
        "index.html#chapter-1",
    ]
    assert crumbs[-1]["aria-current"] == "page"
    # The tags of the ZIP, in order, as name/value chips.
    chips = [
        (chip.find(class_="tag-name").get_text(), chip.find(class_="tag-value").get_text())
        for chip in soup.select("aside .tag-list .tag-item")
    ]
    assert chips == [(tag["name"], tag["value"]) for tag in blocks["tags"]]
    assert ("mosaic-audience", "developers") in chips
    # The page's headings link to their ids in the page.
    ids = re.findall(r'<h2 id="([^"]+)"', blocks["html"])
    headings = [a["href"] for a in soup.select("nav.page-navigation a")]
    assert headings == [f"#{ident}" for ident in ids] and len(ids) >= 4
    # The book's tree: book, pages and chapters in reading order, this page highlighted
    # and its chapter unfolded.
    tree = soup.find("nav", class_="book-tree")
    names = [a.get_text() for a in tree.find_all("a")]
    assert names == [
        "The guide",
        "Test shelf",
        "The guide",
        "Basics",
        "Blocks",
        "Links",
        "Nested page",
        "Reference",
    ]
    [selected] = tree.select("a.selected")
    assert selected.get_text() == "Blocks" and selected["aria-current"] == "page"
    assert selected.find_parent("details").has_attr("open")
    following = soup.select("nav.sibling-navigation a")
    assert [(a["class"][0], a.find(class_="name").get_text()) for a in following] == [
        ("previous", "The guide"),
        ("next", "Links"),
    ]


def test_a_page_lists_its_attachments(built: Path) -> None:
    book = read_book(built / "books" / "1-guide.zip")["book"]
    links = next(page for page in all_pages(book) if page["name"] == "Links")
    path = preview_of(built, "1-guide", links)
    listed = soup_of(path).select("aside .attachment-list a")
    assert [a.get_text() for a in listed] == [item["name"] for item in links["attachments"]]
    for a, item in zip(listed, links["attachments"], strict=True):
        assert (path.parent / a["href"]).read_bytes() == read_zip_file(
            built / "books" / "1-guide.zip", item["file"]
        )


def read_zip_file(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(f"files/{name}")


def test_book_and_shelf_files_show_their_contents_and_tags(built: Path) -> None:
    html = built / "html"
    guide = read_book(built / "books" / "1-guide.zip")["book"]
    soup = soup_of(html / "1-guide" / "index.html")
    chips = [chip.get_text("=") for chip in soup.select("aside .tag-list .tag-item")]
    assert chips == [f"{tag['name']}={tag['value']}" for tag in guide["tags"]]
    [chapter] = guide["chapters"]
    block = soup.find(id=f"chapter-{chapter['id']}")
    assert [chip.get_text("=") for chip in block.select(".tag-item")] == [
        f"{tag['name']}={tag['value']}" for tag in chapter["tags"]
    ]
    assert [a.get_text() for a in block.select("details a")] == [
        page["name"] for page in sorted(chapter["pages"], key=lambda page: page["priority"])
    ]
    shelf = soup_of(html / "index.html")
    books = [a.get_text() for a in shelf.select("main a.entity-list-item")]
    assert books == ["The guide", "Other book"]


def test_two_builds_of_copies_give_identical_previews(tmp_path: Path) -> None:
    outputs = []
    for name in ("one", "two"):
        srcdir = tmp_path / name / "src"
        shutil.copytree(ROOTS / "test-bookstack", srcdir)
        outdir, _ = build(srcdir, tmp_path / name / "_build")
        outputs.append(
            {
                path.relative_to(outdir).as_posix(): path.read_bytes()
                for path in sorted((outdir / "html").rglob("*"))
                if path.is_file()
            }
        )
    assert outputs[0] == outputs[1]
    assert "html/_static/bookstack-preview.css" in outputs[0]


def test_a_books_tree_is_written_once_per_book(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each page's navigation writes only the entry holding the page again: the links
    written grow with the pages, not with their square (a book of a few hundred pages
    wrote its whole tree for each of them)."""
    links: list[str] = []
    original = browse._entity_link

    def counted(kind: str, href: str, name: str, selected: bool = False) -> str:
        links.append(href)
        return original(kind, href, name, selected)

    monkeypatch.setattr(browse, "_entity_link", counted)
    pages = 60
    files = {
        "conf.py": 'extensions = ["myst_parser", "sphinx_mosaic"]\nproject = "Wide"\n',
        "README.md": "# Shelf\n\nThe shelf.\n",
        "1-book/README.md": "# Book\n\nOne wide book.\n",
    }
    files.update({f"1-book/{n}-page-{n}.md": f"# Page {n}\n\nText.\n" for n in range(1, pages + 1)})
    files.update(
        {f"1-book/99-part/{n}-leaf-{n}.md": f"# Leaf {n}\n\nText.\n" for n in range(1, 11)}
    )
    files["1-book/99-part/README.md"] = "# Part\n\nA chapter.\n"
    outdir, warnings = build(write_tree(tmp_path / "src", files), tmp_path / "_build")
    assert warnings == ""
    [book] = (outdir / "html").glob("1-book*/")
    # The navigation still marks the current page, and opens its chapter only.
    leaf = soup_of(next(book.glob("page-*-leaf-3.html")))
    assert leaf.select_one(".book-tree a.selected .name").get_text() == "Leaf 3"
    assert leaf.select_one(".book-tree details.chapter-child-menu[open]") is not None
    page = soup_of(next(book.glob("page-*-page-7.html")))
    assert page.select_one(".book-tree a.selected .name").get_text() == "Page 7"
    assert page.select_one(".book-tree details.chapter-child-menu[open]") is None
    # 71 pages: the whole tree once (72 links), each page's own entry (its chapter's
    # 11 links for the 10 leaves), the contents list and breadcrumbs, far from 71 x 72.
    assert len(links) < 20 * (pages + 10), len(links)


def test_links_to_books_named_without_a_slug_work_in_the_copy(tmp_path: Path) -> None:
    """A page named only in CJK has no predictable URL: the ZIP links to a search for its
    name, and the browsable copy to its file (it kept the search URL, which leads
    nowhere outside BookStack).  Two pages of one name are two searches (``&n=2``), so
    the publisher and the copy tell the links apart; anchors are kept."""
    files = {
        "conf.py": 'extensions = ["myst_parser", "sphinx_mosaic"]\nproject = "Shelf"\n'
        "myst_heading_anchors = 2\n",
        "README.md": "# Shelf\n\nThe shelf.\n",
        "1-guide/README.md": "# Guide\n\nThe guide.\n",
        "1-guide/1-start.md": "# Start\n\n"
        "See [alpha](../2-manual/1-intro.md#alpha), [beta](../2-manual/1-intro.md#beta), "
        "[the other](../3-other/1-intro.md), [the manual](../2-manual/1-intro.md), "
        'and [the shelf](../README.md).\n\n<p><a href="/search?term=x">a search</a></p>\n',
        "2-manual/README.md": "# 手册\n\nThe manual.\n",
        "2-manual/1-intro.md": "# 介绍\n\nManual.\n\n## Alpha\n\nA.\n\n## Beta\n\nB.\n",
        "3-other/README.md": "# 其他\n\nThe other book.\n",
        "3-other/1-intro.md": "# 介绍\n\nOther.\n",
    }
    outdir, _warnings = build(write_tree(tmp_path / "src", files), tmp_path / "_build")
    [guide] = [pages for name, pages in read_book_pages(outdir) if name == "Guide"]
    zipped = {a.get_text(): a["href"] for a in BeautifulSoup(guide["Start"], "html.parser")("a")}
    manual, other = zipped["the manual"], zipped["the other"]
    assert manual.startswith("/search?term=") and other.startswith("/search?term=")
    assert manual != other and other == manual + "&n=2"  # two pages, one name
    assert zipped["alpha"] == manual + "#bkmrk-alpha"
    [start] = (outdir / "html").glob("*/page-*-start.html")
    links = {a.get_text(): a["href"] for a in soup_of(start).select(".page-content a")}
    manual_file = (start.parent / links["the manual"].split("#")[0]).resolve()
    other_file = (start.parent / links["the other"]).resolve()
    assert manual_file.is_file() and other_file.is_file() and manual_file != other_file
    assert "Manual." in manual_file.read_text(encoding="utf-8")
    assert "Other." in other_file.read_text(encoding="utf-8")
    assert links["alpha"].endswith("#bkmrk-alpha") and links["beta"].endswith("#bkmrk-beta")
    assert (start.parent / links["the shelf"]).resolve() == (outdir / "html" / "index.html")
    assert links["a search"] == "/search?term=x"  # raw HTML's own search: left as it is


def read_book_pages(outdir: Path) -> list[tuple[str, dict[str, str]]]:
    """(book name, page name -> HTML) of each ZIP."""
    found = []
    for path in sorted((outdir / "books").glob("*.zip")):
        book = read_book(path)["book"]
        found.append((book["name"], {page["name"]: page["html"] for page in all_pages(book)}))
    return found
