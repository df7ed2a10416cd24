"""The drawings cache: one PNG per drawn source, named by a hash of what drew it.

Files live in ``<doctreedir>/mosaic-drawings/<sha256>.png``.  The key hashes the
renderer's name, its options and the source, so a changed option or renderer
version draws again, and an unchanged source is never drawn twice: a rebuild
runs no renderer at all.  Every PNG is re-encoded by Pillow before it is
stored, which drops the text chunks (creation times, software names) some
renderers write, so the same drawing always gives the same bytes.  Files are
written whole (temporary file, then rename), so a parallel build never reads
half a PNG.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sphinx_mosaic.files import write_whole
from sphinx_mosaic.images import recompressed_png

FOLDER = "mosaic-drawings"


def drawing_key(renderer: str, options: tuple[str, ...], source: str) -> str:
    """The cache key of *source* drawn by *renderer* with *options*."""
    parts = [renderer, *options, source]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


class DrawingCache:
    """PNG files by key under *root*."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        return self.root / f"{key}.png"

    def get(self, key: str) -> Path | None:
        path = self.path(key)
        return path if path.is_file() else None

    def store(self, key: str, png: bytes) -> Path:
        """Store *png* (normalised) under *key*, whole or not at all; return its path."""
        path = self.path(key)
        write_whole(path, recompressed_png(png))
        return path

    def refusal(self, key: str) -> str | None:
        """Why the renderer refused the source of *key*, when it did."""
        path = self.root / f"{key}.refused"
        return path.read_text(encoding="utf-8") if path.is_file() else None

    def store_refusal(self, key: str, message: str) -> None:
        """Remember a refusal, so a rebuild warns again without running the renderer."""
        write_whole(self.root / f"{key}.refused", message.encode("utf-8"))
