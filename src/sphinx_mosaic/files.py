"""Files written only when their content changed, and cache files written whole.

A build that writes the same bytes again leaves the file (and its time
stamp) alone, so a reviewer's tools and ``rsync`` see only what changed.  A
cache file is written under a temporary name and renamed, so another process
of a parallel build never reads half of one.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_if_changed(path: Path, content: bytes) -> bool:
    """Write *content* unless *path* holds it already; True if written."""
    try:
        if path.stat().st_size == len(content) and path.read_bytes() == content:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True


def write_whole(path: Path, content: bytes) -> None:
    """Write *content* to *path* whole or not at all: a reader never sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    partial.write_bytes(content)
    partial.replace(path)
