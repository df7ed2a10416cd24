"""Pages survive BookStack's render-time content filter (v25.12.4 and later).

BookStack filters page HTML when it shows a page (HTML Purifier with an HTML5
allow-list) and a colleague's save stores the filtered page, so whatever the
filter would remove is lost for good.  ``helpers/content_filter.py`` emulates the
filter; every page of the fidelity root must come out of it unchanged.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from helpers.build import all_pages, build, copy_root, read_book
from helpers.content_filter import content_filter
from helpers.zip_checker import check_package
from PIL import Image

from sphinx_mosaic.bookstack.format.html import clean_html
from sphinx_mosaic.bookstack.translate.purifier import purify
from sphinx_mosaic.bookstack.translate.rawimages import inline_svgs, standalone

pytest.importorskip("sphinx_design")


@pytest.fixture(scope="module")
def fidelity(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], str]:
    tmp = tmp_path_factory.mktemp("filter")
    outdir, warnings = build(copy_root("bookstack-fidelity", tmp), tmp / "_build")
    path = outdir / "books" / "1-book.zip"
    pages = {page["name"]: page for page in all_pages(read_book(path)["book"])}
    return path, pages, warnings


# -- the emulation itself ----------------------------------------------------


@pytest.mark.parametrize(
    ("html", "lost"),
    [
        ('<p data-x="1">t</p>', 'data-x="1" on <p>'),
        ('<p role="heading">t</p>', 'role="heading" on <p>'),
        ("<p>a<svg><rect/></svg></p>", "<svg> and its content"),
        ("<p>a<math><mi>x</mi></math></p>", "<math> and its content"),
        ("<style>p{}</style><p>t</p>", "<style> and its content"),
        ('<p style="position: absolute; color: red">t</p>', "CSS 'position: absolute'"),
        ('<p style="--gap: 2px">t</p>', "CSS '--gap: 2px'"),
        ('<p id="a">1</p><p id="a">2</p>', 'id="a" on <p> (duplicate id)'),
        ("<details><p>b</p><summary>S</summary></details>", "<summary> not first"),
        ('<a href="x" rel="nofollow">t</a>', 'rel="nofollow" on <a>'),
        ('<a href="x" target="_self">t</a>', 'target="_self" on <a>'),
        ('<a href="javascript:go()">t</a>', "<a> with a script or data URL"),
        ('<p onclick="go()">t</p>', 'onclick="go()" on <p>'),
        ('<iframe src="https://e.org" allowfullscreen></iframe>', "allowfullscreen on <iframe>"),
        ('<input type="text">', "<input> and its content"),
        ('<pre>a <img src="x.png" alt="i"> b</pre>', "<img> inside <pre>"),
        ('<img src="https://e.org/a/pic.png">', "an <img> without alt"),
        ("<p>a<!-- note -->b</p>", "an HTML comment"),
    ],
)
def test_the_emulation_finds(html: str, lost: str) -> None:
    filtered = content_filter(html)
    assert any(what.startswith(lost) for what in filtered.removed), filtered.removed
    assert filtered.html != filtered.original


def test_the_emulation_keeps_what_bookstack_keeps() -> None:
    html = (
        '<details id="bkmrk-d" open><summary>S</summary><p>x</p></details>'
        '<figure><img src="[[bsexport:image:1]]" alt="a" width="4"><figcaption>c</figcaption>'
        '</figure><p class="callout info" id="bkmrk-p">A <kbd>k</kbd> <mark>m</mark> '
        '<abbr title="t">ab</abbr> <sub>1</sub><sup>2</sup> <a href="#bkmrk-d" '
        'target="_blank">l</a> <code>c</code></p><table><caption>c</caption><colgroup>'
        '<col style="width: 30%"></colgroup><tbody><tr><td colspan="2">x</td></tr></tbody>'
        '</table><ul><li><input type="checkbox" checked disabled> done</li></ul>'
        '<pre><code class="language-python">x</code></pre>'
        '<iframe src="https://example.org" width="4"></iframe><dl><dt>t</dt><dd>d</dd></dl>'
    )
    filtered = content_filter(html)
    assert filtered.removed == []
    assert filtered.html == filtered.original


HOSTILE_RAW_HTML = [
    '<p data-x="1" role="note" aria-hidden="true" onclick="go()">t</p>',
    '<p style="position: absolute; color: red; --gap: 1px; margin: var(--gap)">t</p>',
    "<style>p{}</style><script>go()</script><link rel=stylesheet href=x><p>t</p>",
    "<details><p>b</p><summary>S</summary><summary>T</summary></details>",
    "<details><p>no summary</p></details>",
    '<p id="a">1</p><div id="a">2</div>',
    '<a href="https://e.org" rel="nofollow" target="_self">t</a><a href="javascript:x()">j</a>',
    '<iframe src="https://e.org" allowfullscreen frameborder="0" allow="autoplay"></iframe>',
    '<iframe src="javascript:x()"></iframe><img src="data:image/png;base64,AA" alt="d">',
    '<video src="https://e.org/v.mp4" controls loop muted autoplay></video>',
    '<audio src="https://e.org/a.mp3" controls loop></audio><data value="1">one</data>',
    '<input type="text" value="x"><button>b</button><form><input type="checkbox"></form>',
    "<math><mi>x</mi></math><template><p>t</p></template><object data=x></object>",
    '<p>An image without alt: <img src="https://example.org/pic.png"></p>',
]


@pytest.mark.parametrize("html", HOSTILE_RAW_HTML)
def test_cleaned_raw_html_survives_the_filter(html: str) -> None:
    """What the builder keeps of raw HTML (cleaning, then :func:`purify`) is a fixed
    point of the filter: a colleague's save changes nothing."""
    kept = purify(clean_html(html))[0]
    filtered = content_filter(kept)
    assert filtered.removed == []
    assert filtered.html == filtered.original


# -- the fidelity root -------------------------------------------------------


def test_fidelity_pages_pass_the_filter_unchanged(fidelity: tuple[Path, Any, str]) -> None:
    """Text, ids, links, images and structure: the filter takes nothing from any page."""
    _, pages, _ = fidelity
    assert len(pages) >= 5
    for name, page in pages.items():
        filtered = content_filter(page["html"])
        assert filtered.removed == [], name
        assert filtered.html == filtered.original, name


def test_check_package_reports_the_filter(fidelity: tuple[Path, Any, str], tmp_path: Path) -> None:
    path, _, _ = fidelity
    assert check_package(path) == []
    # The same ZIP with one page given a data attribute and a style block.
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "data.json":
                data = data.replace(b'<p id=\\"', b'<p data-x=\\"1\\" id=\\"', 1)
            target.writestr(item, data)
    problems = check_package(broken)
    assert problems and all("content filter removes data-x" in p for p in problems)


def test_raw_details_get_their_summary_first(fidelity: tuple[Path, Any, str]) -> None:
    soup = BeautifulSoup(fidelity[1]["Markdown"]["html"], "html.parser")
    raw = [d for d in soup.find_all("details") if "Raw" in d.get_text() or "raw" in d.get_text()]
    assert [d.find(recursive=False).name for d in raw] == ["summary", "summary"]
    assert [d.summary.get_text() for d in raw] == ["Raw summary second", "Details"]


RAW_PAGE = """\
Raw
===

.. raw:: html

   <p id="raw-twice">First raw id.</p>
   <p id="raw-twice">Second raw id.</p>
   <p data-widget="x" role="note" style="position: relative; color: teal; --gap: 2px">Styled.</p>
   <p style="color: var(--accent); text-align: center">Centred.</p>
"""


def test_raw_html_keeps_only_what_the_filter_keeps(tmp_path: Path) -> None:
    """A duplicate id (the second goes, as HTML Purifier drops it), ``data-*``, ``role``,
    CSS the filter refuses: removed at build time, with warnings."""
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text('extensions = ["sphinx_mosaic"]\n', encoding="utf-8")
    (srcdir / "index.rst").write_text(RAW_PAGE, encoding="utf-8")
    outdir, warnings = build(srcdir, tmp_path / "_build")
    (path,) = sorted((outdir / "books").glob("*.zip"))
    assert check_package(path) == []
    (page,) = all_pages(read_book(path)["book"])
    soup = BeautifulSoup(page["html"], "html.parser")
    assert [p.get_text() for p in soup.find_all(id="raw-twice")] == ["First raw id."]
    assert soup.find(string="Second raw id.") is not None
    assert 'the second id="raw-twice"' in warnings
    styles = [p.get("style") for p in soup.find_all("p") if p.get_text() in ("Styled.", "Centred.")]
    assert styles == ["color:teal", "text-align:center"]
    assert "data-widget" not in page["html"] and "role=" not in page["html"]
    assert "color:var(--accent)" in warnings


def test_an_image_in_a_parsed_literal_is_its_alt_text(tmp_path: Path) -> None:
    """HTML Purifier removes every ``<img>`` inside a ``<pre>``: a parsed-literal's
    image is written as its alt text, with a warning."""
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text('extensions = ["sphinx_mosaic"]\n', encoding="utf-8")
    root = Path(__file__).parents[1] / "roots" / "test-bookstack-rst"
    (srcdir / "pic.png").write_bytes((root / "pic.png").read_bytes())
    (srcdir / "index.rst").write_text(
        "Code\n====\n\n.. |icon| image:: pic.png\n   :alt: the icon\n\n"
        ".. parsed-literal::\n\n   run |icon| **now**\n",
        encoding="utf-8",
    )
    outdir, warnings = build(srcdir, tmp_path / "_build")
    (path,) = sorted((outdir / "books").glob("*.zip"))
    assert check_package(path) == []
    (page,) = all_pages(read_book(path)["book"])
    pre = BeautifulSoup(page["html"], "html.parser").find("pre")
    assert pre.get_text() == "run the icon now" and pre.find("img") is None
    assert "inside a parsed-literal block" in warnings


def test_inline_svg_is_drawn_as_an_image(fidelity: tuple[Path, Any, str]) -> None:
    path, pages, _ = fidelity
    page = pages["Markdown"]
    soup = BeautifulSoup(page["html"], "html.parser")
    assert soup.find("svg") is None
    img = soup.find("img", alt="A teal box")
    assert img is not None and (img["width"], img["height"]) == ("40", "20")
    assert img.parent.get_text(" ", strip=True) == "An inline drawing in raw HTML."
    image = next(i for i in page["images"] if img["src"] == f"[[bsexport:image:{i['id']}]]")
    with zipfile.ZipFile(path) as archive:
        picture = Image.open(archive.open(f"files/{image['file']}"))
        assert picture.format == "PNG"
        assert picture.convert("RGB").getpixel((10, 10)) == (0, 128, 128)  # teal


def test_toctree_captions_have_no_role(tmp_path: Path) -> None:
    """Sphinx writes ``<p class="caption" role="heading">`` for a toctree's caption;
    the filter removes ``role``, so it is never written."""
    outdir, _ = build(copy_root("bookstack-toctree", tmp_path), tmp_path / "_build")
    zips = sorted((outdir / "books").glob("*.zip"))
    html = "".join(page["html"] for path in zips for page in all_pages(read_book(path)["book"]))
    assert "caption-text" in html
    assert "role=" not in html


# -- units ---------------------------------------------------------------------


def test_purify_puts_summary_first_and_drops_duplicates() -> None:
    html, removed = purify(
        "<details><p>b</p><summary>S</summary><summary>T</summary></details>"
        '<p id="a">1</p><p id="a">2</p><p style="color: red; margin: var(--m)">3</p>'
    )
    assert html == (
        "<details><summary>S</summary><p>b</p>T</details>"
        '<p id="a">1</p><p>2</p><p style="color: red">3</p>'
    )
    assert removed == ['the second id="a" (on <p>)', "CSS 'margin: var(--m)' (on <p>)"]
    assert purify('<p id="a">kept as it is</p>') == ('<p id="a">kept as it is</p>', [])


def test_inline_svgs_are_found_whole() -> None:
    html = 'a <SVG id="o"><svg><rect/></svg></SVG> b <svg/> c <svg>open'
    spans = inline_svgs(html)
    assert [html[start:end] for start, end in spans] == [
        '<SVG id="o"><svg><rect/></svg></SVG>',
        "<svg/>",
    ]
    assert standalone('<svg><use xlink:href="#a"/></svg>') == (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<use xlink:href="#a"/></svg>'
    )
