"""How the suite itself runs (tests/conftest.py): in parallel unless told otherwise, and the
slow whole-project tests skipped, with the reason, outside CI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: A fast test, and a slow one that needs neither a program nor the corpus (only PyPI).
SELECTION = [
    "tests/whole/test_release.py::test_the_sdist_carries_the_changelog",
    "tests/whole/test_real_projects.py",
]


def pytest_run(basetemp: Path, *options: str) -> str:
    """Run pytest on SELECTION with *options*, CI unset.  Its temporary folders go to
    *basetemp*: a session started in pytest's shared temporary folder first deletes the
    folders of older sessions beyond the last three, a whole suite's among them, which
    can take far longer than the two tests it runs (41 s against 2 s in one run)."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-v",
            "-rs",
            "-p",
            "no:cacheprovider",
            "--basetemp",
            str(basetemp),
            *options,
            *SELECTION,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.parametrize("options", [(), ("-p", "no:xdist")], ids=["default", "no-xdist"])
def test_parallel_by_default_and_serial_on_request(
    tmp_path: Path, options: tuple[str, ...]
) -> None:
    out = pytest_run(tmp_path / "inner", *options)
    parallel = "scheduling tests via LoadFileScheduling" in out
    assert parallel == (options == ()), out
    # Outside CI the slow tests are skipped with the reason, and still counted.
    assert "SKIPPED" in out and "slow (a whole real project)" in out, out
    assert re.search(r"\b1 passed, [1-9]\d* skipped\b", out), out
