"""BookStack's limits are checked at build time, each with a warning naming the page.

BookStack's ZIP validator and API rules: names of shelves, books,
chapters and pages at most 255 characters, image names 180, ``description_html``
2,000; tag values are kept to 255 (also the publisher's ``mosaic-key`` tag, which
holds the page's number-free path).  The upload limit (50 MB) has its own test in
bookstack/test_incremental.py; the pure helpers are tested at the end.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from helpers.build import ROOTS, build, read_book
from helpers.zip_checker import check_package

from sphinx_mosaic.bookstack.format.files import check_reference, safe_file_name
from sphinx_mosaic.bookstack.format.html import clean_reporting, is_safe_url, url_scheme
from sphinx_mosaic.bookstack.format.portable_zip import zip_bytes

PNG = ROOTS / "test-hostile-input" / "1-hostile" / "_static" / "picture.png"
LONG_FOLDER = "2-" + "k" * 200
LONG_IMAGE = "i" * 200 + ".png"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    tmp = tmp_path_factory.mktemp("limits")
    src = tmp / "src"
    chapter = src / "1-book" / "1-chapter"
    deep = src / "1-book" / LONG_FOLDER
    chapter.mkdir(parents=True)
    deep.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_mosaic"]\nproject = "Limits"\n'
        'copyright = "2026"\nversion = release = "1.0"\nmosaic_page_footer = False\n'
        "mosaic_last_updated_sources = []\n"
    )
    (src / "README.md").write_text(f"# {'S' * 300}\n\nThe shelf.\n")
    (src / "1-book" / "README.md").write_text(f"# {'B' * 300}\n\n{'word ' * 420}\n")
    (chapter / "README.md").write_text(f"# {'C' * 300}\n\nThe chapter.\n")
    (chapter / LONG_IMAGE).write_bytes(PNG.read_bytes())
    (chapter / "1-page.md").write_text(
        f"---\naudience: {'a' * 300}\n---\n# A page\n\n![picture]({LONG_IMAGE})\n"
    )
    (deep / ("1-" + "p" * 100 + ".md")).write_text("# Deep page\n\nText.\n")
    outdir, warnings = build(src, tmp / "_build")
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in warnings.splitlines()]
    return outdir, [line for line in lines if line]


def book(outdir: Path) -> dict[str, Any]:
    return read_book(outdir / "books" / "1-book.zip")["book"]  # type: ignore[no-any-return]


def warned(lines: list[str], where: str, text: str) -> bool:
    return any(
        where in line and text in line and "[mosaic.bookstack-limit]" in line for line in lines
    )


def test_every_limit_warns_naming_the_page(built: tuple[Path, list[str]]) -> None:
    _, lines = built
    assert warned(lines, "src/README.md", "shelf name is 300 characters")
    assert warned(lines, "1-book/README.md", "book name is 300 characters")
    assert warned(lines, "1-book/README.md", "as a BookStack description (at most 2000)")
    assert warned(lines, "1-chapter/README.md", "chapter name is 300 characters")
    assert warned(lines, "1-chapter/1-page.md", "mosaic-audience tag value is 300")
    assert warned(lines, "1-chapter/1-page.md", "image name is 204 characters")
    assert warned(lines, "1-chapter/1-page.md", "rename the image file")
    assert warned(lines, f"{LONG_FOLDER}/1-ppp", "the publisher identifies the page")
    assert warned(lines, f"{LONG_FOLDER}/1-ppp", "mosaic-source tag value is 315")
    assert all("[mosaic.bookstack-limit]" in line for line in lines), lines
    assert len(lines) == 8, lines


def test_the_output_keeps_within_the_limits(built: tuple[Path, list[str]]) -> None:
    outdir, _ = built
    assert check_package(outdir / "books" / "1-book.zip") == []
    data = book(outdir)
    manifest = json.loads((outdir / "manifest.json").read_text())
    assert len(manifest["shelf"]["name"]) == 255
    assert len(data["name"]) == 255 and data["name"].endswith("…")
    assert len(data["description_html"]) <= 2000
    chapter = data["chapters"][0]
    assert len(chapter["name"]) == 255
    page = chapter["pages"][0]
    assert len(page["images"][0]["name"]) == 180
    audience = next(t for t in page["tags"] if t["name"] == "mosaic-audience")
    assert len(audience["value"]) == 255


# -- the helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("javascript:alert(1)", "javascript"),
        ("JaVaScRiPt:alert(1)", "javascript"),
        (" \x01java\tscr\nipt:alert(1)", "javascript"),
        ("data:text/html,x", "data"),
        ("https://example.org/a:b", "https"),
        ("page.html#x:y", None),
        ("/books/a:b", None),
        ("[[bsexport:page:3]]#bkmrk-x", None),
    ],
)
def test_url_scheme_reads_urls_as_browsers_do(url: str, scheme: str | None) -> None:
    assert url_scheme(url) == scheme
    assert is_safe_url(url) == (scheme in (None, "https"))


def test_cleaning_keeps_bookstack_markup_and_reports_each_removal() -> None:
    kept = (
        '<p class="callout info" id="bkmrk-a">A</p><details><summary>S</summary>D</details>'
        '<pre><code class="language-python">x</code></pre><img src="[[bsexport:image:1]]" alt="i">'
        '<a href="[[bsexport:page:2]]#bkmrk-b" target="_blank">b</a>'
        '<div drawio-diagram="1"><img src="[[bsexport:image:2]]"></div>'
    )
    assert clean_reporting(kept) == (kept, [])
    cleaned, removed = clean_reporting(
        '<a href="javascript:x" target="_top" rel="x">a</a><p data-x="1" onclick="y">p</p>'
        '<input type="text"><object data="javascript:z"></object>'
    )
    assert "javascript" not in cleaned and "onclick" not in cleaned and "data-x" not in cleaned
    assert '<input type="checkbox" disabled="disabled">' in cleaned or "disabled" in cleaned
    assert set(removed) >= {
        'href="javascript:x" on <a>',
        'target="_top" on <a>',
        'onclick="y" on <p>',
        'data-x="1" on <p>',
        'type="text" on <input>',
        "<object>",
    }


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "/abs/x.png", "a..b.png", "C:\\x\\..\\y", "...", "ü b.png"]
)
def test_file_names_are_flat_and_safe(name: str) -> None:
    safe = safe_file_name(name, 60)
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", safe) and ".." not in safe
    assert check_reference(f"0123-{safe}.png")


@pytest.mark.parametrize("ref", ["../x.png", "/x.png", "a/b.png", "a..png", "", ".x"])
def test_an_unsafe_zip_reference_is_refused(ref: str) -> None:
    with pytest.raises(ValueError, match="unsafe ZIP file reference"):
        zip_bytes(b"{}", {ref: b"x"})
