"""Last-commit dates of the files of a source directory, from one ``git log``.

One ``git rev-parse`` (where is the source directory in the repository, and is
the clone shallow) and one ``git log`` per build, whatever the number of pages:
the log lists, newest first, the files every commit touched, and the first
commit that names a file is its last change.

Shallow clones (ReadTheDocs, CI checkouts with a depth) cut the history: the
oldest commit they hold looks like a root commit that added every file, which
would date every untouched file to that commit.  So in a shallow clone a file
only gets a date from a commit that has parents in the clone; a file whose
history is cut gets none, and the next source (front matter, then the file's
modification time) is used.  Nothing here warns: a missing ``git``, a source
directory outside a repository or a shallow clone are normal on build servers
(a warning would break ``-W`` builds), and the date source each page used is
logged at verbose level.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Seconds before we give up on git (a huge repository on a slow disk).
GIT_TIMEOUT = 120


@dataclass
class GitHistory:
    """Last-commit dates keyed by POSIX path relative to the source directory."""

    dates: dict[str, date] = field(default_factory=dict)
    shallow: bool = False
    #: Files seen only in the boundary commit of a shallow clone (no date).
    cut: set[str] = field(default_factory=set)


def _git(args: list[str], cwd: Path) -> str | None:
    executable = shutil.which("git")
    if executable is None:
        return None
    try:
        result = subprocess.run(
            [executable, *args],
            cwd=cwd,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        logger.verbose("sphinx-mosaic: git %s failed: %s", args[0], exc)
        return None
    if result.returncode != 0:
        logger.verbose(
            "sphinx-mosaic: git %s failed: %s", args[0], result.stderr.decode(errors="replace")
        )
        return None
    return result.stdout.decode("utf-8", errors="surrogateescape")


def parse_log(output: str, prefix: str, shallow: bool) -> GitHistory:
    """Parse ``git log --name-only -z --format=%x1e%ct %P`` output.

    *prefix* is the source directory relative to the repository top (as
    ``git rev-parse --show-prefix`` prints it, with a trailing slash or empty).
    """
    history = GitHistory(shallow=shallow)
    for record in output.split("\x1e"):
        if not record.strip():
            continue
        header, _, names = record.partition("\0")
        stamp, _, parents = header.strip().partition(" ")
        try:
            when = datetime.fromtimestamp(int(stamp), tz=timezone.utc).date()
        except ValueError:
            continue
        boundary = shallow and not parents.strip()
        for raw in names.split("\0"):
            name = raw.strip("\n")
            if not name or not name.startswith(prefix):
                continue
            relative = name[len(prefix) :]
            if relative in history.dates or relative in history.cut:
                continue
            if boundary:
                history.cut.add(relative)
            else:
                history.dates[relative] = when
    return history


def read_git_history(srcdir: Path) -> GitHistory | None:
    """Dates of the files under *srcdir*, or None when Git cannot tell."""
    info = _git(["rev-parse", "--show-prefix", "--is-shallow-repository"], srcdir)
    if info is None:
        return None
    lines = info.splitlines()
    if len(lines) < 2:
        return None
    prefix, shallow = lines[0].strip(), lines[1].strip() == "true"
    log = _git(
        [
            # Personal settings must not add lines to the output we parse.
            "-c",
            "log.showSignature=false",
            "log",
            "--name-only",
            "-z",
            "--format=%x1e%ct %P",
            "--",
            ".",
        ],
        srcdir,
    )
    if log is None:
        return None
    return parse_log(log, prefix, shallow)
