"""Images for BookStack: only PNG, JPEG, GIF and WebP are accepted.

BookStack sniffs every ZIP image from its content and refuses the whole book
import for one file it does not take, so every image is checked here by its
content, never by its file name:

* PNG, JPEG, GIF and WebP that decode completely (:mod:`~.raster`) are kept
  byte for byte;
* SVG is drawn as PNG by resvg (:mod:`~.svg`, which documents the resolution);
* anything else Pillow reads (BMP, TIFF, ICO, ...) is re-encoded as PNG.

Whatever cannot be read is :class:`Refused` with the converter's own error.
Results are cached in a folder by content hash (and converter version), so a
rebuild neither converts again nor gives other bytes.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import PIL
import resvg_py

from sphinx_mosaic.bookstack import raster, svg
from sphinx_mosaic.bookstack.format.images import sniff

ACCEPTED = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
}

#: Part of every cache key: new converters or settings give new results.
_CONVERSION = (
    f"pillow {PIL.__version__}, resvg {resvg_py.__resvg_version__}, "
    f"svg {svg.SCALE}x max {svg.MAX_SIDE}px"
).encode()


def is_svg(path: str, data: bytes) -> bool:
    head = data[:1000].lstrip().lower()
    return PurePosixPath(path).suffix.lower() in (".svg", ".svgz") or (
        head.startswith((b"<svg", b"<?xml")) and b"<svg" in head
    )


@dataclass(frozen=True)
class Shown:
    """An image BookStack takes: its bytes and the extension its content calls for."""

    data: bytes
    extension: str


@dataclass(frozen=True)
class Refused:
    """A file that cannot be shown as an image, and why (the converter's own words)."""

    reason: str
    #: The file says it is an image (by content or name) and cannot be read: a broken
    #: image, left out of the ZIP.  Otherwise it is some other kind of file.
    broken: bool


class ImageConverter:
    """Every image by content, cached in *cache* by content hash."""

    def __init__(self, cache: Path) -> None:
        self.cache = cache

    def prepare(self, name: str, data: bytes) -> Shown | Refused:
        """What BookStack is given for the file *name* holding *data*."""
        digest = hashlib.sha256(_CONVERSION + b"\0" + data).hexdigest()
        mime = sniff(data)
        if mime is not None:
            return self._kept(digest, data, ACCEPTED[mime])
        converted = self.cache / f"{digest}.png"
        if converted.is_file():
            return Shown(converted.read_bytes(), "png")
        svg_file = is_svg(name, data)
        try:
            png = svg.svg_to_png(data) if svg_file else raster.to_png(data)
            raster.check(png)
        except (svg.SvgError, raster.RasterError) as error:
            reader = "resvg cannot draw it" if svg_file else "Pillow cannot read it"
            broken = svg_file or raster.named_as_image(name) or _opens(data)
            return Refused(f"{reader}: {error}", broken)
        _store(converted, png)
        return Shown(png, "png")

    def _kept(self, digest: str, data: bytes, extension: str) -> Shown | Refused:
        """*data* as it is (so existing ZIPs keep their bytes), once Pillow has read it
        through; that it did is remembered in the cache."""
        checked = self.cache / f"{digest}.ok"
        if not checked.is_file():
            try:
                raster.check(data)
            except raster.RasterError as error:
                return Refused(f"Pillow cannot read it: {error}", broken=True)
            _store(checked, b"")
        return Shown(data, extension)


def _store(path: Path, data: bytes) -> None:
    """Write a cache file whole or not at all: a build reading it never sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    partial.write_bytes(data)
    partial.replace(path)


def _opens(data: bytes) -> bool:
    """Whether Pillow recognises *data*'s format at all (its pixels may still be broken)."""
    try:
        raster.identify(data)
    except raster.RasterError:
        return False
    return True
