"""Raster images read with Pillow, by their content rather than their file name.

:func:`check` decodes a file completely (a truncated or corrupt PNG fails here,
not at BookStack); :func:`to_png` re-encodes any format Pillow reads (BMP, TIFF,
ICO, ...) as PNG.  The PNG holds pixels only: no ICC profile, EXIF, text or
time chunks, so the same input always gives the same bytes.
"""

from __future__ import annotations

import functools
import io
import re
from pathlib import PurePosixPath

from PIL import Image

#: Image modes Pillow writes to PNG as they are; others (CMYK, YCbCr, LAB, 32-bit I and
#: F, ...) are converted to RGB or, when they have transparency, RGBA.
_PNG_MODES = frozenset({"1", "L", "LA", "P", "RGB", "RGBA", "I;16"})


class RasterError(ValueError):
    """Pillow could not read the image; the message is Pillow's."""


#: Pillow names the file object it read in some messages; ours is a nameless buffer.
_BUFFER = re.compile(r"\s*<_io\.BytesIO object at 0x[0-9a-fA-F]+>")


def _error(error: Exception) -> RasterError:
    return RasterError(_BUFFER.sub("", str(error)) or type(error).__name__)


def identify(data: bytes) -> str:
    """The Pillow format name of *data* from its header, else :class:`RasterError`."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return str(image.format)
    except Exception as error:  # as in check()
        raise _error(error) from error


def check(data: bytes) -> None:
    """Return if Pillow reads *data* through to its last pixel, else :class:`RasterError`."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()  # chunk structure and checksums
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # every pixel of the first frame: truncation shows here
    # Pillow's decoders raise OSError, SyntaxError, ValueError, EOFError, struct.error and
    # DecompressionBombError on bad input: any of them means the file is not a usable image.
    except Exception as error:
        raise _error(error) from error


def to_png(data: bytes) -> bytes:
    """*data*, an image of any format Pillow reads, as PNG (first frame, pixels only)."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            image = opened
            if image.mode not in _PNG_MODES:
                image = image.convert("RGBA" if image.has_transparency_data else "RGB")
            out = io.BytesIO()
            # icc_profile=None: Pillow would otherwise copy the source's profile.
            image.save(out, "PNG", icc_profile=None)
    except Exception as error:  # as in check(): every decoder failure means "not an image"
        raise _error(error) from error
    return out.getvalue()


@functools.cache
def image_suffixes() -> frozenset[str]:
    """File name suffixes of the formats Pillow opens (``.bmp``, ``.tif``, ...)."""
    Image.init()
    registered = Image.registered_extensions()
    return frozenset(ext for ext, name in registered.items() if name in Image.OPEN)


def named_as_image(name: str) -> bool:
    """Whether the file name says "image": a suffix of a format Pillow opens, or SVG."""
    suffix = PurePosixPath(name).suffix.lower()
    return suffix in (".svg", ".svgz") or suffix in image_suffixes()
