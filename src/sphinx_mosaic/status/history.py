"""Last-commit dates of the files of a source directory, from one ``git log``.

One ``git rev-parse`` (where is the source directory in the repository, and is
the clone shallow) and one ``git log`` per build, whatever the number of pages:
the log lists, newest first, the files every commit touched, and the first
commit that names a file is its last change.  The log is parsed as it streams
and stopped once every page is dated, so a long history costs little.

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

import io
import shutil
import subprocess
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import cast

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


def _add_record(history: GitHistory, record: str, prefix: str) -> None:
    """Add one commit (``<ct> <parents>\0\n<name>\0<name>\0...``) to *history*."""
    header, _, names = record.partition("\0")
    stamp, _, parents = header.strip().partition(" ")
    try:
        when = datetime.fromtimestamp(int(stamp), tz=timezone.utc).date()
    except ValueError:
        return
    boundary = history.shallow and not parents.strip()
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


LOG_COMMAND = (
    # Personal settings must not add lines to the output we parse.
    "-c",
    "log.showSignature=false",
    "log",
    "--name-only",
    "-z",
    "--format=%x1e%ct %P",
    "--",
    ".",
)


def parse_stream(
    stream: io.BufferedIOBase, prefix: str, shallow: bool, wanted: Collection[str] | None = None
) -> tuple[GitHistory, bool]:
    """Parse ``git log --name-only -z --format=%x1e%ct %P`` output as it arrives on *stream*.

    *prefix* is the source directory relative to the repository top (as
    ``git rev-parse --show-prefix`` prints it, with a trailing slash or empty).
    Reading stops once every file in *wanted* is dated (the newest commit
    naming a file comes first, so stopping early changes nothing but the time
    a long history takes).  Returns the history and whether it stopped early.
    """
    history = GitHistory(shallow=shallow)
    remaining = set(wanted) if wanted is not None else None
    pending = b""
    while chunk := stream.read1(1 << 16):
        pending += chunk
        *complete, pending = pending.split(b"\x1e")
        for record in complete:
            if record.strip():
                _add_record(history, record.decode("utf-8", "surrogateescape"), prefix)
        if remaining is not None:
            remaining -= history.dates.keys() | history.cut
            if not remaining:
                return history, True
    if pending.strip():
        _add_record(history, pending.decode("utf-8", "surrogateescape"), prefix)
    return history, False


def _stream_log(
    git: str, srcdir: Path, prefix: str, shallow: bool, wanted: Collection[str] | None
) -> GitHistory | None:
    """Run ``git log`` and parse it as it streams (:func:`parse_stream`)."""
    try:
        process = subprocess.Popen(
            [git, *LOG_COMMAND], cwd=srcdir, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
    except OSError as exc:
        logger.verbose("sphinx-mosaic: git log failed: %s", exc)
        return None
    stream = cast("io.BufferedReader", process.stdout)
    stopped = False
    try:
        history, stopped = parse_stream(stream, prefix, shallow, wanted)
    finally:
        if stopped:
            process.kill()
        stream.close()
        returncode = process.wait()
    if returncode != 0 and not stopped:
        logger.verbose("sphinx-mosaic: git log exited with %s", returncode)
        return None
    return history


def read_git_history(srcdir: Path, wanted: Collection[str] | None = None) -> GitHistory | None:
    """Dates of the files under *srcdir*, or None when Git cannot tell.

    *wanted* (paths relative to *srcdir*) lets the walk stop early, once each
    of them is dated.
    """
    git = shutil.which("git")
    if git is None:
        return None
    info = _git(["rev-parse", "--show-prefix", "--is-shallow-repository"], srcdir)
    if info is None:
        return None
    lines = info.splitlines()
    if len(lines) < 2:
        return None
    prefix, shallow = lines[0].strip(), lines[1].strip() == "true"
    return _stream_log(git, srcdir, prefix, shallow, wanted)
