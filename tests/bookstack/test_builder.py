"""The bookstack builder on a root using every construct: valid ZIPs, clean HTML, manifest."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import sphinx
from bs4 import BeautifulSoup
from helpers.build import ROOTS, all_pages, build, copy_root, read_book
from helpers.zip_checker import check_package

from sphinx_mosaic.bookstack.format.images import sniff

SCHEMA = json.loads((ROOTS / "test-bookstack-schema" / "bookstack-zip-schema.json").read_text())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("bookstack")
    return build(copy_root("bookstack", tmp), tmp / "_build")


@pytest.fixture(scope="module")
def guide(built: tuple[Path, str]) -> dict[str, Any]:
    return read_book(built[0] / "books" / "1-guide.zip")["book"]  # type: ignore[no-any-return]


def page_named(book: dict[str, Any], name: str) -> dict[str, Any]:
    return next(page for page in all_pages(book) if page["name"] == name)


def test_builds_without_warnings(built: tuple[Path, str]) -> None:
    outdir, warnings = built
    assert warnings == ""
    assert sorted(p.name for p in (outdir / "books").iterdir()) == ["1-guide.zip", "2-other.zip"]
    assert (outdir / "manifest.json").is_file()
    assert (outdir / "html" / "index.html").is_file()


def test_zips_validate(built: tuple[Path, str]) -> None:
    for path in sorted((built[0] / "books").glob("*.zip")):
        jsonschema.validate(read_book(path), SCHEMA)
        assert check_package(path) == []


def test_zip_entries_sorted_with_fixed_dates(built: tuple[Path, str]) -> None:
    with zipfile.ZipFile(built[0] / "books" / "1-guide.zip") as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert names[0] == "data.json"
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        for name in names:
            if name.startswith("files/"):
                assert "/" not in name.removeprefix("files/")


def test_structure_and_priorities(guide: dict[str, Any]) -> None:
    assert guide["name"] == "The guide"
    # The first paragraph is the description, with allow-listed tags only.
    assert guide["description_html"] == (
        '<p>The guide’s <em>description</em>, with <a href="https://example.org">a link</a>.</p>'
    )
    # The index page's remaining content is the book's first page.
    order = sorted(
        [(p["priority"], "page", p["name"]) for p in guide["pages"]]
        + [(c["priority"], "chapter", c["name"]) for c in guide["chapters"]]
    )
    # The shelf page's content beyond its description opens the first book.
    assert order == [
        (0, "page", "Test shelf"),
        (1, "page", "The guide"),
        (2, "chapter", "Basics"),
        (3, "page", "Reference"),
    ]
    shelf_page = page_named(guide, "Test shelf")["html"]
    assert "testing" not in shelf_page and "For new users" in shelf_page
    basics = guide["chapters"][0]
    assert basics["description_html"] == "<p>Only a description for this chapter.</p>"
    # No first page for a chapter index with nothing but its description; the deeper
    # folder's page is flattened into the chapter, in reading order.
    assert [(p["priority"], p["name"]) for p in basics["pages"]] == [
        (0, "Blocks"),
        (1, "Links"),
        (2, "Nested page"),
    ]
    first = page_named(guide, "The guide")["html"]
    assert "description" not in first and "More content of the book index" in first


def test_tags(guide: dict[str, Any]) -> None:
    assert page_named(guide, "Blocks")["tags"] == [
        {"name": "mosaic-status", "value": "complete"},
        {"name": "mosaic-audience", "value": "new-users"},
        {"name": "mosaic-audience", "value": "developers"},
        {"name": "mosaic-source", "value": "1-guide/1-basics/1-blocks.md"},
    ]
    assert page_named(guide, "Reference")["tags"] == [
        {"name": "mosaic-source", "value": "1-guide/2-reference.rst"}
    ]


@pytest.mark.parametrize(
    ("written", "tags"),
    [
        ('["New Users", "developers", "new_users"]', ["new-users", "developers"]),
        ("'Operators', ops", ["operators", "ops"]),
        ("[broken, Admins", ["broken", "admins"]),
        ("", []),
    ],
)
def test_audience_tags_are_the_audiences_the_reading_paths_use(
    written: str, tags: list[str]
) -> None:
    """One parser for the ``audience`` field: the tag values are the audiences the paths
    know the page by (a second parser kept case, spaces, quotes and repeats)."""
    from types import SimpleNamespace

    from sphinx_mosaic.bookstack.mapping import page_tags

    env = SimpleNamespace(metadata={"page": {"audience": written}})
    got = [t["value"] for t in page_tags(env, "page", "page.md") if t["name"] == "mosaic-audience"]
    assert got == tags


def test_ids_unique_and_bookstack_style(guide: dict[str, Any]) -> None:
    for page in all_pages(guide):
        soup = BeautifulSoup(page["html"], "html.parser")
        ids = [tag["id"] for tag in soup.find_all(id=True)]
        assert len(ids) == len(set(ids)), page["name"]
        assert all(ident.startswith("bkmrk-") for ident in ids)
        for tag in soup.find_all(recursive=False):
            assert tag.get("id"), f"top-level <{tag.name}> without id in {page['name']}"
        for heading in soup.find_all(re.compile(r"^h[1-6]$")):
            assert heading.get("id")
        # The title is BookStack's page name, not repeated in the body.
        assert f">{page['name']}</h1>" not in page["html"]


def test_no_theme_scripts_or_styles(guide: dict[str, Any]) -> None:
    for page in all_pages(guide):
        soup = BeautifulSoup(page["html"], "html.parser")
        assert not soup.find_all(["script", "style", "section", "link", "svg"])
        assert not soup.find_all(style=True)
        assert "headerlink" not in page["html"] and "highlight" not in page["html"]


def test_callouts(guide: dict[str, Any]) -> None:
    soup = BeautifulSoup(page_named(guide, "Blocks")["html"], "html.parser")
    callouts = [
        (tag["class"][1], tag.strong.get_text() if tag.strong else "")
        for tag in soup.select("p.callout")
    ]
    assert callouts[:7] == [
        ("info", "Note"),
        ("warning", "Warning"),
        ("success", "Tip"),
        ("danger", "Danger"),
        ("warning", "Important"),
        ("info", "See also"),
        ("success", "Custom title"),
    ]
    kinds = [tag["class"][1] for tag in soup.select("p.callout")]
    assert kinds[7:] == ["success", "warning", "info"]  # versionadded, deprecated, todo
    note = soup.select("p.callout")[0]
    # The callout paragraph holds the text; the note's list follows it as a list.
    assert note.find("p") is None and note.get_text().endswith("a list:")
    following = note.find_next_sibling()
    assert following.name == "ul" and following.get_text(strip=True) == "onetwo"


def test_code_blocks(guide: dict[str, Any]) -> None:
    soup = BeautifulSoup(page_named(guide, "Blocks")["html"], "html.parser")
    codes = [(tuple(code.get("class", [])), code.get_text()) for code in soup.select("pre > code")]
    languages = [classes for classes, _ in codes]
    assert languages == [
        ("language-python",),
        ("language-bash",),  # console
        ("language-yaml",),
        (),  # text
        (),  # erlang: unknown to BookStack's viewer
        ("language-latex",),  # math block
    ]
    assert 'return f"Hello {name} & <friends>"' in codes[0][1]
    assert not soup.select("pre span")  # no Pygments markup


def test_links_resolve_inside_zip(guide: dict[str, Any]) -> None:
    blocks = page_named(guide, "Blocks")["id"]
    links = page_named(guide, "Links")
    soup = BeautifulSoup(links["html"], "html.parser")
    hrefs = [a["href"] for a in soup.find_all("a", href=True)]
    assert hrefs[:10] == [
        "#bkmrk-figures-and-files",
        f"[[bsexport:page:{blocks}]]",
        f"[[bsexport:page:{blocks}]]",
        f"[[bsexport:page:{blocks}]]",
        f"[[bsexport:page:{blocks}]]#bkmrk-code",
        "[[bsexport:chapter:1]]",
        "[[bsexport:book:1]]",
        "/books/other-book/page/target-page#bkmrk-a-section",
        "/books/other-book",
        # The root document is the shelf page's content, the first page of this book.
        f"[[bsexport:page:{page_named(guide, 'Test shelf')['id']}]]",
    ]
    assert "https://example.org/path?q=1" in hrefs
    # Every anchor a link names exists on its target page.
    blocks_ids = {
        t["id"]
        for t in BeautifulSoup(page_named(guide, "Blocks")["html"], "html.parser").find_all(id=True)
    }
    assert "bkmrk-code" in blocks_ids


def test_images_and_attachments(built: tuple[Path, str], guide: dict[str, Any]) -> None:
    links = page_named(guide, "Links")
    names = [image["name"] for image in links["images"]]
    assert names == ["diagram.svg", "picture.png"]
    with zipfile.ZipFile(built[0] / "books" / "1-guide.zip") as archive:
        for image in links["images"]:
            assert sniff(archive.read(f"files/{image['file']}")) == "image/png"
        (attachment,) = links["attachments"]
        assert attachment["name"] == "data.csv"
        assert archive.read(f"files/{attachment['file']}") == b"name,value\na,1\n"
    soup = BeautifulSoup(links["html"], "html.parser")
    assert [img["src"] for img in soup.find_all("img")] == [
        "[[bsexport:image:1]]",
        "[[bsexport:image:2]]",
    ]
    assert soup.find("a", href=f"[[bsexport:attachment:{attachment['id']}]]")
    caption = soup.find("em", string="The caption of the figure.")
    assert caption is not None and caption.parent.name == "p"


def test_status_badge_and_paths_are_plain(guide: dict[str, Any]) -> None:
    html = page_named(guide, "Blocks")["html"]
    assert "<strong>🟢 Complete</strong>" in html
    assert "<strong>🟡 Partial</strong>" in html
    assert "mosaic-" not in html


def test_raw_html_only_for_html(guide: dict[str, Any]) -> None:
    html = page_named(guide, "Blocks")["html"]
    assert "Raw <em>HTML</em>" in html
    assert "LaTeX only" not in html


def test_manifest(built: tuple[Path, str], guide: dict[str, Any]) -> None:
    manifest = json.loads((built[0] / "manifest.json").read_text())
    assert manifest["format"] == "sphinx-mosaic-bookstack/1"
    assert manifest["shelf"]["name"] == "Test shelf"
    assert manifest["shelf"]["description_html"].startswith("<p>A shelf for <strong>testing")
    books = manifest["books"]
    assert [(b["key"], b["zip"], b["priority"]) for b in books] == [
        ("guide", "books/1-guide.zip", 0),
        ("other", "books/2-other.zip", 1),
    ]
    contents = books[0]["contents"]
    assert [(c["type"], c["key"]) for c in contents] == [
        ("page", "README"),
        ("page", "guide/README"),
        ("chapter", "guide/basics"),
        ("page", "guide/reference"),
    ]
    chapter = contents[2]
    assert [p["key"] for p in chapter["pages"]] == [
        "guide/basics/blocks",
        "guide/basics/links",
        "guide/basics/deep/nested",
    ]
    links = chapter["pages"][1]
    assert links["source"] == "1-guide/1-basics/2-links.md"
    assert links["zip_id"] == page_named(guide, "Links")["id"]
    assert links["images"] == [1, 2] and len(links["attachments"]) == 1
    assert {
        "href": "/books/other-book/page/target-page#bkmrk-a-section",
        "key": "other/target",
        "anchor": "bkmrk-a-section",
    } in links["cross_links"]
    assert all(len(p["hash"]) == 64 for p in chapter["pages"])


def test_browsable_copy(built: tuple[Path, str]) -> None:
    html = built[0] / "html"
    page = (html / "1-guide").glob("page-*-links.html")
    soup = BeautifulSoup(next(page).read_text(), "html.parser")
    assert soup.h1.get_text() == "Links"
    hrefs = [a["href"] for a in soup.find_all("a", href=True)]
    assert "page-3-blocks.html#bkmrk-code" in hrefs
    assert "../2-other/page-2-target.html#bkmrk-a-section" in hrefs
    assert not soup.find_all("script")
    for img in soup.find_all("img"):
        assert (html / "1-guide" / img["src"]).is_file()


def test_page_html_snapshot(guide: dict[str, Any], file_regression: Any) -> None:
    # One snapshot per Sphinx major: docutils and MyST versions differ in small ways.
    text = "".join(f"<!-- page {p['id']}: {p['name']} -->\n{p['html']}" for p in all_pages(guide))
    basename = f"page_html_sphinx{sphinx.version_info[0]}"
    file_regression.check(text, basename=basename, extension=".html")


def test_status_table_and_path_overview_render(built: tuple[Path, str]) -> None:
    other = read_book(built[0] / "books" / "2-other.zip")["book"]
    first, target = sorted(other["pages"], key=lambda page: page["priority"])
    table = BeautifulSoup(first["html"], "html.parser").find("table")
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in table.find_all("tr")[1:]
    ]
    assert [row[0] for row in rows] == ["The guide", "Other book"]
    assert rows[0][1].startswith("🟡 Partial")
    overview = BeautifulSoup(target["html"], "html.parser").find("ul")
    assert overview.find("a", href="/books/the-guide/page/blocks")


TRANSLATOR_CONF = """
from sphinx.writers.html5 import HTML5Translator
from sphinx_mosaic.bookstack.translate.translator import BookStackTranslator

extensions = ["sphinx_mosaic"]
project = "Demo"


class Plain(HTML5Translator):
    pass


class Shouting(BookStackTranslator):
    def visit_emphasis(self, node):
        self.body.append("<strong>")

    def depart_emphasis(self, node):
        self.body.append("</strong>")


def setup(app):
    app.set_translator("bookstack", {translator})
"""


@pytest.mark.parametrize("translator", ["Plain", "Shouting"])
def test_a_translator_set_for_the_builder_must_derive_from_ours(
    tmp_path: Path, translator: str
) -> None:
    """``app.set_translator("bookstack", X)``: a subclass of ours is used as is; any other
    class would write HTML BookStack does not keep (and could not take the translation
    context), so the build warns and keeps ours, and the page is written."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(TRANSLATOR_CONF.replace("{translator}", translator))
    (src / "index.rst").write_text("Demo\n====\n\n.. toctree::\n\n   page\n")
    (src / "page.rst").write_text("Page\n====\n\nIntro.\n\nSome *words*.\n\n.. note:: Noted.\n")
    outdir, warnings = build(src, tmp_path / "_build")
    (book,) = (outdir / "books").glob("*.zip")
    (page,) = all_pages(read_book(book)["book"])
    html = page["html"]
    if translator == "Plain":
        assert "does not derive from sphinx_mosaic's BookStackTranslator" in warnings
        assert "[mosaic.bookstack]" in warnings
        assert "<em>words</em>" in html
        assert 'class="callout info"' in html  # ours wrote the page, not Plain
    else:
        assert warnings == ""
        assert "<strong>words</strong>" in html
