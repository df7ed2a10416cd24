"""Output safety of the bookstack builder on hostile input (issue 9).

One build of ``test-hostile-input`` plus files with hostile names made at test time
(names with quotes, ``<``, ``&`` or ``..`` would make the repository unusable on
some systems).  Every output is parsed, not grepped: data.json and
manifest.json with ``json``, page HTML and the browsable copy with
BeautifulSoup.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from helpers.build import all_pages, build, read_book
from helpers.zip_checker import check_package

ROOT = Path(__file__).parents[1] / "roots" / "test-hostile-input"
RAW_PAGE = "1-hostile/3-raw-html.md"

#: Elements that must never reach a page, whatever the raw HTML held.
FORBIDDEN_TAGS = {"script", "style", "svg", "form", "input", "button", "object", "embed", "meta"}
#: Attributes that carry URLs.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "cite", "background", "data"}
ENTRY = re.compile(r"^(data\.json|files/[A-Za-z0-9][A-Za-z0-9._-]*)$")


def dangerous_url(value: str) -> bool:
    """Independent of the code under test: what a browser would run or render inline."""
    squeezed = "".join(ch for ch in value if ord(ch) > 0x20).lower()
    return squeezed.startswith(("javascript:", "vbscript:", "data:"))


def unsafe_parts(html: str) -> list[str]:
    """Everything unsafe in *html*: forbidden tags, on* handlers, bad URLs, srcdoc."""
    found = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        if tag.name in FORBIDDEN_TAGS and not (
            tag.name == "input" and tag.get("type") == "checkbox"
        ):
            found.append(f"<{tag.name}>")
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on") or name.lower() in ("srcdoc", "xlink:href"):
                found.append(f"{name} on <{tag.name}>")
            elif name.lower() in URL_ATTRIBUTES and dangerous_url(text):
                found.append(f"{name}={text!r} on <{tag.name}>")
    return found


def add_hostile_files(srcdir: Path) -> None:
    book = srcdir / "1-hostile"
    static = book / "_static"
    png = (static / "picture.png").read_bytes()
    (static / "a&b'c(e)=.png").write_bytes(png)
    (static / "..dots...png").write_bytes(png + b"\0")
    (static / "..%2e%2e..csv").write_text("a,b\n")
    (book / "6-weird & 'name' <1>.md").write_text(
        "# Weird file names\n\n"
        "![odd image](<_static/a&b'c(e)=.png>)\n\n"
        "![dots](<_static/..dots...png>)\n\n"
        "{download}`a download <_static/..%2e%2e..csv>`\n",
        encoding="utf-8",
    )
    folder = srcdir / '2-folder "q" & <x> ..'
    folder.mkdir()
    (folder / "README.md").write_text('# Folder "q" & <x>\n\nA book in an odd folder.\n')
    (folder / "1-page.md").write_text("# A page\n\nText.\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("hostile-input")
    srcdir = tmp / "src"
    shutil.copytree(ROOT, srcdir)
    add_hostile_files(srcdir)
    outdir, warnings = build(srcdir, tmp / "_build")
    return outdir, warnings


def books(outdir: Path) -> dict[str, dict[str, Any]]:
    return {path.name: read_book(path)["book"] for path in sorted((outdir / "books").glob("*.zip"))}


def page_named(outdir: Path, name: str) -> dict[str, Any]:
    return next(p for b in books(outdir).values() for p in all_pages(b) if p["name"] == name)


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


# -- raw HTML ------------------------------------------------------------------------------


def test_no_page_in_any_zip_holds_anything_unsafe(built: tuple[Path, str]) -> None:
    outdir, _ = built
    every_page = [p for book in books(outdir).values() for p in all_pages(book)]
    assert len(every_page) >= 7
    for page in every_page:
        assert unsafe_parts(page["html"]) == [], page["name"]
    for book in books(outdir).values():
        for item in [book, *book["chapters"]]:
            assert unsafe_parts(item.get("description_html", "")) == []


def test_what_bookstack_keeps_is_kept(built: tuple[Path, str]) -> None:
    soup = BeautifulSoup(page_named(built[0], "Raw HTML")["html"], "html.parser")
    assert soup.find("details").summary.get_text() == "More"
    callout = soup.find("p", id="bkmrk-kept-callout")
    assert callout["class"] == ["callout", "warning"]
    assert [c.get_text() for c in soup.find("table").find_all(["th", "td"])] == ["Head", "Cell"]
    frames = [f for f in soup.find_all("iframe") if f.get("src")]
    assert [f["src"] for f in frames] == ["https://www.youtube-nocookie.com/embed/xyz"]
    link = soup.find("a", href=True)
    assert (link["href"], link["target"]) == ("https://example.org/?a=1&b=2", "_blank")
    assert soup.find("kbd").get_text() == "Ctrl"
    code = soup.find("code", class_="language-python")
    assert "<script>in code stays text</script>" in code.get_text()
    # The text of every cleaned block survives; only the unsafe parts went.
    for text in (
        "javascript link",
        "mixed case",
        "entity encoded",
        "data URL",
        "an inline raw link",
    ):
        assert soup.find("a", string=text) is not None and not soup.find("a", string=text).get(
            "href"
        )
    # Its event handler is gone; "x" names no file of the project, so the alt text is
    # shown in place of the image (a mosaic.image warning says so).
    assert soup.find("img", alt="broken image") is None
    assert "broken image" in soup.get_text()
    assert "A paragraph with an event handler." in soup.get_text()
    assert all(element.get("id", "").startswith("bkmrk-") for element in soup.find_all(True)[:1])


def test_ids_come_from_the_text_not_from_raw_markup(built: tuple[Path, str]) -> None:
    soup = BeautifulSoup(page_named(built[0], "Raw HTML")["html"], "html.parser")
    ids = [element["id"] for element in soup.find_all(id=True)]
    assert "bkmrk-a-paragraph-with-an-" in ids  # BookStack's rule: the first 20 characters
    # No id is made of markup: "<svg><script>..." used to give bkmrk-%3Csvg%3E%3Cscript...
    assert not [ident for ident in ids if ident.startswith("bkmrk-%3C") or "%3Ca" in ident], ids


def test_each_unsafe_raw_block_warns_with_its_file_and_line(built: tuple[Path, str]) -> None:
    _, warnings = built
    source = (ROOT / RAW_PAGE).read_text()
    raw_lines = [line for line in warnings.splitlines() if "raw HTML holds" in line]
    assert all("[mosaic.bookstack]" in line for line in raw_lines)
    expected = {
        '<script>alert("script block")': "<script>",
        "onerror=": "onerror=",
        "alert('js')": "href=\"javascript:alert('js')\"",
        "JaVaScRiPt:": 'href="JaVaScRiPt:',
        "&#106;avascript": "href=\"javascript:alert('entity')\"",
        "java&#x09;script": "href=",
        "data:text/html": 'href="data:text/html',
        "alert('frame')": "src=\"javascript:alert('frame')\" on <iframe>",
        "<style>": "<style>",
        "<svg>": "<svg>",
        "<form": "<form>",
        "<IMG SRC": "src=",
        "onmouseover": "onmouseover=",
        "an inline raw link": "href=\"javascript:alert('inline')\"",
    }
    for needle, removed in expected.items():
        where = f"{RAW_PAGE}:{line_of(source, needle)}: WARNING"
        assert any(where in line and removed in line for line in raw_lines), (needle, raw_lines)
    # Blocks BookStack keeps give no warning.
    for kept in ("<details>", "bkmrk-kept-callout", "<table>", "youtube-nocookie", "Safe <a"):
        assert not any(f"{RAW_PAGE}:{line_of(source, kept)}:" in line for line in raw_lines)
    rest = (ROOT / "1-hostile" / "5-rest.rst").read_text()
    assert any(
        f"5-rest.rst:{line_of(rest, '.. raw:: html')}: WARNING: raw HTML" in line
        and "onerror" in line
        for line in raw_lines
    )


def test_unsafe_link_urls_of_the_markup_are_dropped_with_a_warning(
    built: tuple[Path, str],
) -> None:
    outdir, warnings = built
    lines = [line for line in warnings.splitlines() if "uses a scheme BookStack" in line]
    assert len([line for line in lines if "5-rest.rst:4:" in line]) == 2
    assert all("[mosaic.bookstack]" in line for line in lines)
    soup = BeautifulSoup(page_named(outdir, "Links in reST")["html"], "html.parser")
    assert not soup.find("a", string="javascript link").get("href")
    assert soup.find("a", string="mail link")["href"] == "mailto:someone@example.org"


def test_other_extensions_html_goes_through_the_same_rules(built: tuple[Path, str]) -> None:
    outdir, warnings = built
    page = page_named(outdir, "Links and images")
    soup = BeautifulSoup(page["html"], "html.parser")
    assert "Text inside a widget" in soup.get_text() and "steal()" not in page["html"]
    source = (ROOT / "1-hostile" / "4-links.md").read_text()
    where = f"4-links.md:{line_of(source, '{hostile-widget}')}: WARNING: the HTML of this node"
    (line,) = [line for line in warnings.splitlines() if where in line]
    assert "<script>" in line and 'onclick="steal()" on <div>' in line


def test_a_remote_download_with_a_script_url_is_not_linked(built: tuple[Path, str]) -> None:
    outdir, warnings = built
    source = (ROOT / "1-hostile" / "5-rest.rst").read_text()
    assert any(
        f"5-rest.rst:{line_of(source, ':download:')}: WARNING: download URL" in line
        for line in warnings.splitlines()
    )
    soup = BeautifulSoup(page_named(outdir, "Links in reST")["html"], "html.parser")
    assert "remote download" in soup.get_text()
    assert not [a for a in soup.find_all("a", href=True) if "example.org/%0A" in a["href"]]


def test_data_uri_images_become_files(built: tuple[Path, str]) -> None:
    page = page_named(built[0], "Links and images")
    img = BeautifulSoup(page["html"], "html.parser").find("img", alt="a data image")
    assert re.fullmatch(r"\[\[bsexport:image:\d+\]\]", img["src"])


# -- names: escaping everywhere ------------------------------------------------------------


def test_hostile_titles_are_text_in_every_output(built: tuple[Path, str]) -> None:
    outdir, _ = built
    manifest = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
    # Names are the titles Sphinx read, smart quotes included (as the html <title> shows them).
    assert manifest["shelf"]["name"] == "Shelf </title><script>alert(“shelf”)</script> & “quotes”"
    assert manifest["project"] == 'Safety "test" & <script>alert(1)</script>'
    descriptions = [manifest["shelf"]["description_html"]] + [
        entry["description_html"]
        for book in manifest["books"]
        for entry in [book, *book["contents"]]
        if "description_html" in entry
    ]
    assert len(descriptions) >= 3 and all(unsafe_parts(d) == [] for d in descriptions)
    hostile = books(outdir)["1-hostile.zip"]
    assert hostile["name"] == "Book ‘single’ “double” & ampersand </title>"
    titles = next(p for p in all_pages(hostile) if p["name"].startswith("🚀"))
    # (&lt; in the heading is an entity: Sphinx reads it as <.)
    assert titles["name"] == "🚀 Émoji مرحبا \u202eevil\u202c & “q” ‘<’ </title>"
    by_key = {
        item["key"]: item["name"]
        for book in manifest["books"]
        for entry in book["contents"]
        for item in (entry.get("pages", []) if entry["type"] == "chapter" else [entry])
    }
    assert titles["name"] in by_key.values()
    # The browsable copy: every name is text of <title>, <h1> and the lists, never markup.
    html = outdir / "html"
    shelf = BeautifulSoup((html / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert shelf.title.get_text() == manifest["shelf"]["name"]
    assert shelf.h1.get_text() == manifest["shelf"]["name"]
    book_index = BeautifulSoup((html / "1-hostile" / "index.html").read_text(), "html.parser")
    assert book_index.title.get_text() == hostile["name"]
    assert titles["name"] in [a.get_text() for a in book_index.find_all("a")]
    for path in html.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        soup = BeautifulSoup(text, "html.parser")
        assert unsafe_parts(str(soup.body)) == [], path
        assert [m.attrs for m in soup.find_all("meta")] == [
            {"charset": "utf-8"},
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
        ], path
        assert len(soup.find_all("title")) == 1 and len(soup.find_all("h1")) == 1, path


def test_long_names_are_shortened_with_a_warning_naming_the_page(
    built: tuple[Path, str],
) -> None:
    outdir, warnings = built
    long = next(p for p in all_pages(books(outdir)["1-hostile.zip"]) if p["name"].startswith("NNN"))
    assert len(long["name"]) == 255 and long["name"].endswith("…")
    assert any(
        "1-hostile/2-long.md" in line and "[mosaic.bookstack-limit]" in line
        for line in warnings.splitlines()
    )


# -- paths ---------------------------------------------------------------------------------


def test_zip_entry_names_are_flat_and_safe(built: tuple[Path, str]) -> None:
    outdir, _ = built
    zips = sorted((outdir / "books").glob("*.zip"))
    assert [z.name for z in zips] == ["1-hostile.zip", "2-folder-q-x.zip"]
    weird = page_named(outdir, "Weird file names")
    assert len(weird["images"]) == 2 and len(weird["attachments"]) == 1
    for path in zips:
        assert check_package(path) == []
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                assert ENTRY.match(info.filename), info.filename
                assert ".." not in info.filename and not info.filename.startswith("/")


def test_browsable_copy_stays_inside_its_folder(built: tuple[Path, str]) -> None:
    outdir, _ = built
    html = (outdir / "html").resolve()
    files = [p for p in html.rglob("*") if p.is_file()]
    assert any(p.suffix == ".csv" for p in files)
    for path in files:
        assert path.resolve().is_relative_to(html)
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", path.name), path.name
        assert ".." not in path.name
    # Every relative link of the copy resolves inside it.
    for page in html.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(["a", "img"]):
            target = tag.get("href") or tag.get("src") or ""
            if not target or "://" in target or target.startswith(("#", "mailto:", "x")):
                continue
            resolved = (page.parent / target.split("#")[0]).resolve()
            assert resolved.is_relative_to(html), (page, target)
