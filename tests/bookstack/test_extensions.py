"""The BookStack builder runs with every extension Sphinx ships and the common third-party ones.

Extensions' ``html`` visitors read attributes of Sphinx's HTML builders
(``out_suffix``, ``imgpath``, ...); the builder offers them, and a visitor that
raises all the same costs its markup, not the build (issue #14).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from helpers.build import SavedBuild, build, copy_root
from helpers.zip_checker import check_package

pytest.importorskip("sphinx_design")
pytest.importorskip("sphinx_copybutton")
pytest.importorskip("sphinx_inline_tabs")
pytest.importorskip("sphinx_tabs")
pytest.importorskip("sphinxcontrib.mermaid")


def book_text(outdir: Path) -> str:
    with zipfile.ZipFile(outdir / "books" / "1-book.zip") as archive:
        return archive.read("data.json").decode()


def check_every_extension(outdir: Path, warnings: str) -> None:
    html = book_text(outdir)
    for text in (
        "Spam the eggs",
        "The area",
        "Shown for version one",
        "Write more",
        "Hidden content",
    ):
        assert text in html, text
    # The made-up extension's visitors raise, one in its visit, one in its departure: one
    # warning per class with its place, the text kept.
    foreign = sorted(line for line in warnings.splitlines() if "[mosaic.foreign-node]" in line)
    assert len(foreign) == 2, warnings
    assert "1-book/1-python.rst:43" in foreign[0] and "raising.fragile_node" in foreign[0]
    assert "1-book/2-misc.rst:" in foreign[1] and "raising.brittle_node" in foreign[1]
    assert "text of the fragile node" in html
    assert "<blockquote" in html and "text of the brittle node" in html
    assert "Traceback" not in warnings
    assert not check_package(outdir / "books" / "1-book.zip")  # BookStack imports it


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> SavedBuild:
    """The root built serially, once: checked as it is, and rebuilt unchanged."""
    tmp = tmp_path_factory.mktemp("extensions")
    srcdir, builddir = copy_root("bookstack-extensions", tmp), tmp / "_build"
    return SavedBuild(build(srcdir, builddir), srcdir, builddir)


def test_every_extension_builds_serially(serial: SavedBuild) -> None:
    check_every_extension(serial.outdir, serial.first.warnings)


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"parallel": 2}, id="parallel"),
        # No dot on PATH (whether or not this machine has one): no crash, and each of the
        # three drawings is kept as code with a warning that names the missing program.
        pytest.param({"confoverrides": {"graphviz_dot": "mosaic-no-such-dot"}}, id="no-dot"),
    ],
)
def test_every_extension_builds(tmp_path: Path, options: dict[str, Any]) -> None:
    outdir, warnings = build(
        copy_root("bookstack-extensions", tmp_path), tmp_path / "_build", **options
    )
    check_every_extension(outdir, warnings)
    if "confoverrides" in options:
        # (the Mermaid drawing warns too where the Mermaid CLI is missing: not counted here)
        kept = [
            line
            for line in warnings.splitlines()
            if "[mosaic.renderer]" in line and "Graphviz diagram" in line
        ]
        assert len(kept) == 3, warnings
        assert all("'mosaic-no-such-dot' is not found" in line for line in kept)
        assert "<code>digraph { a -&gt; b }</code>" in book_text(outdir)


def test_foreign_failure_warns_once_per_class(tmp_path: Path) -> None:
    srcdir = copy_root("bookstack-extensions", tmp_path)
    page = srcdir / "1-book" / "2-misc.rst"
    page.write_text(page.read_text() + "\n.. fragile::\n\n   second fragile\n", encoding="utf-8")
    outdir, warnings = build(srcdir, tmp_path / "_build", parallel=2)
    foreign = [line for line in warnings.splitlines() if "fragile_node" in line]
    assert len(foreign) == 1, warnings
    assert "second fragile" in book_text(outdir)


def test_alongside_mode_warns_about_a_failing_visitor(tmp_path: Path) -> None:
    outdir, warnings = build(
        copy_root("bookstack-extensions", tmp_path),
        tmp_path / "_build",
        "html",
        confoverrides={"mosaic_bookstack_alongside": True},
    )
    foreign = [line for line in warnings.splitlines() if "[mosaic.foreign-node]" in line]
    assert len(foreign) == 2, warnings
    assert "text of the fragile node" in book_text(outdir / "bookstack")


def test_unchanged_pages_do_not_warn_again(serial: SavedBuild) -> None:
    assert "[mosaic.foreign-node]" in serial.first.warnings
    outdir, second = build(serial.restore(), serial.builddir)
    assert "[mosaic.foreign-node]" not in second, second
    assert "text of the fragile node" in book_text(outdir)
