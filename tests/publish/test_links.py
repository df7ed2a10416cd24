"""Every link lands where it says: builder output published to the fake server, then followed.

The root document's content is the first page of the first book and a chapter's README
with a body is the chapter's first page: a link with an anchor goes to that page (a book's,
chapter's or shelf's description keeps no ids).  A link to a document outside the books is
its text.  Our own docs, published, have no link that misses.
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers.build import ROOTS, build
from helpers.fake_bookstack.fixtures import run_publish
from helpers.fake_bookstack.links import Link, check_links
from helpers.fake_bookstack.server import FakeBookStack
from sphinx.cmd.build import build_main

from sphinx_mosaic.bookstack.assemble import Target, ZipContext, _link
from sphinx_mosaic.bookstack.format.model import Book, Page, Shelf
from sphinx_mosaic.bookstack.translate.fragment import Fragment

REPOSITORY = Path(__file__).resolve().parents[2]


def _owned(server: FakeBookStack, project: str) -> dict[str, dict]:
    return {
        next(t["value"] for t in p["tags"] if t["name"] == "mosaic-key"): p
        for p in server.tagged("pages", "mosaic-project", project)
    }


def _misses(links: list[Link]) -> list[str]:
    return [str(link) for link in links if link.problem]


@pytest.fixture(scope="module")
def links_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("links")
    shutil.copytree(ROOTS / "test-bookstack-links", tmp / "src")
    return build(tmp / "src", tmp / "build")


def test_links_to_documents_outside_the_books_are_plain_text(
    links_build: tuple[Path, str],
) -> None:
    outdir, warnings = links_build
    html = "".join(p.read_text() for p in (outdir / "html").rglob("*.html"))
    assert 'href="#"' not in html
    assert "Outside the books: <span>the index</span>, <span>the notes</span>." in html
    # The hint names the option only where it helps: a document of the project.
    [index] = [w for w in warnings.splitlines() if "link to 'genindex'" in w]
    [notes] = [w for w in warnings.splitlines() if "link to 'scratchpads/notes'" in w]
    assert "mosaic_bookstack_extras" not in index and "1-links.md" in index
    assert "(see mosaic_bookstack_extras)" in notes


@pytest.mark.parametrize("use_import", [True, False], ids=["imported", "page-by-page"])
def test_anchored_links_land_on_the_page_that_holds_the_anchor(
    links_build: tuple[Path, str], use_import: bool
) -> None:
    outdir, _ = links_build
    with FakeBookStack() as server:
        report, _ = run_publish(server, outdir, use_import=use_import)
        assert report.ok, report.result.errors
        links = check_links(server)
        assert _misses(links) == []
        pages = _owned(server, "Links test")

        def addresses(key: str) -> tuple[str, str]:
            # The publisher writes permalinks; BookStack's importer writes page URLs.
            page = pages[key]
            return f"/link/{page['id']}", f"/books/guide/page/{page['slug']}"

        for key in ("other/links", "guide/setup/install"):
            body = pages[key]["html"]
            assert any(
                f'href="{server.url}{a}#bkmrk-root-section"' in body for a in addresses("README")
            )
            assert any(
                f'href="{server.url}{a}#bkmrk-before-you-start"' in body
                for a in addresses("guide/setup/README")
            )
            # Without an anchor, a chapter README link goes to the chapter.
            assert f'href="{server.url}/books/guide/chapter/setup"' in body
            assert f'href="{server.url}/books/guide/chapter/bare"' in body
        assert sum("#" in link.href for link in links) == 4


def test_a_root_without_a_page_is_the_shelf(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-bookstack-links", srcdir)
    (srcdir / "README.md").write_text("# Links test\n\nThe shelf of the links test.\n")
    page = srcdir / "2-other" / "1-links.md"
    page.write_text(page.read_text().replace("[the root section](../README.md#root-section),", ""))
    outdir, _ = build(srcdir, tmp_path / "build")
    with FakeBookStack() as server:
        report, _ = run_publish(server, outdir)
        assert report.ok, report.result.errors
        assert _misses(check_links(server)) == []
        [shelf] = server.live("shelves")
        assert (
            f'href="{server.url}/shelves/{shelf["slug"]}"'
            in _owned(server, "Links test")["other/links"]["html"]
        )


def test_every_link_of_our_own_docs_lands_where_it_says(tmp_path: Path) -> None:
    outdir = tmp_path / "bookstack"
    args = ["-q", "-b", "bookstack", "-c", str(REPOSITORY), "-d", str(tmp_path / "doctrees")]
    assert build_main([*args, str(REPOSITORY / "docs"), str(outdir)]) == 0
    for use_import in (True, False):
        with FakeBookStack() as server:
            report, _ = run_publish(server, outdir, use_import=use_import)
            assert report.ok, report.result.errors
            links = check_links(server)
            assert _misses(links) == []
            anchored = [link for link in links if "#" in link.href]
            assert len(anchored) >= 19, [str(link) for link in anchored]


def test_an_anchor_in_a_document_that_is_only_a_description_is_dropped_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    book = Book("guide", "guide/README", None, "Guide", file_stem="guide")
    other = Book("other", "other/README", None, "Other", file_stem="other")
    page = Page("other/links", "other/links", "other/links.md", "Links")
    bare = Target(book, "guide/bare", container=("chapter", 2), container_name="Bare")
    fragment = Fragment(docname="guide/bare/README", anchors={"box": "bkmrk-box", "title": ""})
    asm = SimpleNamespace(
        fragments={"guide/bare/README": fragment},
        targets={"guide/bare/README": bare},
        shelf=Shelf("Shelf", "README"),
        warned=set(),
    )
    link = functools.partial(_link, asm, other, page, ZipContext(), "guide/bare/README")
    url = link("box")
    assert url == "/books/guide/chapter/bare"  # no "#bkmrk-box": the chapter keeps no ids
    assert page.cross_links[-1] == {"href": url, "key": "guide/bare", "anchor": None}
    assert link("title") == url  # the document itself: no anchor lost, no warning
    (record,) = caplog.records
    message = record.getMessage()
    assert "link to 'guide/bare/README'#box" in message
    assert "only the description of its chapter" in message and "without the anchor" in message


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("Handbook", "/shelves/handbook"),
        # No slug (BookStack picks a random one): a search for the name, not "/shelves/".
        ("手册", "/search?term=%22%E6%89%8B%E5%86%8C%22"),
    ],
)
def test_a_link_to_the_root_document_goes_to_the_shelf(name: str, url: str) -> None:
    book = Book("guide", "guide/README", None, "Guide", file_stem="guide")
    page = Page("guide/page", "guide/page", "guide/page.md", "Page")
    asm = SimpleNamespace(fragments={}, targets={}, shelf=Shelf(name, "README"), warned=set())
    context = ZipContext()
    assert _link(asm, book, page, context, "README", "") == url
    assert page.cross_links == [{"href": url, "key": "", "anchor": None}]
    assert context.cross == {url: ("README", "")}


@pytest.mark.parametrize("use_import", [True, False], ids=["imported", "page-by-page"])
def test_links_to_two_pages_of_one_name_without_a_slug_land_on_each(
    tmp_path: Path, use_import: bool
) -> None:
    """Two pages named only in CJK ("介绍" in two books) are linked as two searches for the
    name; the publisher sends each link to its own page, anchors kept (both links went to
    the first page when the two searches were the same URL)."""
    files = {
        "conf.py": 'extensions = ["myst_parser", "sphinx_mosaic"]\nproject = "Shelf"\n'
        "myst_heading_anchors = 2\n",
        "README.md": "# Shelf\n\nThe shelf.\n",
        "1-guide/README.md": "# Guide\n\nThe guide.\n",
        "1-guide/1-start.md": "# Start\n\n[alpha](../2-manual/1-intro.md#alpha), "
        "[the other](../3-other/1-intro.md), [the manual](../2-manual/1-intro.md).\n",
        "2-manual/README.md": "# 手册\n\nThe manual.\n",
        "2-manual/1-intro.md": "# 介绍\n\nManual.\n\n## Alpha\n\nA.\n",
        "3-other/README.md": "# 其他\n\nThe other book.\n",
        "3-other/1-intro.md": "# 介绍\n\nOther.\n",
    }
    for name, text in files.items():
        (tmp_path / "src" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "src" / name).write_text(text, encoding="utf-8")
    outdir, _ = build(tmp_path / "src", tmp_path / "build")
    with FakeBookStack() as server:
        report, _ = run_publish(server, outdir, use_import=use_import)
        assert report.ok, report.result.errors
        assert _misses(check_links(server)) == []
        pages = server.live("pages")
        [manual] = [p for p in pages if p["name"] == "介绍" and "Manual." in p["html"]]
        [other] = [p for p in pages if p["name"] == "介绍" and "Other." in p["html"]]
        [start] = [p for p in pages if p["name"] == "Start"]
        body = start["html"]
        assert f'{server.url}/link/{manual["id"]}#bkmrk-alpha"' in body
        assert f'{server.url}/link/{other["id"]}"' in body
        assert f'{server.url}/link/{manual["id"]}"' in body
        assert "/search?" not in body
