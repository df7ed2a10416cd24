"""BookStack books from the toctree of an ordinary Sphinx project (no numbered folders)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from helpers.build import all_pages, build, copy_root, output_files, read_book, warning_texts
from helpers.fake_bookstack.fixtures import run_publish
from helpers.fake_bookstack.server import FakeBookStack
from helpers.project_check import documents_in
from helpers.zip_checker import check_package

from sphinx_mosaic.bookstack.mapping.toctree import (
    Project,
    RootToctree,
    ToctreeGroup,
    map_toctree,
    natural_key,
)

#: Sphinx's own pages, which are no documents.
SPECIAL_PAGES = {"genindex", "search", "py-modindex"}


def outline(outdir: Path) -> list[tuple[str, ...]]:
    """(book key, name) and (kind, key, name) of each entry of the manifest, in order."""
    manifest = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
    lines: list[tuple[str, ...]] = []
    for book in manifest["books"]:
        lines.append(("book", book["key"], book["name"]))
        for entry in book["contents"]:
            lines.append((entry["type"], entry["key"], entry["name"]))
            lines.extend(("  page", page["key"], page["name"]) for page in entry.get("pages", []))
    return lines


def docnames_in_output(outdir: Path) -> list[str]:
    """Every document the ZIPs hold: as a page, or as a book's or chapter's description."""
    return documents_in(json.loads((outdir / "manifest.json").read_text(encoding="utf-8")))


def html_pages(outdir: Path) -> set[str]:
    return {
        path.relative_to(outdir).with_suffix("").as_posix()
        for path in outdir.rglob("*.html")
        if not path.relative_to(outdir).parts[0].startswith("_")
    } - SPECIAL_PAGES


@pytest.fixture(scope="module")
def toctree_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("toctree")
    return build(copy_root("bookstack-toctree", tmp), tmp / "_build")


def test_books_follow_the_root_toctrees(toctree_build: tuple[Path, str]) -> None:
    outdir, _ = toctree_build
    assert outline(outdir) == [
        # The root page and the root's entries without entries of their own.
        ("book", "book:index", "Widget documentation"),
        ("page", "index", "Widget documentation"),
        ("page", "get-started", "Get started"),
        ("page", "changelog", "Changelog"),
        # A captioned root toctree is one book named by its caption.
        ("book", "caption:guides", "Guides"),
        ("page", "guides/install", "Installation"),
        ("chapter", "chapter:guides/configure/index", "Configuration"),
        ("  page", "guides/configure/basic", "Basic settings"),
        ("  page", "guides/configure/advanced", "Advanced settings"),
        ("book", "caption:reference", "Reference"),
        ("page", "reference/api", "API"),
        ("page", "reference/cli", "Command line"),
        # An entry with entries is a book; an entry of its with entries a chapter.
        ("book", "book:develop/index", "Development"),
        ("page", "develop/index", "Development"),
        ("page", "develop/contributing", "Contributing"),
        ("chapter", "chapter:develop/testing/index", "Testing"),
        ("  page", "develop/testing/unit", "Unit tests"),
        ("  page", "develop/testing/fixtures", "Fixtures"),
    ]
    assert sorted(p.name for p in (outdir / "books").iterdir()) == [
        "Widget.zip",
        "develop.zip",
        "guides.zip",
        "reference.zip",
    ]


def test_warnings_name_the_flattened_and_the_left_out(toctree_build: tuple[Path, str]) -> None:
    _, warnings = toctree_build
    assert sorted(warning_texts(warnings)) == [
        "document isn't included in any toctree [toc.not_included]",
        "the BookStack output leaves out the documents in no toctree: 404, notes (list them "
        'in a toctree, or set mosaic_bookstack_extras = "books" to put them in a book of '
        "their own) [mosaic.bookstack]",
        "the toctree of 'develop/testing/unit' nests deeper than book > chapter > page; "
        "BookStack output puts develop/testing/fixtures in chapter 'Testing' after it, in "
        "toctree order (move them up a level to keep the structure) [mosaic.toctree-depth]",
    ]


def test_zips_are_valid_with_descriptions_tags_images_and_links(
    toctree_build: tuple[Path, str],
) -> None:
    outdir, _ = toctree_build
    for path in sorted((outdir / "books").glob("*.zip")):
        assert check_package(path) == [], path.name
    develop = read_book(outdir / "books" / "develop.zip")["book"]
    assert develop["description_html"] == "<p>How Widget is developed.</p>"
    assert develop["chapters"][0]["description_html"] == "<p>How the tests are organised.</p>"
    guides = read_book(outdir / "books" / "guides.zip")["book"]
    install = next(p for p in all_pages(guides) if p["name"] == "Installation")
    assert {"name": "mosaic-status", "value": "partial"} in install["tags"]
    assert install["images"][0]["name"] == "picture.png"
    assert 'src="[[bsexport:image:1]]"' in install["html"]
    # Into another book: the predicted URL, listed for the publisher.
    assert 'href="/books/development/page/contributing"' in install["html"]
    advanced = next(p for p in all_pages(guides) if p["name"] == "Advanced settings")
    assert 'href="#bkmrk-caching"' in advanced["html"]  # same page
    assert 'href="[[bsexport:page:1]]"' in advanced["html"]  # same book
    root = read_book(outdir / "books" / "Widget.zip")["book"]
    started = next(p for p in all_pages(root) if p["name"] == "Get started")
    assert {"name": "mosaic-audience", "value": "new-users"} in started["tags"]
    manifest = json.loads((outdir / "manifest.json").read_text())
    assert manifest["shelf"]["description_html"] == "<p>Widget turns sprockets into gizmos.</p>"


def test_every_html_page_is_in_exactly_one_bookstack_page(tmp_path: Path) -> None:
    srcdir = copy_root("bookstack-toctree", tmp_path)
    conf = {"mosaic_bookstack_extras": "books"}
    html, _ = build(srcdir, tmp_path / "html", "html", confoverrides=conf)
    outdir, _ = build(srcdir, tmp_path / "bookstack", confoverrides=conf)
    found = docnames_in_output(outdir)
    assert sorted(found) == sorted(set(found)), "a document is in two places"
    assert set(found) == html_pages(html)
    assert outline(outdir)[-3:] == [
        ("book", "book:@other-pages", "Other pages"),
        ("page", "404", "Page not found"),
        ("page", "notes", "Notes"),
    ]


def test_a_small_flat_project_is_one_book(tmp_path: Path) -> None:
    srcdir = copy_root("bookstack-toctree-flat", tmp_path)
    html, _ = build(srcdir, tmp_path / "html", "html")
    outdir, warnings = build(srcdir, tmp_path / "bookstack")
    assert warnings == ""
    assert outline(outdir) == [
        ("book", "book:index", "Copy button"),
        ("page", "index", "Copy button"),
        ("page", "use", "Use and customize"),
        ("page", "contribute/index", "Contribute"),
        ("page", "changelog", "Changelog"),
    ]
    assert set(docnames_in_output(outdir)) == html_pages(html)
    (book,) = (outdir / "books").glob("*.zip")
    assert book.name == "Copy-Button.zip" and check_package(book) == []
    first, _, contribute, _ = all_pages(read_book(book)["book"])
    # The root page's first paragraph describes the shelf and book; the rest is a page.
    assert "Adds a copy button" not in first["html"] and "Install it with pip" in first["html"]
    # An index.md that is a page (not a book or chapter) keeps its first paragraph.
    assert "Run the tests." in contribute["html"]


def test_keys_stay_when_a_page_moves_in_the_toctree(tmp_path: Path) -> None:
    srcdir = copy_root("bookstack-toctree", tmp_path)
    before, _ = build(srcdir, tmp_path / "before")
    keys = {line[1]: line for line in outline(before)}
    # Move "basic" from the Configuration chapter to the Development book.
    configure = srcdir / "guides/configure/index.md"
    configure.write_text(configure.read_text().replace("basic\n", ""))
    develop = srcdir / "develop/index.md"
    develop.write_text(
        develop.read_text().replace("contributing\n", "contributing\n/guides/configure/basic\n")
    )
    after, _ = build(srcdir, tmp_path / "after")
    moved = outline(after)
    assert ("page", "guides/configure/basic", "Basic settings") in moved
    develop_at = moved.index(("book", "book:develop/index", "Development"))
    assert moved.index(("page", "guides/configure/basic", "Basic settings")) > develop_at
    assert keys["guides/configure/basic"][1:] == ("guides/configure/basic", "Basic settings")


def test_source_option_chooses_the_toctree_for_a_numbered_project(tmp_path: Path) -> None:
    srcdir = copy_root("bookstack", tmp_path)
    layout, _ = build(srcdir, tmp_path / "layout")
    toctree, _ = build(
        srcdir, tmp_path / "toctree", confoverrides={"mosaic_bookstack_source": "toctree"}
    )
    assert outline(layout)[0] == ("book", "guide", outline(layout)[0][2])
    assert all(
        line[1].startswith(("book:", "caption:")) for line in outline(toctree) if line[0] == "book"
    )
    # The generated toctrees of the layout give the same books, keyed by their index pages.
    layout_pages = [line[1] for line in outline(layout) if "page" in line[0]]
    toctree_pages = [line[1] for line in outline(toctree) if "page" in line[0]]
    assert {re.sub(r"\d+-", "", p) for p in toctree_pages} >= set(layout_pages)


def test_publish_a_toctree_project_then_nothing_to_do(
    toctree_build: tuple[Path, str], tmp_path: Path
) -> None:
    outdir = tmp_path / "out"
    shutil.copytree(toctree_build[0], outdir)
    with FakeBookStack() as server:
        report, _ = run_publish(server, outdir, use_import=False)
        assert report.ok, report.result.errors
        keys = {
            next(t["value"] for t in p["tags"] if t["name"] == "mosaic-key")
            for p in server.tagged("pages", "mosaic-project", "Widget")
        }
        assert "guides/install" in keys and "develop/testing/fixtures" in keys
        server.reset_counts()
        report, _ = run_publish(server, outdir, use_import=False)
        assert report.ok and server.writes == 0


def test_toctree_mapping_on_its_own() -> None:
    includes = {"index": ["a", "b"], "a": ["a1", "a2"], "a1": ["a11"], "b": []}
    project = Project(
        root_doc="index",
        project="P",
        docnames=["a", "a1", "a11", "a2", "b", "index", "lone"],
        titles={"index": "Home", "a": "A", "a1": "A1", "a11": "A11", "a2": "A2", "b": "<no title>"},
        includes=includes,
        root_toctrees=[RootToctree(None, [(None, "a"), ("Bee", "b"), (None, "https://x.org")])],
        source_of=lambda docname: f"{docname}.md",
    )
    mapped = map_toctree(project, extras="omit")
    assert [b.key for b in mapped.shelf.books] == ["book:index", "book:a"]
    assert [p.name for p in mapped.shelf.books[0].pages] == ["Home", "Bee"]
    a = mapped.shelf.books[1]
    assert [(type(e).__name__, e.key) for e in a.contents] == [
        ("Page", "a"),
        ("Chapter", "chapter:a1"),
        ("Page", "a2"),
    ]
    assert mapped.orphans == ["lone"]
    assert [i.subtype for i in mapped.issues] == ["bookstack"]
    # A document listed twice is placed once, where it is met first.
    twice = map_toctree(
        Project(**{**project.__dict__, "includes": {**includes, "b": ["a2"]}}), extras="omit"
    )
    assert [p.key for p in twice.shelf.pages()].count("a2") == 1


def test_tree_shows_the_bookstack_mapping_of_either_source(
    rootdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sphinx_mosaic.cli import main

    assert main(["tree", "--bookstack", str(rootdir / "test-bookstack-toctree")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Widget documentation  [shelf] index  (from the toctree)"
    assert "  Guides  [book caption:guides] books/guides.zip" in out
    assert (
        "    Configuration  [chapter chapter:guides/configure/index] guides/configure/index.md"
        in out
    )
    assert "      Fixtures  [page] develop/testing/fixtures.md" in out
    assert any("[mosaic.toctree-depth]" in line for line in out)
    assert main(["tree", "--bookstack", "--json", str(rootdir / "test-bookstack")]) == 0
    mapped = json.loads(capsys.readouterr().out)
    assert mapped["source"] == "layout"
    assert [book["zip"] for book in mapped["books"]] == ["books/1-guide.zip", "books/2-other.zip"]


def test_parallel_incremental_and_alongside_builds_give_the_same_bytes(
    toctree_build: tuple[Path, str], tmp_path: Path
) -> None:

    serial = output_files(toctree_build[0])
    srcdir = copy_root("bookstack-toctree", tmp_path)
    parallel, _ = build(srcdir, tmp_path / "parallel", parallel=2)
    assert output_files(parallel) == serial
    # Move a page to another chapter, then back: an incremental build ends where it began.
    configure = srcdir / "guides/configure/index.md"
    original = configure.read_text()
    configure.write_text(original.replace("basic\n", ""))
    build(srcdir, tmp_path / "parallel")
    configure.write_text(original)
    incremental, _ = build(srcdir, tmp_path / "parallel")
    assert output_files(incremental) == serial
    site, _ = build(
        srcdir, tmp_path / "site", "html", confoverrides={"mosaic_bookstack_alongside": True}
    )
    assert output_files(site / "bookstack") == serial


def test_a_document_changing_role_is_translated_again(tmp_path: Path) -> None:
    """A book moved below a chapter becomes pages: its first paragraph is body again."""
    srcdir = copy_root("bookstack-toctree", tmp_path)
    build(srcdir, tmp_path / "incremental")
    index = srcdir / "index.md"
    index.write_text(index.read_text().replace("develop/index\n", ""))
    basic = srcdir / "guides/configure/basic.md"
    basic.write_text(basic.read_text() + "\n```{toctree}\n/develop/index\n```\n")
    incremental, _ = build(srcdir, tmp_path / "incremental")
    fresh, _ = build(srcdir, tmp_path / "fresh")

    assert output_files(incremental) == output_files(fresh)
    guides = read_book(incremental / "books" / "guides.zip")["book"]
    development = next(p for p in all_pages(guides) if p["name"] == "Development")
    assert "How Widget is developed." in development["html"]


def test_an_orphan_table_of_contents_is_a_book(tmp_path: Path) -> None:
    srcdir = copy_root("bookstack-orphans", tmp_path)
    html, _ = build(srcdir, tmp_path / "html", "html")
    outdir, warnings = build(srcdir, tmp_path / "bookstack")
    assert outline(outdir) == [
        # (Index pages holding only a description are no pages.)
        ("book", "book:index", "Orphans"),
        ("page", "a", "A"),
        # A one-level orphan tree that a page links to (a :ref: from "a") is a chapter
        # at the end of that page's book.
        ("chapter", "chapter:history", "History"),
        ("  page", "old/v1", "V1"),
        ("  page", "old/v2", "V2"),
        # A deeper one is a book, although the landing page links to it; books of
        # orphan trees come in natural order.
        ("book", "book:b", "B contents"),
        ("page", "c", "C"),
        ("chapter", "chapter:guide/index", "Guide"),
        ("  page", "guide/step", "Step"),
        # Linked by a Markdown link from "c" (in the book of "b", met before it).
        ("chapter", "chapter:z-more", "Z more"),
        ("  page", "y", "Y"),
        # No page links to it: a book.
        ("book", "book:w-lone", "W lone"),
        ("page", "x", "X"),
    ]
    # The leaf orphans alone are left out, in one warning, in natural order.
    assert warning_texts(warnings) == [
        "the BookStack output leaves out the documents in no toctree: release-2.2, "
        'release-2.10 (list them in a toctree, or set mosaic_bookstack_extras = "books" to '
        "put them in a book of their own) [mosaic.bookstack]"
    ]
    found = docnames_in_output(outdir)
    assert sorted(found) == sorted(set(found)), "a document is in two places"
    assert set(found) == html_pages(html) - {"release-2.2", "release-2.10"}
    for path in sorted((outdir / "books").glob("*.zip")):
        assert check_package(path) == [], path.name


def test_other_pages_come_in_natural_order(tmp_path: Path) -> None:
    srcdir = copy_root("bookstack-orphans", tmp_path)
    conf = {"mosaic_bookstack_extras": "books"}
    html, _ = build(srcdir, tmp_path / "html", "html", confoverrides=conf)
    outdir, warnings = build(srcdir, tmp_path / "bookstack", confoverrides=conf)
    assert warnings == ""
    assert outline(outdir)[-3:] == [
        ("book", "book:@other-pages", "Other pages"),
        ("page", "release-2.2", "Release 2.2"),
        ("page", "release-2.10", "Release 2.10"),
    ]
    found = docnames_in_output(outdir)
    assert sorted(found) == sorted(set(found)) and set(found) == html_pages(html)


def test_orphan_trees_that_include_each_other() -> None:
    # "toc" includes "part" (an orphan with entries of its own): one book, "toc"'s; "x"
    # and "y" only include each other: the first in natural order is the book.
    project = Project(
        root_doc="index",
        project="P",
        docnames=["index", "a", "toc", "part", "p1", "x", "y", "y1"],
        titles={},
        includes={"index": ["a"], "toc": ["part"], "part": ["p1"], "x": ["y"], "y": ["x", "y1"]},
        root_toctrees=[RootToctree(None, [(None, "a")])],
        source_of=lambda docname: f"{docname}.rst",
    )
    mapped = map_toctree(project, extras="omit")
    assert [book.key for book in mapped.shelf.books] == ["book:index", "book:toc", "book:x"]
    toc, x = mapped.shelf.books[1:]
    assert [(type(e).__name__, e.key) for e in toc.contents] == [
        ("Page", "toc"),
        ("Chapter", "chapter:part"),
    ]
    assert [(type(e).__name__, e.key) for e in x.contents] == [
        ("Page", "x"),
        ("Chapter", "chapter:y"),
    ]
    assert mapped.orphans == [] and mapped.issues == []


def test_an_orphan_tree_goes_to_the_first_book_that_links_to_it() -> None:
    project = Project(
        root_doc="index",
        project="P",
        docnames=["index", "a", "b", "b1", "toc", "t1", "deep", "d1", "d11"],
        titles={},
        includes={"index": ["a", "b"], "b": ["b1"], "toc": ["t1"], "deep": ["d1"], "d1": ["d11"]},
        root_toctrees=[RootToctree(None, [(None, "a"), (None, "b")])],
        source_of=lambda docname: f"{docname}.rst",
        links={"b1": {"toc", "deep"}, "a": {"toc"}},
    )
    mapped = map_toctree(project, extras="omit")
    assert [book.key for book in mapped.shelf.books] == ["book:index", "book:b", "book:deep"]
    # "a" (in the root's book) and "b1" (in the book of "b") link to "toc": the first book.
    assert [e.key for e in mapped.shelf.books[0].contents] == ["index", "a", "chapter:toc"]
    # Without links, the same tree is a book.
    alone = map_toctree(Project(**{**project.__dict__, "links": {}}), extras="omit")
    assert [b.key for b in alone.shelf.books] == ["book:index", "book:b", "book:deep", "book:toc"]


def test_natural_order() -> None:
    names = ["release-2.10.0", "release-2.2.0", "Release-10", "release-2.2.1", "a", "B"]
    assert sorted(names, key=natural_key) == [
        "a",
        "B",
        "release-2.2.0",
        "release-2.2.1",
        "release-2.10.0",
        "Release-10",
    ]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Table of Contents", "Widgets"),
        ("Contents:", "Widgets"),
        ("Widgets documentation contents", "Widgets"),
        ("Welcome to Widgets's documentation!", "Widgets"),
        ("Widget handbook", "Widget handbook"),
        ("Table of contents of the widget API", "Table of contents of the widget API"),
    ],
)
def test_a_generic_root_title_gives_way_to_the_project(title: str, expected: str) -> None:
    project = Project(
        root_doc="index",
        project="Widgets",
        docnames=["index", "a"],
        titles={"index": title, "a": "A"},
        includes={"index": ["a"]},
        root_toctrees=[RootToctree(None, [(None, "a")])],
        source_of=lambda docname: f"{docname}.rst",
    )
    shelf = map_toctree(project, extras="omit").shelf
    assert (shelf.name, [book.name for book in shelf.books]) == (expected, [expected])
    # The page keeps the title the html build gives it.
    assert shelf.books[0].contents[0].name == title


@pytest.mark.parametrize("caption", ["Contents:", "Table of Contents", "Contents"])
def test_a_generic_caption_groups_nothing(caption: str) -> None:
    """Jinja 3.1.6's index: title "Jinja", one toctree captioned "Contents:"."""
    project = Project(
        root_doc="index",
        project="Jinja",
        docnames=["index", "intro", "api", "guide", "step"],
        titles={"index": "Jinja", "intro": "Intro", "api": "API", "guide": "Guide"},
        includes={"index": ["intro", "api", "guide"], "guide": ["step"]},
        root_toctrees=[RootToctree(caption, [(None, "intro"), (None, "api"), (None, "guide")])],
        source_of=lambda docname: f"{docname}.rst",
    )
    shelf = map_toctree(project, extras="omit").shelf
    assert [(book.key, book.name) for book in shelf.books] == [
        ("book:index", "Jinja"),
        ("book:guide", "Guide"),
    ]
    assert [entry.key for entry in shelf.books[0].contents] == ["index", "intro", "api"]
    # Any other caption names a book of its own, as before.
    usage = RootToctree("Usage", project.root_toctrees[0].entries)
    named = map_toctree(Project(**{**project.__dict__, "root_toctrees": [usage]}), extras="omit")
    assert [book.name for book in named.shelf.books] == ["Usage"]


def test_a_generic_root_title_stays_without_a_project() -> None:
    project = Project(
        root_doc="index",
        project="Project name not set",
        docnames=["index"],
        titles={"index": "Contents"},
        includes={},
        root_toctrees=[],
        source_of=lambda docname: f"{docname}.rst",
    )
    assert map_toctree(project, extras="omit").shelf.name == "Contents"


def release_project(groups: list[ToctreeGroup], *, count: int, odd: bool = True) -> Project:
    """``index`` lists ``changes/index``, which lists *count* release notes (and, with
    *odd*, one ``changes/odd`` of two pages) in toctrees grouped as *groups* say."""
    notes = [f"changes/{n}" for n in range(count)]
    children = [*notes, *(["changes/odd"] if odd else [])]
    includes: dict[str, list[str]] = {"index": ["changes/index"], "changes/index": children}
    if odd:
        includes["changes/odd"] = ["changes/odd-a", "changes/odd-b"]
    docnames = ["index", "changes/index", *children, "changes/odd-a", "changes/odd-b"]
    return Project(
        root_doc="index",
        project="P",
        docnames=docnames if odd else docnames[:-2],
        titles={},
        includes=includes,
        root_toctrees=[RootToctree(None, [(None, "changes/index")])],
        source_of=lambda docname: f"{docname}.rst",
        groups_of=lambda docname: groups if docname == "changes/index" else [],
    )


def test_a_large_book_is_split_along_its_headings() -> None:
    notes = [f"changes/{n}" for n in range(60)]
    groups = [
        ToctreeGroup(None, ["changes/odd"]),
        ToctreeGroup("Version 2", notes[:30]),
        ToctreeGroup("Version 1", notes[30:]),
    ]
    mapped = map_toctree(release_project(groups, count=60), extras="omit")
    (book,) = mapped.shelf.books
    assert [(type(e).__name__, e.key, e.name) for e in book.contents] == [
        ("Page", "index", "Index"),
        ("Page", "changes/index", "Index"),
        ("Chapter", "chapter:changes/odd", "Odd"),
        ("Chapter", "chapter:changes/index:version-2", "Version 2"),
        ("Chapter", "chapter:changes/index:version-1", "Version 1"),
    ]
    assert [p.docname for p in book.chapters[1].pages] == notes[:30]
    assert [p.docname for p in book.chapters[2].pages] == notes[30:]
    assert mapped.issues == []


def test_a_small_book_keeps_its_shape_and_a_large_one_without_groups_warns() -> None:
    notes = [f"changes/{n}" for n in range(40)]
    groups = [ToctreeGroup("Version 2", notes[:20]), ToctreeGroup("Version 1", notes[20:])]
    small = map_toctree(release_project(groups, count=40), extras="omit")
    assert [type(e).__name__ for e in small.shelf.books[0].contents].count("Chapter") == 1
    assert small.issues == []
    # 60 pages beside one chapter, and one group only: nothing to split by, a warning.
    notes = [f"changes/{n}" for n in range(60)]
    large = map_toctree(
        release_project([ToctreeGroup("All", [*notes, "changes/odd"])], count=60),
        extras="omit",
    )
    assert len(large.shelf.books[0].chapters) == 1
    assert [(i.subtype, i.docname) for i in large.issues] == [("bookstack", "changes/index")]
    assert "holds 60 pages beside a single chapter, 'Odd'" in large.issues[0].message


def test_a_large_chapter_is_followed_by_a_chapter_per_group() -> None:
    packages = [f"contrib/p{n}" for n in range(55)]
    includes = {"index": ["guide"], "guide": ["contrib/index"], "contrib/index": packages}
    project = Project(
        root_doc="index",
        project="P",
        docnames=["index", "guide", "contrib/index", *packages],
        titles={"contrib/index": "Contrib packages"},
        includes=includes,
        root_toctrees=[RootToctree(None, [(None, "guide")])],
        source_of=lambda docname: f"{docname}.rst",
        groups_of=lambda docname: (
            [
                ToctreeGroup(None, packages[:5]),
                ToctreeGroup("Storage", packages[5:30]),
                ToctreeGroup("Network", packages[30:]),
            ]
            if docname == "contrib/index"
            else []
        ),
    )
    mapped = map_toctree(project, extras="omit")
    guide = next(book for book in mapped.shelf.books if book.key == "book:guide")
    assert [(c.key, c.name, len(c.pages)) for c in guide.chapters] == [
        ("chapter:contrib/index", "Contrib packages", 6),
        ("chapter:contrib/index:storage", "Contrib packages: Storage", 25),
        ("chapter:contrib/index:network", "Contrib packages: Network", 25),
    ]
    assert [p.docname for c in guide.chapters for p in c.pages] == ["contrib/index", *packages]


def test_headings_and_captions_of_a_large_book_make_its_chapters(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "changes").mkdir(parents=True)
    (src / "conf.py").write_text('extensions = ["sphinx_mosaic"]\nproject = "Rel"\n')
    (src / "index.rst").write_text("Rel\n===\n\nAbout.\n\n.. toctree::\n\n   changes/index\n")
    (src / "changes" / "index.rst").write_text(
        "Changes\n=======\n\nAll releases.\n\n.. toctree::\n\n   odd\n\n"
        "Version 2\n---------\n\nNewest first.\n\n.. toctree::\n   :glob:\n   :reversed:\n\n"
        "   2.*\n\nVersion 1\n---------\n\n.. toctree::\n   :glob:\n   :caption: Old ones\n\n"
        "   1.*\n"
    )
    (src / "changes" / "odd.rst").write_text("Odd\n===\n\nText.\n\n.. toctree::\n\n   odd-a\n")
    (src / "changes" / "odd-a.rst").write_text("Odd A\n=====\n\nText.\n")
    for major, count in ((2, 30), (1, 26)):
        for minor in range(count):
            name = f"{major}.{minor}"
            (src / "changes" / f"{name}.rst").write_text(f"{name}\n{'=' * len(name)}\n\nText.\n")
    outdir, warnings = build(src, tmp_path / "_build")
    assert "WARNING" not in warnings
    chapters = [line for line in outline(outdir) if line[0] == "chapter"]
    assert chapters == [
        ("chapter", "chapter:changes/odd", "Odd"),
        ("chapter", "chapter:changes/index:version-2", "Version 2"),
        ("chapter", "chapter:changes/index:old-ones", "Old ones"),
    ]
    lines = outline(outdir)
    start = lines.index(("chapter", "chapter:changes/index:version-2", "Version 2"))
    # In toctree order (a reversed glob: Sphinx sorts the names as strings).
    assert [line[1] for line in lines[start + 1 : start + 3]] == ["changes/2.9", "changes/2.8"]
    sources = {p.relative_to(src).with_suffix("").as_posix() for p in src.rglob("*.rst")}
    assert set(docnames_in_output(outdir)) == sources


def test_the_root_book_is_split_by_the_headings_of_its_toctrees() -> None:
    guides = [f"guide{n}" for n in range(30)]
    howtos = [f"howto{n}" for n in range(25)]
    project = Project(
        root_doc="index",
        project="P",
        docnames=["index", "intro", *guides, *howtos],
        titles={},
        includes={"index": ["intro", *guides, *howtos]},
        root_toctrees=[
            RootToctree(None, [(None, "intro")]),
            RootToctree(None, [(None, d) for d in guides]),
            RootToctree(None, [(None, d) for d in howtos]),
        ],
        source_of=lambda docname: f"{docname}.rst",
        groups_of=lambda docname: [
            ToctreeGroup(None, ["intro"]),
            ToctreeGroup("Guides", guides),
            ToctreeGroup("How-to", howtos),
        ],
    )
    (book,) = map_toctree(project, extras="omit").shelf.books
    assert [(type(e).__name__, e.key) for e in book.contents] == [
        ("Page", "index"),
        ("Page", "intro"),
        ("Chapter", "chapter:index:guides"),
        ("Chapter", "chapter:index:how-to"),
    ]
    assert [len(c.pages) for c in book.chapters] == [30, 25]
    # Under the limit, the same root stays one flat book.
    small = Project(
        **{**project.__dict__, "docnames": ["index", "intro", *guides[:20], *howtos[:20]]}
    )
    assert map_toctree(small, extras="omit").shelf.books[0].chapters == []
