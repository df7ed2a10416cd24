"""Raw HTML images with a local ``src`` are packed into the book like other images."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from helpers.build import all_pages, build, copy_root, read_book, warning_texts
from helpers.zip_checker import check_package

from sphinx_mosaic.bookstack.translate.rawimages import LocalFiles


@pytest.fixture(scope="module")
def raw_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("raw-images")
    return build(copy_root("bookstack-raw-images", tmp), tmp / "_build")


@pytest.fixture(scope="module")
def book(raw_build: tuple[Path, str]) -> dict[str, Any]:
    return read_book(raw_build[0] / "books" / "Raw-images.zip")["book"]  # type: ignore[no-any-return]


def images_of(page: dict[str, Any]) -> list[tuple[str, str]]:
    soup = BeautifulSoup(page["html"], "html.parser")
    return [(str(img["src"]), str(img.get("alt", ""))) for img in soup.find_all("img")]


def test_local_sources_become_images_of_the_book(
    raw_build: tuple[Path, str], book: dict[str, Any]
) -> None:
    root, sub = all_pages(book)
    listed = {page["id"]: {i["name"]: i for i in page["images"]} for page in (root, sub)}
    assert sorted(listed[root["id"]]) == ["logo.png"]
    assert sorted(listed[sub["id"]]) == ["chart.png", "logo.png"]
    # From html_static_path (from the root and from a sub-folder's "../_static") and
    # beside the page: the logo is one file of the ZIP, an image of each page showing it.
    root_logo, sub_logo = listed[root["id"]]["logo.png"], listed[sub["id"]]["logo.png"]
    assert root_logo["file"] == sub_logo["file"] and root_logo["id"] != sub_logo["id"]
    chart = listed[sub["id"]]["chart.png"]["id"]
    assert images_of(root) == [
        (f"[[bsexport:image:{root_logo['id']}]]", "The logo"),
        ("https://example.org/remote.png", "remote"),
    ]
    assert images_of(sub) == [
        (f"[[bsexport:image:{sub_logo['id']}]]", "logo again"),
        (f"[[bsexport:image:{chart}]]", "chart"),
    ]
    assert check_package(raw_build[0] / "books" / "Raw-images.zip") == []


def test_a_source_found_nowhere_warns_and_keeps_the_alt_text(
    raw_build: tuple[Path, str], book: dict[str, Any]
) -> None:
    _, warnings = raw_build
    assert warning_texts(warnings) == [
        "raw HTML image 'missing.png' names no file of the project (looked for in the source "
        "folder, html_static_path and html_extra_path); its alt text is shown instead in the "
        "BookStack output [mosaic.image]"
    ]
    assert "index.rst:6: WARNING" in warnings
    root = all_pages(book)[0]
    assert "missing.png" not in root["html"]
    paragraph = BeautifulSoup(root["html"], "html.parser").find_all("p")[1]
    assert paragraph.get_text() == "Gone & lost and "


def test_where_a_local_source_is_looked_for(tmp_path: Path) -> None:
    (tmp_path / "src" / "guide").mkdir(parents=True)
    (tmp_path / "static").mkdir()
    (tmp_path / "extra").mkdir()
    (tmp_path / "static" / "logo.png").write_bytes(b"a")
    (tmp_path / "favicon.png").write_bytes(b"b")
    (tmp_path / "extra" / "robots.png").write_bytes(b"c")
    (tmp_path / "src" / "guide" / "pic.png").write_bytes(b"d")
    files = LocalFiles(tmp_path / "src", tmp_path, ["static", "favicon.png"], ["extra"])
    assert files.find("../_static/logo.png", "guide/page") == "../static/logo.png"
    assert files.find("/_static/favicon.png?v=2", "index") == "../favicon.png"
    assert files.find("robots.png", "index") == "../extra/robots.png"
    assert files.find("pic.png#top", "guide/page") == "guide/pic.png"
    assert files.find("pic%2Epng", "guide/page") == "guide/pic.png"
    assert files.find("pic.png", "index") is None
    assert files.find("../../etc/passwd", "guide/page") is None
