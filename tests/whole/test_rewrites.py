"""One helper decides which documents are written again (sphinx_mosaic.rewrites): a
navigation change rewrites every page of an HTML build, and none of another builder's."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.build import build, copy_root, fragment_times


def pages(src: Callable[[dict[str, str]], Path]) -> Path:
    return src({f"{n}-page.md": f"# Page {n}\n\ntext {n}\n" for n in range(1, 6)})


def add_a_page(srcdir: Path) -> None:
    # A new page changes the book's generated navigation (every html sidebar shows it).
    time.sleep(0.01)
    (srcdir / "1-book" / "9-new.md").write_text("# New page\n\ntext\n")


def test_html_rewrites_every_page_when_the_navigation_changes(
    one_book: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    srcdir = pages(one_book)
    overrides = {"html_theme": "furo"}  # its sidebar lists every page
    outdir, _ = build(srcdir, tmp_path / "build", "html", confoverrides=overrides)
    written = {p: p.stat().st_mtime_ns for p in (outdir / "1-book").glob("*-page.html")}
    time.sleep(0.05)
    add_a_page(srcdir)
    outdir, _ = build(srcdir, tmp_path / "build", "html", confoverrides=overrides)
    assert all(p.stat().st_mtime_ns > before for p, before in written.items())
    assert "New page" in (outdir / "1-book" / "3-page.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("change", ["new page", "nothing"])
def test_bookstack_translates_only_what_changed(
    one_book: Callable[[dict[str, str]], Path], tmp_path: Path, change: str
) -> None:
    srcdir = pages(one_book)
    build(srcdir, tmp_path / "build", "bookstack")
    before = fragment_times(tmp_path / "build")
    time.sleep(0.05)
    if change == "new page":
        add_a_page(srcdir)
    os.utime(srcdir / "conf.py")  # nothing else
    build(srcdir, tmp_path / "build", "bookstack")
    after = fragment_times(tmp_path / "build")
    again = {name for name in before if after.get(name) != before[name]}
    # The pages are not translated again; the index pages whose generated toctree changed
    # are read again, so they are.
    hosts = {"README.json", "1-book/README.json"}
    assert again == (hosts if change == "new page" else set())
    assert set(after) - set(before) == ({"1-book/9-new.json"} if change == "new page" else set())


@pytest.mark.parametrize(
    ("page", "shown_on", "row"),
    [
        # A page of a book without a table of its own: only the shelf's table shows it.
        ("3-gamma/1-x.md", {"README"}, "Gamma 1/2"),
        # A page of beta: beta's table of chapters and pages, and the shelf's.
        ("2-beta/2-c.md", {"README", "2-beta/README"}, "Beta 1/3"),
    ],
)
def test_a_status_change_rewrites_the_tables_that_show_it(
    tmp_path: Path, page: str, shown_on: set[str], row: str
) -> None:
    from bs4 import BeautifulSoup

    srcdir = copy_root("status", tmp_path)
    outdir, _ = build(srcdir, tmp_path / "build", "html")
    tables = {"README", "2-beta/README", "5-epsilon/README"}
    before = {name: (outdir / f"{name}.html").stat().st_mtime_ns for name in tables}
    time.sleep(0.05)
    source = srcdir / page
    text = source.read_text(encoding="utf-8")
    status = text.split("status: ", 1)[1].split("\n", 1)[0]
    source.write_text(text.replace(f"status: {status}", "status: complete"), encoding="utf-8")
    outdir, _ = build(srcdir, tmp_path / "build", "html")
    rewritten = {n for n in tables if (outdir / f"{n}.html").stat().st_mtime_ns != before[n]}
    assert rewritten == shown_on
    shelf = BeautifulSoup((outdir / "README.html").read_text(encoding="utf-8"), "html.parser")
    rows = [tr.find_all("td") for tr in shelf.select("table.mosaic-status-table tbody tr")]
    assert row in {f"{cells[0].get_text()} {cells[2].get_text()}" for cells in rows}
