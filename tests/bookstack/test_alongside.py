"""Alongside mode writes what ``-b bookstack`` writes, though the HTML builder read the pages.

The test root holds content that extensions make at read time for the builder
that reads: ``only`` directives, sphinx.ext.ifconfig, sphinx.ext.linkcode and
sphinx.ext.viewcode (autodoc of a module of the root), sphinx-tabs, and two
post-transforms that warn for one builder format each.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers.build import all_pages, build, copy_root, output_files, read_book

pytest.importorskip("sphinx_tabs")

ROOT = "bookstack-alongside"


def _warning_lines(warnings: str) -> list[str]:
    plain = re.sub(r"\x1b\[[0-9;]*m", "", warnings)
    return sorted(line for line in plain.splitlines() if "WARNING" in line)


@pytest.fixture(scope="module")
def srcdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_root(ROOT, tmp_path_factory.mktemp("alongside"))


@pytest.fixture(scope="module")
def standalone(srcdir: Path) -> tuple[Path, str]:
    return build(srcdir, srcdir.parent / "standalone")


@pytest.fixture(scope="module", params=[1, 2], ids=["serial", "parallel"])
def alongside(request: pytest.FixtureRequest, srcdir: Path) -> tuple[Path, str]:
    return build(
        srcdir,
        srcdir.parent / f"site-{request.param}",
        "html",
        parallel=request.param,
        confoverrides={"mosaic_bookstack_alongside": True},
    )


def _pages(outdir: Path) -> dict[str, BeautifulSoup]:
    book = read_book(outdir / "books" / "1-book.zip")["book"]
    return {page["name"]: BeautifulSoup(page["html"], "html.parser") for page in all_pages(book)}


def test_alongside_writes_the_bytes_of_bookstack(
    standalone: tuple[Path, str], alongside: tuple[Path, str]
) -> None:
    """ZIPs, browsable copy and manifest.json: the same bytes, so the page hashes the
    publisher compares (``mosaic-hash``) are the same and switching modes republishes nothing."""
    files = output_files(alongside[0] / "bookstack")
    assert "manifest.json" in files and "books/1-book.zip" in files
    assert files == output_files(standalone[0])


def _both(standalone: tuple[Path, str], alongside: tuple[Path, str]) -> list[Path]:
    """The BookStack output folders of both modes."""
    return [standalone[0], alongside[0] / "bookstack"]


def test_only_is_decided_by_the_bookstack_tags(
    standalone: tuple[Path, str], alongside: tuple[Path, str]
) -> None:
    for outdir in _both(standalone, alongside):
        text = _pages(outdir)["Only"].get_text()
        assert "For bookstack only." in text and "Not for html." in text
        assert "For html only" not in text and "For the html format only." not in text
        assert "The project is builder-dependent." in text  # ifconfig, builder-independent
        assert "For the bookstack builder, by ifconfig." in text
        assert "For the html builder, by ifconfig." not in text


def test_html_pages_keep_the_html_tags(alongside: tuple[Path, str]) -> None:
    """The BookStack builder's tags do not reach the HTML builder's pages."""
    html = (alongside[0] / "1-book" / "1-only.html").read_text(encoding="utf-8")
    assert "For html only" in html and "For the html format only." in html
    assert "For bookstack only." not in html and "Not for html." not in html
    assert "For the html builder, by ifconfig." in html
    assert "For the bookstack builder, by ifconfig." not in html


def test_linkcode_source_link_is_kept_after_the_signature(
    standalone: tuple[Path, str], alongside: tuple[Path, str]
) -> None:
    for outdir in _both(standalone, alongside):
        page = _pages(outdir)["API"]
        signature = page.find("strong", string="double").find_parent("p")
        link = signature.find("a")
        assert link["href"] == "https://example.org/src/dependent.py#double"
        assert link.get_text() == "[source]" and link.find_parent("code") is None


def test_no_link_to_html_only_pages(
    standalone: tuple[Path, str], alongside: tuple[Path, str]
) -> None:
    """viewcode's module pages and ``only:: html`` links have no page in BookStack."""
    for outdir in _both(standalone, alongside):
        for page in _pages(outdir).values():
            for link in page.find_all("a"):
                assert "_modules" not in link["href"], link


def test_sphinx_tabs_ids_are_not_anchors(
    standalone: tuple[Path, str], alongside: tuple[Path, str]
) -> None:
    """sphinx-tabs' panel ids (made when the HTML builder reads) are not BookStack anchors."""
    for outdir in _both(standalone, alongside):
        page = _pages(outdir)["Tabs"]
        assert [p.get_text() for p in page.find_all("strong")] == ["First", "Python"]
        assert not [tag["id"] for tag in page.find_all(id=True) if "panel" in tag["id"]]


def test_each_warning_comes_once(standalone: tuple[Path, str], alongside: tuple[Path, str]) -> None:
    """A reference warning once (twice for a broken reference written twice on a line, as
    ``-b bookstack`` gives it); a BookStack-only warning too; the HTML build's own too."""
    lines = _warning_lines(alongside[1])
    html_only = [line for line in lines if "seen by an html post-transform" in line]
    assert len(html_only) == 1
    assert [line for line in lines if line not in html_only] == _warning_lines(standalone[1])
    assert sum("undefined label: 'missing-label'" in line for line in lines) == 2
    assert sum("seen by a BookStack post-transform" in line for line in lines) == 1
    assert "1-only.rst" in next(line for line in lines if "nowhere" in line)
