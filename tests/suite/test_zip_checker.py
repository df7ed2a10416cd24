"""The ZIP checks find what a reader of the imported book would find broken."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from helpers.zip_checker import check_package

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff"
    b"\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def package(tmp_path: Path, first: str, second: str = '<p id="bkmrk-x">x</p>') -> Path:
    """A book of two pages with the HTML given, page 1 showing image 1."""
    book: dict[str, Any] = {
        "id": 1,
        "name": "Book",
        "tags": [],
        "chapters": [],
        "pages": [
            {
                "id": 1,
                "name": "One",
                "html": first,
                "priority": 0,
                "tags": [],
                "images": [{"id": 1, "name": "a.png", "file": "a.png", "type": "gallery"}],
                "attachments": [],
            },
            {"id": 2, "name": "Two", "html": second, "priority": 1, "tags": []},
        ],
    }
    path = tmp_path / "book.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data.json", json.dumps({"book": book}))
        archive.writestr("files/a.png", PNG)
    return path


def test_a_sound_page_has_no_problem(tmp_path: Path) -> None:
    html = (
        '<p id="bkmrk-a"><img src="[[bsexport:image:1]]" alt="a">'
        '<img src="https://example.org/b.png" alt="b"> <a href="#bkmrk-a">here</a> '
        '<a href="[[bsexport:page:2]]#bkmrk-x">there</a> <a href="[[bsexport:page:2]]">two</a> '
        '<a href="/books/other/page/p#bkmrk-q">other book</a> <a href="mailto:a@b.c">mail</a> '
        '<a href="https://example.org/">web</a> <a>no link</a></p>'
    )
    assert check_package(package(tmp_path, html)) == []


def test_what_a_reader_finds_broken_is_found(tmp_path: Path) -> None:
    html = (
        '<p id="bkmrk-a"><img src="_static/logo.png" alt="local">'
        '<img src="[[bsexport:image:1]]#x" alt="x"> <a href="#">top</a> '
        '<a href="#bkmrk-gone">gone</a> '
        '<a href="[[bsexport:page:2]]#bkmrk-missing">missing</a> '
        '<a href="[[bsexport:book:1]]#bkmrk-b">on a book</a> '
        '<a href="../_modules/foo.html">source</a> <a href="other.html#x">page</a></p>'
    )
    problems = check_package(package(tmp_path, html))
    where = "book.pages.0: "
    assert problems == [
        where + "<img src='_static/logo.png'> is no image of the ZIP nor http(s)",
        where + "<img src='[[bsexport:image:1]]#x'> is no image of the ZIP nor http(s)",
        where + "<a href='#'> links to the page itself",
        where + "<a href='#bkmrk-gone'> names no element of the page",
        where + "<a href='[[bsexport:page:2]]#bkmrk-missing'> names no element of page 2",
        where + "<a href='[[bsexport:book:1]]#bkmrk-b'> has a fragment on a book",
        where + "<a href='../_modules/foo.html'> is a relative URL",
        where + "<a href='other.html#x'> is a relative URL",
    ]


def test_a_description_has_no_element_to_link_to(tmp_path: Path) -> None:
    path = package(tmp_path, '<p id="bkmrk-a">a</p>')
    with zipfile.ZipFile(path) as archive:
        data = json.loads(archive.read("data.json"))
        files = {name: archive.read(name) for name in archive.namelist()}
    data["book"]["description_html"] = '<p><a href="#bkmrk-a">a</a></p>'
    files["data.json"] = json.dumps(data).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    assert check_package(path) == ["book: <a href='#bkmrk-a'> names no element of the page"]


def test_a_paragraph_inside_a_paragraph_is_found(tmp_path: Path) -> None:
    nested = '<dl id="bkmrk-p"><dd><p><strong>a</strong> – <p>One.</p>\n<p>Two.</p>\n</p></dd></dl>'
    assert check_package(package(tmp_path, nested)) == ["book.pages.0: 2 <p> inside a <p>"]
    siblings = '<p id="bkmrk-a">One.</p><dl id="bkmrk-b"><dd><p>Two.</p><p>Three.</p></dd></dl>'
    assert check_package(package(tmp_path, siblings)) == []
