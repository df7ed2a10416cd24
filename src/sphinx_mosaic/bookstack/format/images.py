"""The image types BookStack accepts, told by content.

BookStack sniffs every uploaded or imported image from its bytes and accepts
PNG, JPEG, GIF and WebP only (its validation message: "The image must be a
file of type: jpeg, png, gif, webp."); a ZIP import is refused whole for one
image it does not take.  The builder converts everything else before packing
(:mod:`sphinx_mosaic.bookstack.assets`); the publisher names each file's type
when it uploads it.
"""

from __future__ import annotations


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
