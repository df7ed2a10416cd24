"""SVG to PNG with resvg (the ``resvg-py`` wheel): no system program needed.

Resolution: the SVG's intrinsic size (its root ``width`` and ``height``, or its
``viewBox`` when those are missing or relative) scaled up 2x, so the PNG stays
crisp on high-density screens, with its longest side capped at
:data:`MAX_SIDE` pixels (a scale below 2x for large drawings).  An SVG whose
size cannot be read is drawn at 1x, as resvg sizes it.  Text is drawn with the
fonts installed on the machine; an SVG without text gives the same PNG
everywhere.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
import zlib

import resvg_py

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


# -- inline SVG in raw HTML ---------------------------------------------------

_SVG_TAG = re.compile(r"<(/?)svg\b[^>]*>", re.IGNORECASE)
_SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"


def inline_svgs(html: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of each outermost ``<svg>...</svg>`` of *html*.

    BookStack's content filter (v25.12.4 and later) removes inline SVG when it
    shows a page, so raw HTML's drawings are drawn as images instead.  Only the
    ``svg`` tags are matched (an SVG inside an SVG is part of the outer one); an
    SVG left open is not matched and is removed by the cleaning.
    """
    spans: list[tuple[int, int]] = []
    depth = begin = 0
    for match in _SVG_TAG.finditer(html):
        if match.group(1):  # </svg>
            if depth:
                depth -= 1
                if not depth:
                    spans.append((begin, match.end()))
            continue
        if not depth:
            begin = match.start()
        if match.group(0).endswith("/>"):
            if not depth:
                spans.append((begin, match.end()))
            continue
        depth += 1
    return spans


def standalone(markup: str) -> bytes:
    """An inline ``<svg>`` element as an SVG file: with the namespaces that HTML
    leaves implicit (the ``svg`` one, and ``xlink`` when it is used)."""
    head = markup[: markup.index(">")]
    extra = ""
    if not re.search(r"\sxmlns\s*=", head):
        extra += f' xmlns="{_SVG_NAMESPACE}"'
    if "xlink:" in markup and "xmlns:xlink" not in head:
        extra += f' xmlns:xlink="{_XLINK_NAMESPACE}"'
    return (markup[:4] + extra + markup[4:]).encode("utf-8")
