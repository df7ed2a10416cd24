"""Navigation after an incremental build (no -E) equals a fresh build's; -j 2 equals serial."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.build import ROOTS, SavedBuild
from helpers.build import build as shared_build
from helpers.sidebar import all_pages, navigation_of_site

FURO = {"html_theme": "furo"}


def build(srcdir: Path, builddir: Path, **options: object) -> Path:
    built = shared_build(srcdir, builddir, "html", confoverrides=FURO, **options)
    assert built.statuscode == 0
    return built.outdir


def add_page(src: Path) -> None:
    (src / "1-getting-started/3-troubleshooting.md").write_text("# Troubleshooting\n\nHelp.\n")


def remove_page(src: Path) -> None:
    (src / "2-development/01-branching.md").unlink()


def retitle_page(src: Path) -> None:
    (src / "1-getting-started/2-installation.md").write_text("# Installing\n\nx\n")


def renumber_page(src: Path) -> None:
    # Installation moves before the Quick start chapter.
    (src / "1-getting-started/2-installation.md").rename(
        src / "1-getting-started/0-installation.md"
    )


def rename_file(src: Path) -> None:
    (src / "3-guides/1-writing.md").rename(src / "3-guides/1-authoring.md")


def renumber_book(src: Path) -> None:
    (src / "10-reference").rename(src / "0-reference")


EDITS = [add_page, remove_page, retitle_page, renumber_page, rename_file, renumber_book]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> SavedBuild:
    """test-layout-basic built once with Furo; each test restores it before it edits."""
    root = tmp_path_factory.mktemp("layout-incremental")
    src, builddir = root / "src", root / "incremental"
    shutil.copytree(ROOTS / "test-layout-basic", src)
    first = shared_build(src, builddir, "html", confoverrides=FURO)
    assert first.statuscode == 0
    return SavedBuild(first, src, builddir)


@pytest.mark.parametrize("edit", EDITS, ids=[edit.__name__ for edit in EDITS])
def test_incremental_navigation_equals_fresh_build(
    base: SavedBuild, tmp_path: Path, edit: Callable[[Path], None]
) -> None:
    src = base.restore()
    edit(src)
    incremental = build(src, base.builddir)
    fresh = build(src, tmp_path / "fresh", freshenv=True)
    expected = navigation_of_site(fresh)
    assert expected != navigation_of_site(base.outdir)  # the edit changed the navigation
    # Every page of the site (stale pages of removed sources aside) shows the fresh navigation.
    assert {page: navigation_of_site(incremental)[page] for page in all_pages(fresh)} == expected


def test_unchanged_rebuild_writes_nothing(base: SavedBuild) -> None:
    src = base.restore()
    built = shared_build(src, base.builddir, "html", confoverrides=FURO)
    assert "no targets are out of date" in built.status


def test_parallel_build_equals_serial(base: SavedBuild, tmp_path: Path) -> None:
    serial = base.outdir
    parallel = build(base.restore(), tmp_path / "parallel", parallel=2)
    pages = all_pages(serial)
    assert pages == all_pages(parallel)
    for page in pages:
        assert (serial / f"{page}.html").read_bytes() == (parallel / f"{page}.html").read_bytes(), (
            page
        )
