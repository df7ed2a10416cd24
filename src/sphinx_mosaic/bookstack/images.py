"""Images for BookStack: only PNG, JPEG, GIF and WebP are accepted.

BookStack sniffs every ZIP image from its first bytes and rejects anything
else (SVG included).  SVG is converted to PNG with ``rsvg-convert`` (librsvg)
or, when that is missing, with the ``cairosvg`` package; conversions are cached
by content hash.  An image that cannot be converted is attached to its page
instead, with a warning.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path, PurePosixPath

from sphinx_mosaic.bookstack.structure import safe_file_name

ACCEPTED = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
}


def sniff(data: bytes) -> str | None:
    """The MIME type of *data* if it is one BookStack accepts."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def is_svg(path: str, data: bytes) -> bool:
    head = data[:1000].lstrip().lower()
    return PurePosixPath(path).suffix.lower() in (".svg", ".svgz") or (
        head.startswith((b"<svg", b"<?xml")) and b"<svg" in head
    )


def file_reference(name: str, data: bytes, extension: str) -> str:
    """A flat, safe and content-addressed name under ``files/``."""
    digest = hashlib.sha256(data).hexdigest()[:12]
    stem = safe_file_name(PurePosixPath(name).stem, limit=60)
    return f"{digest}-{stem}.{extension}"


class SvgConverter:
    """SVG to PNG, cached in *cache* by the SVG's content hash."""

    def __init__(self, cache: Path) -> None:
        self.cache = cache

    def convert(self, data: bytes) -> bytes | None:
        digest = hashlib.sha256(data).hexdigest()
        target = self.cache / f"{digest}.png"
        if target.is_file():
            return target.read_bytes()
        png = self._rsvg(data) or self._cairosvg(data)
        if png is not None and sniff(png) == "image/png":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(png)
            return png
        return None

    @staticmethod
    def _rsvg(data: bytes) -> bytes | None:
        program = shutil.which("rsvg-convert")
        if program is None:
            return None
        try:
            done = subprocess.run(
                [program, "--format=png"], input=data, capture_output=True, check=True, timeout=60
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout or None

    @staticmethod
    def _cairosvg(data: bytes) -> bytes | None:
        try:
            import cairosvg  # type: ignore[import-not-found, unused-ignore]
        except (ImportError, OSError):
            return None
        try:
            return bytes(cairosvg.svg2png(bytestring=data))
        except Exception:  # cairosvg raises many kinds on bad input
            return None
