"""Paths stay right on incremental builds (no -E) and with -j 2.

After each kind of edit, an incremental build must give the same paths,
navigation boxes and overview as a fresh build of the same sources, and the
pages concerned must show the change although their own sources did not
change.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers.build import Built
from helpers.build import build as shared_build

ROOTS = Path(__file__).parents[1] / "roots"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
README = "README.md"
NEW_USERS = """1. getting-started/quick-start
2. Local Setup <1-getting-started/2-local-setup.md> -- about ten minutes
3. Troubleshooting (to be added)
4. 1-getting-started/3-environment-configuration
"""


def build(srcdir: Path, builddir: Path, *, parallel: int = 0, fresh: bool = False) -> Built:
    return shared_build(srcdir, builddir, "html", freshenv=fresh, parallel=parallel)


def rendered_paths(outdir: Path, pages: list[str]) -> dict[str, list[str]]:
    """The path output (boxes, lists, overview) of *pages*, as HTML strings."""
    found: dict[str, list[str]] = {}
    for name in pages:
        page = outdir / name
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        parts = [
            str(el) for el in soup.select(".mosaic-path-nav, .mosaic-path, .mosaic-path-overview")
        ]
        found[page.relative_to(outdir).as_posix()] = parts
    return found


def nav_lines(outdir: Path, page: str) -> list[str]:
    soup = BeautifulSoup((outdir / page).read_text(encoding="utf-8"), "html.parser")
    return [" ".join(p.get_text().split()) for p in soup.select(".mosaic-path-nav-line")]


def edit(srcdir: Path, name: str, old: str, new: str) -> None:
    path = srcdir / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def srcdir(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-paths", src)
    return src


def check_like_fresh(srcdir: Path, tmp_path: Path, incremental: Built, step: str) -> None:
    fresh = build(srcdir, tmp_path / f"fresh-{step}", fresh=True)
    # Sphinx leaves the output of a removed page behind: compare the pages of a fresh build.
    pages = sorted(p.relative_to(fresh.outdir).as_posix() for p in fresh.outdir.rglob("*.html"))
    assert len(pages) > 10
    assert rendered_paths(incremental.outdir, pages) == rendered_paths(fresh.outdir, pages), step
    path_warnings = [w for w in fresh.warnings.splitlines() if "mosaic.path" in w]
    assert [w for w in incremental.warnings.splitlines() if "mosaic.path" in w] == path_warnings


EDITS = [
    # (name, file, old, new, page to look at, its expected navigation lines)
    (
        "add a step",
        README,
        NEW_USERS,
        NEW_USERS + "5. getting-started/faq\n",
        "1-getting-started/1-quick-start.html",
        ["For New Users — step 1 of 5: Local Setup →"],
    ),
    (
        "remove a step",
        README,
        "1. getting-started/quick-start\n",
        "",
        "1-getting-started/2-local-setup.html",
        ["For New Users — step 1 of 3: Environment Configuration →"],
    ),
    (
        "reorder steps",
        README,
        "2. Local Setup <1-getting-started/2-local-setup.md> -- about ten minutes\n"
        "3. Troubleshooting (to be added)\n"
        "4. 1-getting-started/3-environment-configuration\n",
        "2. 1-getting-started/3-environment-configuration\n"
        "3. Troubleshooting (to be added)\n"
        "4. Local Setup <1-getting-started/2-local-setup.md> -- about ten minutes\n",
        "1-getting-started/1-quick-start.html",
        ["For New Users — step 1 of 4: Environment Configuration →"],
    ),
    (
        "retitle a step's page",
        "1-getting-started/3-environment-configuration.md",
        "# Environment Configuration",
        "# Environment Settings",
        "1-getting-started/2-local-setup.html",
        ["For New Users — step 2 of 4: ← Quick Start | Environment Settings →"],
    ),
    (
        "edit a path in another page",
        "2-development/README.rst",
        "   Testing <2-testing-requirements>\n",
        "",
        "2-development/1-branching-strategy.html",
        ["For Developers — step 1 of 2: Type Sharing →"],
    ),
    (
        # The path's list on README shows the step's status badge.
        "change a step page's status",
        "1-getting-started/2-local-setup.md",
        "status: partial",
        "status: complete",
        "1-getting-started/2-local-setup.html",
        ["For New Users — step 2 of 4: ← Quick Start | Environment Configuration →"],
    ),
    (
        "change the audience of a page off every path",
        "1-getting-started/4-faq.md",
        "audience: [new-users, developers]",
        "audience: [architects]",
        "1-getting-started/2-local-setup.html",
        ["For New Users — step 2 of 4: ← Quick Start | Environment Configuration →"],
    ),
]


@pytest.mark.parametrize("parallel", [0, 2], ids=["serial", "j2"])
@pytest.mark.parametrize(
    ("kind", "name", "old", "new", "page", "lines"), EDITS, ids=[e[0] for e in EDITS]
)
def test_incremental_edit(
    srcdir: Path,
    tmp_path: Path,
    parallel: int,
    kind: str,
    name: str,
    old: str,
    new: str,
    page: str,
    lines: list[str],
) -> None:
    builddir = tmp_path / "build"
    first = build(srcdir, builddir, parallel=parallel)
    assert first.warnings == ""
    edit(srcdir, name, old, new)
    second = build(srcdir, builddir, parallel=parallel)
    assert nav_lines(second.outdir, page) == lines, kind
    check_like_fresh(srcdir, tmp_path, second, kind)


def test_audience_change_updates_the_overview(srcdir: Path, tmp_path: Path) -> None:
    builddir = tmp_path / "build"
    build(srcdir, builddir)
    edit(srcdir, "2-development/4-code-review.md", "audience: developers", "audience: architects")
    second = build(srcdir, builddir)
    soup = BeautifulSoup((second.outdir / "README.html").read_text(), "html.parser")
    items = [" ".join(li.get_text().split()) for li in soup.select(".mosaic-path-overview > li")]
    assert (
        items[1]
        == "For Architects (3 steps) Start with Type Sharing More for this audience: Code Review"
    )
    assert items[2].endswith("More for this audience: FAQ")


def test_removed_target_page(srcdir: Path, tmp_path: Path) -> None:
    builddir = tmp_path / "build"
    build(srcdir, builddir)
    (srcdir / "1-getting-started/3-environment-configuration.md").unlink()
    second = build(srcdir, builddir)
    assert nav_lines(second.outdir, "1-getting-started/2-local-setup.html") == [
        "For New Users — step 2 of 4: ← Quick Start"
    ]
    assert "step 4: no page '1-getting-started/3-environment-configuration'" in second.warnings
    check_like_fresh(srcdir, tmp_path, second, "removed")


def test_parallel_build_is_identical(srcdir: Path, tmp_path: Path) -> None:
    serial = build(srcdir, tmp_path / "serial")
    parallel = build(srcdir, tmp_path / "parallel", parallel=2)
    # The read really ran in chunks ("reading sources... [ 33%] a .. b").
    assert re.search(r"reading sources\.\.\. .*\S \.\. \S", ANSI.sub("", parallel.status))
    assert parallel.warnings == serial.warnings == ""
    pages = sorted(p.relative_to(serial.outdir) for p in serial.outdir.rglob("*.html"))
    assert pages == sorted(p.relative_to(parallel.outdir) for p in parallel.outdir.rglob("*.html"))
    for page in pages:
        assert (serial.outdir / page).read_bytes() == (parallel.outdir / page).read_bytes(), page


def test_unchanged_rebuild_writes_nothing_new(srcdir: Path, tmp_path: Path) -> None:
    builddir = tmp_path / "build"
    build(srcdir, builddir)
    again = build(srcdir, builddir)
    assert "no targets are out of date" in again.status
