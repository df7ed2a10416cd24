"""Relative URLs written in the source: BookStack resolves an href against its own page
URL, so ``api.html`` would lead nowhere there (pytest's docs have a dozen such links)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from helpers.build import all_pages, build, copy_root, read_book, warning_texts
from helpers.zip_checker import check_package


@pytest.fixture(scope="module")
def relative_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("relative-urls")
    return build(copy_root("bookstack-relative-urls", tmp), tmp / "_build")


def _pages(outdir: Path) -> dict[str, Any]:
    pages: dict[str, Any] = {}
    for path in sorted((outdir / "books").glob("*.zip")):
        for page in all_pages(read_book(path)["book"]):
            pages[page["name"]] = page
    return pages


def _links(page: dict[str, Any]) -> list[tuple[str, str | None]]:
    soup = BeautifulSoup(page["html"], "html.parser")
    return [(link.get_text(" ", strip=True), link.get("href")) for link in soup.find_all("a")]


def test_a_url_naming_a_page_of_the_project_links_to_it(
    relative_build: tuple[Path, str],
) -> None:
    outdir, _ = relative_build
    pages = _pages(outdir)
    ids = {name: page["id"] for name, page in pages.items()}
    links = dict(_links(pages["Relative"]))
    assert links["api page"] == f"[[bsexport:page:{ids['API']}]]"
    # In another book (another ZIP): BookStack's URL of the page, and of the book for
    # guide/, which is guide/index, the book's description.
    assert links["section of a guide page"] == "/books/guide/page/a#bkmrk-part-two"
    assert links["guide"] == "/books/guide"
    assert dict(_links(pages["A"]))["api"] == "/books/relative/page/api"
    api = dict(_links(pages["API"]))
    assert api["start"] == api["Relative"]  # where :doc:`index` leads
    assert api["notes on this page"] == "#bkmrk-notes"
    for path in (outdir / "books").glob("*.zip"):
        assert check_package(path) == []


def test_any_other_relative_url_keeps_its_text_without_a_link(
    relative_build: tuple[Path, str],
) -> None:
    outdir, warnings = relative_build
    links = dict(_links(_pages(outdir)["Relative"]))
    assert links["page that does not exist"] is None
    assert links["target name written as a URL"] is None
    assert [line for line in warning_texts(warnings) if "relative URL" in line] == [
        f"link {url!r} is a relative URL that names no page of the project; BookStack would "
        "resolve it against its own page URL, so its text is kept without a link (link to a "
        "document with :doc:, :ref: or a Markdown link, or give a full URL) [mosaic.bookstack]"
        for url in ("missing.html", "with-setup-nose")
    ]
