"""Images by their content: pixels-only PNG with Pillow, SVG drawn as PNG with resvg.

Shared by the BookStack output (which converts every image BookStack does not
take) and the diagrams (which cache the PNGs their renderers draw).

Raster images are read with Pillow, by their content rather than their file
name: :func:`check` decodes a file completely (a truncated or corrupt PNG fails
here, not at BookStack); :func:`to_png` re-encodes any format Pillow reads
(BMP, TIFF, ICO, ...) as PNG.  Both PNG writers here hold pixels only: no ICC
profile, EXIF, text or time chunks, so the same input always gives the same
bytes.  They are two because their bytes differ (:func:`recompressed_png`
says how), and either byte changing would change every ZIP digest and upload
every image again.

SVG is drawn with resvg (the ``resvg-py`` wheel): no system program needed.
Resolution: the SVG's intrinsic size (its root ``width`` and ``height``, or its
``viewBox`` when those are missing or relative) scaled up 2x, so the PNG stays
crisp on high-density screens, with its longest side capped at
:data:`MAX_SIDE` pixels (a scale below 2x for large drawings).  An SVG whose
size cannot be read is drawn at 1x, as resvg sizes it.  Text is drawn with the
fonts installed on the machine; an SVG without text gives the same PNG
everywhere.
"""

from __future__ import annotations

import functools
import io
import re
import xml.etree.ElementTree as ElementTree
import zlib
from pathlib import PurePosixPath

import resvg_py
from PIL import Image

# -- raster images (Pillow) ---------------------------------------------------

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


def recompressed_png(data: bytes) -> bytes:
    """*data* (any image Pillow reads) as a PNG holding pixels only, at zlib level 9.

    Unlike :func:`to_png`, modes other than RGB, RGBA, L and LA become RGBA (a
    palette image too), and the compression is Pillow's strongest: the form the
    diagrams cache has always stored its drawings in.
    """
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        pixels = image.convert("RGBA") if image.mode not in ("RGB", "RGBA", "L", "LA") else image
        out = io.BytesIO()
        # No pnginfo, no exif: only the pixels, so equal pixels give equal bytes.
        pixels.save(out, "PNG", optimize=False, compress_level=9)
    return out.getvalue()


# -- SVG (resvg) ---------------------------------------------------------------

#: How much larger than its intrinsic size an SVG is drawn.
SCALE = 2.0
#: The longest side of a converted SVG, in pixels.
MAX_SIDE = 4096

#: CSS pixels per unit, as SVG defines absolute lengths (96 px per inch).
_UNITS = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([a-z]*)\s*$")


#: The largest SVG text a compressed ``.svgz`` may unpack to.
_MAX_UNPACKED = 64 * 1024 * 1024


class SvgError(ValueError):
    """resvg could not draw the SVG; the message is resvg's."""


def _unpacked(data: bytes) -> bytes:
    """The SVG text of *data*, unpacking a gzip-compressed ``.svgz``."""
    if not data.startswith(b"\x1f\x8b"):
        return data
    unpacker = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        text = unpacker.decompress(data, _MAX_UNPACKED)
    except zlib.error as error:
        raise SvgError(f"broken gzip compression: {error}") from error
    if unpacker.unconsumed_tail:
        raise SvgError(f"unpacks to more than {_MAX_UNPACKED // 1024 // 1024} MiB")
    return text


def _length(value: str | None) -> float | None:
    match = _LENGTH.match(value or "")
    if match is None or match.group(2) not in _UNITS:
        return None
    number = float(match.group(1)) * _UNITS[match.group(2)]
    return number if number > 0 else None


def intrinsic_size(data: bytes) -> tuple[float, float] | None:
    """Width and height in CSS pixels from the root ``<svg>`` element, if stated."""
    parser: ElementTree.XMLPullParser[ElementTree.Element] = ElementTree.XMLPullParser(
        events=("start",)
    )
    try:
        # Only the root's start tag is needed, so the document is fed until it is seen.
        for offset in range(0, len(data), 4096):
            parser.feed(data[offset : offset + 4096])
            for event in parser.read_events():
                root = event[-1]
                if isinstance(root, ElementTree.Element):
                    return _root_size(root.attrib)
    except ElementTree.ParseError:
        return None
    return None


def _root_size(attributes: dict[str, str]) -> tuple[float, float] | None:
    width, height = _length(attributes.get("width")), _length(attributes.get("height"))
    box = (attributes.get("viewBox") or "").replace(",", " ").split()
    box_size: tuple[float, float] | None = None
    if len(box) == 4:
        try:
            box_width, box_height = float(box[2]), float(box[3])
        except ValueError:
            box_width = box_height = 0.0
        if box_width > 0 and box_height > 0:
            box_size = (box_width, box_height)
    if width and height:
        return width, height
    if box_size is None:
        return None
    # One stated side and a viewBox: the other side follows the viewBox's ratio.
    if width:
        return width, width * box_size[1] / box_size[0]
    if height:
        return height * box_size[0] / box_size[1], height
    return box_size


def zoom_for(size: tuple[float, float] | None) -> float:
    """The scale an SVG of *size* is drawn at: :data:`SCALE`, less for large drawings."""
    if size is None:
        return 1.0
    return min(SCALE, MAX_SIDE / max(size))


#: Attributes that name another file: resvg draws any file they name, even outside the docs.
_HREFS = ("href", "{http://www.w3.org/1999/xlink}href")


def _draw(text: str, zoom: float) -> bytes:
    try:
        return bytes(resvg_py.svg_to_bytes(svg_string=text, zoom=zoom))
    except (ValueError, OverflowError) as error:  # resvg reports every failure as ValueError
        raise SvgError(str(error)) from error


def _inside(reference: str) -> bool:
    """An ``#id`` or a ``data:`` URL of a raster image (an SVG in one could name files)."""
    reference = "".join(reference.split()).lower()
    return reference.startswith("#") or (
        reference.startswith("data:") and not reference.startswith("data:image/svg")
    )


def _inside_only(text: str, zoom: float) -> str:
    """*text* without references to other files (``<image href="/etc/...">``).

    resvg would read and draw whatever file such a reference names, so a page could put
    any picture of the building machine into the ZIP.  Only references inside the SVG
    (``#id``) and raster ``data:`` URLs are kept; a drawing with no other reference is
    passed on unchanged.
    """
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        _draw(text, zoom)  # resvg's error, when it has one, says more than expat's
        raise SvgError(f"cannot check it for references to other files: {error}") from error
    outside = False
    for element in root.iter():
        for name in _HREFS:
            value = element.get(name)
            if value is not None and not _inside(value):
                del element.attrib[name]
                outside = True
    return ElementTree.tostring(root, encoding="unicode") if outside else text


def svg_to_png(data: bytes) -> bytes:
    """The PNG of the SVG *data*; :class:`SvgError` with resvg's message if it cannot."""
    data = _unpacked(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SvgError(f"not UTF-8 text: {error}") from error
    zoom = zoom_for(intrinsic_size(data))
    return _draw(_inside_only(text, zoom), zoom)
