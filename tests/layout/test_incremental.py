"""Navigation after an incremental build (no -E) equals a fresh build's; -j 2 equals serial."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.sidebar import all_pages, navigation_of_site
from sphinx.testing.util import SphinxTestApp

MakeApp = Callable[..., SphinxTestApp]
FURO = {"html_theme": "furo"}


def build(make_app: MakeApp, srcdir: Path, builddir: Path, **kwargs: object) -> Path:
    app = make_app("html", srcdir=srcdir, builddir=builddir, confoverrides=FURO, **kwargs)
    app.build()
    assert app.statuscode == 0
    return Path(app.outdir)


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


@pytest.mark.parametrize("edit", EDITS, ids=[edit.__name__ for edit in EDITS])
def test_incremental_navigation_equals_fresh_build(
    make_app: MakeApp, rootdir: Path, tmp_path: Path, edit: Callable[[Path], None]
) -> None:
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-layout-basic", src)
    before = navigation_of_site(build(make_app, src, tmp_path / "incremental"))
    edit(src)
    incremental = build(make_app, src, tmp_path / "incremental")
    fresh = build(make_app, src, tmp_path / "fresh", freshenv=True)
    expected = navigation_of_site(fresh)
    assert expected != before  # the edit changed the navigation
    # Every page of the site (stale pages of removed sources aside) shows the fresh navigation.
    assert {page: navigation_of_site(incremental)[page] for page in all_pages(fresh)} == expected


def test_unchanged_rebuild_writes_nothing(make_app: MakeApp, rootdir: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-layout-basic", src)
    build(make_app, src, tmp_path / "out")
    app = make_app("html", srcdir=src, builddir=tmp_path / "out", confoverrides=FURO)
    app.build()
    assert "no targets are out of date" in app.status.getvalue()


def test_parallel_build_equals_serial(make_app: MakeApp, rootdir: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-layout-basic", src)
    serial = build(make_app, src, tmp_path / "serial")
    parallel = build(make_app, src, tmp_path / "parallel", parallel=2)
    pages = all_pages(serial)
    assert pages == all_pages(parallel)
    for page in pages:
        assert (serial / f"{page}.html").read_bytes() == (parallel / f"{page}.html").read_bytes(), (
            page
        )
