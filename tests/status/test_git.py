"""Last-updated dates from Git: one ``git log`` per build, safe on shallow clones."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from sphinx_mosaic.status import history
from sphinx_mosaic.status.history import read_git_history

FIRST, SECOND = "2025-03-04T12:00:00+00:00", "2025-04-05T12:00:00+00:00"


def git(cwd: Path, *args: str, when: str = FIRST) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.fixture
def repository(rootdir: Path, tmp_path: Path) -> Path:
    """A repository with the status test root in ``docs/`` and two commits."""
    repo = tmp_path / "repo"
    shutil.copytree(rootdir / "test-status", repo / "docs")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "first")
    page = repo / "docs" / "1-alpha" / "1-one.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "second", when=SECOND)
    return repo


def clone(repository: Path, target: Path, depth: int) -> Path:
    git(target.parent, "clone", "-q", f"--depth={depth}", repository.as_uri(), target.name)
    return target


def footer(outdir: Path, page: str) -> str:
    soup = BeautifulSoup((outdir / page).read_text(encoding="utf-8"), "html.parser")
    found = soup.select_one("p.mosaic-page-footer .mosaic-last-updated")
    return found.get_text() if found else ""


def build(make_app: Callable[..., SphinxTestApp], srcdir: Path) -> SphinxTestApp:
    app = make_app(
        "html",
        srcdir=srcdir,
        confoverrides={"mosaic_last_updated_sources": ["git", "front-matter", "mtime"]},
    )
    app.build()
    return app


def test_history_of_a_full_clone(repository: Path) -> None:
    found = read_git_history(repository / "docs")
    assert found is not None and not found.shallow
    assert found.dates["1-alpha/1-one.md"] == date(2025, 4, 5)
    assert found.dates["1-alpha/2-two.md"] == date(2025, 3, 4)
    assert found.dates["2-beta/1-setup/2-b.rst"] == date(2025, 3, 4)


def test_history_walk_stops_once_every_wanted_file_is_dated(repository: Path) -> None:
    wanted = {"1-alpha/1-one.md"}
    found = read_git_history(repository / "docs", wanted)
    # the newest commit dates the only wanted file: the older commit is never read
    assert found is not None and found.dates == {"1-alpha/1-one.md": date(2025, 4, 5)}
    everything = read_git_history(repository / "docs", {"1-alpha/1-one.md", "README.md"})
    assert everything is not None and everything.dates["README.md"] == date(2025, 3, 4)


def test_history_of_a_shallow_clone(repository: Path, tmp_path: Path) -> None:
    shallow = read_git_history(clone(repository, tmp_path / "depth2", 2) / "docs")
    assert shallow is not None and shallow.shallow
    # the second commit has its parent in the clone: a real date
    assert shallow.dates == {"1-alpha/1-one.md": date(2025, 4, 5)}
    # every other file is only in the boundary commit: history cut, no date
    assert "1-alpha/2-two.md" in shallow.cut
    cut = read_git_history(clone(repository, tmp_path / "depth1", 1) / "docs")
    assert cut is not None and cut.dates == {}


def test_no_repository_or_no_git_gives_no_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "plain").mkdir()
    assert read_git_history(tmp_path / "plain") is None
    monkeypatch.setattr(history.shutil, "which", lambda name: None)
    assert read_git_history(tmp_path) is None


def test_build_uses_one_git_log_and_git_dates(
    make_app: Callable[..., SphinxTestApp], repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[list[str]] = []
    real_popen = subprocess.Popen

    def counting_popen(args: list[str], **kwargs: Any) -> Any:
        # subprocess.run goes through Popen too: this sees every git process
        calls.append(list(args))
        return real_popen(args, **kwargs)

    monkeypatch.setattr(history.subprocess, "Popen", counting_popen)
    app = build(make_app, repository / "docs")
    assert app.warning.getvalue() == ""
    # one rev-parse and one log for the whole build, not one per page
    assert [call[1] if call[1] != "-c" else call[3] for call in calls] == ["rev-parse", "log"]
    outdir = Path(app.outdir)
    assert footer(outdir, "1-alpha/1-one.html") == "Last updated: 2025-04-05"
    # Git wins over the front matter date (2024-06-02)
    assert footer(outdir, "1-alpha/2-two.html") == "Last updated: 2025-03-04"
    shelf = BeautifulSoup((outdir / "README.html").read_text(encoding="utf-8"), "html.parser")
    dates = [row.find_all("td")[3].get_text() for row in shelf.select("table tbody tr")]
    assert dates == ["2025-04-05", "2025-03-04", "2025-03-04", "2025-03-04", "2025-03-04"]


def test_shallow_clone_falls_back_without_warnings(
    make_app: Callable[..., SphinxTestApp], repository: Path, tmp_path: Path
) -> None:
    srcdir = clone(repository, tmp_path / "shallow", 1) / "docs"
    app = build(make_app, srcdir)
    assert app.warning.getvalue() == ""  # safe under -W
    outdir = Path(app.outdir)
    # history cut: front matter first, then the file's modification time
    assert footer(outdir, "1-alpha/1-one.html") == "Last updated: 2024-05-01"
    assert footer(outdir, "1-alpha/2-two.html") == "Last updated: 2024-06-02"
    mtime = (srcdir / "5-epsilon" / "2-s.md").stat().st_mtime
    expected = datetime.fromtimestamp(mtime, tz=timezone.utc).date().isoformat()
    assert footer(outdir, "5-epsilon/2-s.html") == f"Last updated: {expected}"
