"""Status data stays right on incremental builds (no -E) and with -j 2."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from sphinx.util.parallel import make_chunks, parallel_available

MakeApp = Callable[..., SphinxTestApp]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    # Sphinx compares modification times: make the edit visibly newer.
    stamp = path.stat().st_mtime + 10
    os.utime(path, (stamp, stamp))


def alpha_row(outdir: Path) -> str:
    page = BeautifulSoup((outdir / "README.html").read_text(encoding="utf-8"), "html.parser")
    row = page.select("table.mosaic-status-table tbody tr")[0]
    return " ".join(row.get_text(" ", strip=True).split())


def page_badge(outdir: Path, page: str) -> str:
    soup = BeautifulSoup((outdir / page).read_text(encoding="utf-8"), "html.parser")
    badge = soup.select_one("p.mosaic-status-line .mosaic-status")
    assert badge is not None
    return str(badge["class"][1])


def pages(outdir: Path) -> dict[str, bytes]:
    return {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*.html"))
        if "_static" not in path.parts
    }


@pytest.fixture
def build(make_app: MakeApp) -> Callable[..., SphinxTestApp]:
    """Build once and clean up, so the next app in the same test starts afresh."""

    def run(srcdir: Path, **kwargs: object) -> SphinxTestApp:
        app = make_app("html", srcdir=srcdir, **kwargs)
        try:
            app.build()
        finally:
            app.cleanup()
        return app

    return run


@pytest.fixture
def project(rootdir: Path, tmp_path: Path) -> Callable[[str], Path]:
    def copy(name: str) -> Path:
        srcdir = tmp_path / name
        shutil.copytree(rootdir / "test-status", srcdir)
        return srcdir

    return copy


def test_status_change_updates_badge_rollup_and_table(
    build: Callable[..., SphinxTestApp], project: Callable[[str], Path]
) -> None:
    srcdir = project("incremental")
    app = build(srcdir)
    outdir = Path(app.outdir)
    assert alpha_row(outdir) == "Alpha Status: Partial 75 % 1/2 2024-06-02"
    assert page_badge(outdir, "1-alpha/2-two.html") == "mosaic-status-partial"

    edit(srcdir / "1-alpha" / "2-two.md", "status: partial", "status: complete")
    app = build(srcdir)
    assert app.warning.getvalue() == ""
    # one page re-read; the shelf page with the table is rewritten anyway
    assert "1 changed" in app.status.getvalue()
    assert page_badge(outdir, "1-alpha/2-two.html") == "mosaic-status-complete"
    assert alpha_row(outdir) == "Alpha Status: Complete 2/2 2024-06-02"

    # a last-updated change alone also reaches the table
    edit(srcdir / "1-alpha" / "1-one.md", "2024-05-01", "2025-01-31")
    app = build(srcdir)
    assert alpha_row(outdir) == "Alpha Status: Complete 2/2 2025-01-31"

    # nothing changed: nothing is rewritten
    before = (outdir / "README.html").stat().st_mtime_ns
    app = build(srcdir)
    assert (outdir / "README.html").stat().st_mtime_ns == before


def test_parallel_build_equals_serial_build(
    build: Callable[..., SphinxTestApp], project: Callable[[str], Path]
) -> None:
    serial_src, parallel_src = project("serial"), project("parallel")
    serial = build(serial_src)
    parallel = build(parallel_src, parallel=2)
    assert parallel.warning.getvalue() == ""
    # really parallel: allowed, and enough documents for several chunks
    assert parallel_available and parallel.is_parallel_allowed("read")
    assert len(make_chunks(sorted(parallel.env.found_docs), 2)) > 1
    assert pages(Path(parallel.outdir)) == pages(Path(serial.outdir))

    for srcdir in (serial_src, parallel_src):
        edit(srcdir / "1-alpha" / "2-two.md", "status: partial", "status: complete")
        edit(srcdir / "5-epsilon" / "2-s.md", "# S", "---\nstatus: complete\n---\n# S")
    serial = build(serial_src)
    parallel = build(parallel_src, parallel=2)
    assert parallel.warning.getvalue() == ""
    assert alpha_row(Path(parallel.outdir)) == "Alpha Status: Complete 2/2 2024-06-02"
    assert pages(Path(parallel.outdir)) == pages(Path(serial.outdir))
