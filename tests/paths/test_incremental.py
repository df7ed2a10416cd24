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
from helpers.build import Built, SavedBuild
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


@pytest.fixture(scope="module")
def first_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[int, SavedBuild]:
    """test-paths built once serially and once with -j 2 (``0`` and ``2``), warning-free; each
    test restores the one it edits."""
    root = tmp_path_factory.mktemp("paths-incremental")
    src = root / "src"
    shutil.copytree(ROOTS / "test-paths", src)
    saved = {}
    for parallel in (0, 2):
        builddir = root / f"build-{parallel}"
        first = build(src, builddir, parallel=parallel)
        assert first.warnings == ""
        saved[parallel] = SavedBuild(first, src, builddir)
    return saved


@pytest.fixture(scope="module")
def fresh_builds() -> dict[str, Built]:
    """Fresh builds of each edit, made once: the serial and the -j 2 test of an edit both
    compare with it."""
    return {}


def check_like_fresh(
    srcdir: Path, tmp_path: Path, incremental: Built, step: str, fresh_builds: dict[str, Built]
) -> None:
    if step not in fresh_builds:
        fresh_builds[step] = build(srcdir, tmp_path / f"fresh-{step}", fresh=True)
    fresh = fresh_builds[step]
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
    first_builds: dict[int, SavedBuild],
    fresh_builds: dict[str, Built],
    tmp_path: Path,
    parallel: int,
    kind: str,
    name: str,
    old: str,
    new: str,
    page: str,
    lines: list[str],
) -> None:
    first = first_builds[parallel]
    srcdir = first.restore()
    edit(srcdir, name, old, new)
    second = build(srcdir, first.builddir, parallel=parallel)
    assert nav_lines(second.outdir, page) == lines, kind
    check_like_fresh(srcdir, tmp_path, second, kind, fresh_builds)


def test_audience_change_updates_the_overview(first_builds: dict[int, SavedBuild]) -> None:
    srcdir = first_builds[0].restore()
    edit(srcdir, "2-development/4-code-review.md", "audience: developers", "audience: architects")
    second = build(srcdir, first_builds[0].builddir)
    soup = BeautifulSoup((second.outdir / "README.html").read_text(), "html.parser")
    items = [" ".join(li.get_text().split()) for li in soup.select(".mosaic-path-overview > li")]
    assert (
        items[1]
        == "For Architects (3 steps) Start with Type Sharing More for this audience: Code Review"
    )
    assert items[2].endswith("More for this audience: FAQ")


def test_removed_target_page(
    first_builds: dict[int, SavedBuild], fresh_builds: dict[str, Built], tmp_path: Path
) -> None:
    srcdir = first_builds[0].restore()
    (srcdir / "1-getting-started/3-environment-configuration.md").unlink()
    second = build(srcdir, first_builds[0].builddir)
    assert nav_lines(second.outdir, "1-getting-started/2-local-setup.html") == [
        "For New Users — step 2 of 4: ← Quick Start"
    ]
    assert "step 4: no page '1-getting-started/3-environment-configuration'" in second.warnings
    check_like_fresh(srcdir, tmp_path, second, "removed", fresh_builds)


def test_parallel_build_is_identical(first_builds: dict[int, SavedBuild]) -> None:
    serial, parallel = first_builds[0], first_builds[2]
    # The read really ran in chunks ("reading sources... [ 33%] a .. b").
    assert re.search(r"reading sources\.\.\. .*\S \.\. \S", ANSI.sub("", parallel.first.status))
    assert parallel.first.warnings == serial.first.warnings == ""
    pages = sorted(p.relative_to(serial.outdir) for p in serial.outdir.rglob("*.html"))
    assert pages == sorted(p.relative_to(parallel.outdir) for p in parallel.outdir.rglob("*.html"))
    for page in pages:
        assert (serial.outdir / page).read_bytes() == (parallel.outdir / page).read_bytes(), page


def test_unchanged_rebuild_writes_nothing_new(first_builds: dict[int, SavedBuild]) -> None:
    again = build(first_builds[0].restore(), first_builds[0].builddir)
    assert "no targets are out of date" in again.status
