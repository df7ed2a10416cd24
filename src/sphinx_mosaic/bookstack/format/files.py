"""File names in the output: ZIP names per book and the flat ``files/`` references inside.

BookStack's portable ZIP names each image and attachment by a reference into
the ZIP's ``files/`` folder, and its importer takes the reference as it is
(``ZipExportReader``), so every reference written here is a flat name of
``[A-Za-z0-9._-]``: no folder, no ``..``, nothing absolute, nothing an unzip
tool could write outside the folder.  Book ZIPs are named the same way, and
made unique also on case-insensitive file systems.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath

from sphinx_mosaic.bookstack.format.model import Book

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_DOTS = re.compile(r"\.{2,}")
#: What :func:`check_reference` accepts: a flat name of :func:`safe_file_name`'s characters.
SAFE_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")


def safe_file_name(name: str, limit: int = 120) -> str:
    """A flat file name of ``[A-Za-z0-9._-]`` only (BookStack's ZIP file references)."""
    # Runs of dots become one: a name never holds "..", even where the cut falls.
    safe = _DOTS.sub(".", _UNSAFE.sub("-", name)).strip("-.")
    return safe[:limit].strip("-.") or "file"


def unique_stems(books: list[Book]) -> None:
    """Make the ZIP file names unique, also on case-insensitive file systems."""
    stems: set[str] = set()
    for book in books:
        stem, n = book.file_stem, 1
        while stem.lower() in stems:
            n += 1
            stem = f"{book.file_stem}-{n}"
        book.file_stem = stem
        stems.add(stem.lower())


def file_reference(name: str, data: bytes, extension: str) -> str:
    """A flat, safe and content-addressed name under ``files/``."""
    digest = hashlib.sha256(data).hexdigest()[:12]
    stem = safe_file_name(PurePosixPath(name).stem, limit=60)
    return f"{digest}-{stem}.{extension}"


def check_reference(ref: str) -> str:
    """*ref* if it is a safe ``files/`` entry name, else ValueError (a bug, not bad input)."""
    if not SAFE_REFERENCE.match(ref) or ".." in ref:
        raise ValueError(f"unsafe ZIP file reference {ref!r}")
    return ref
