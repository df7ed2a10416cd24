"""Every file a page uses, read once: images kept, converted or refused, attachments named.

Only PNG, JPEG, GIF and WebP are accepted as images.  BookStack sniffs every
ZIP image from its content and refuses the whole book import for one file it
does not take, so every image is checked here by its content, never by its
file name:

* PNG, JPEG, GIF and WebP that decode completely (:mod:`sphinx_mosaic.images`) are kept
  byte for byte;
* SVG is drawn as PNG by resvg (:mod:`sphinx_mosaic.images`, which documents the resolution);
* anything else Pillow reads (BMP, TIFF, ICO, ...) is re-encoded as PNG.

Whatever cannot be read is :class:`Refused` with the converter's own error.
Results are cached in a folder by content hash (and converter version), so a
rebuild neither converts again nor gives other bytes.  A glob image
(``pic.*``) is given the file of the first type of :data:`IMAGE_PREFERENCE`
Sphinx found (:func:`chosen_uri`).  A file that is not an image becomes an
attachment, named by its content (:class:`Assets`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import PIL
import resvg_py
from docutils import nodes

from sphinx_mosaic import images
from sphinx_mosaic.bookstack.format.files import file_reference
from sphinx_mosaic.bookstack.format.images import sniff
from sphinx_mosaic.files import write_whole
from sphinx_mosaic.warnings import MosaicWarning, warn

ACCEPTED = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
}
#: Preferred image candidates (``image.*``): what BookStack takes, then SVG to convert.
IMAGE_PREFERENCE = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml")
#: Where a warning points: a docname, or ``(docname, line)``.
Location = str | tuple[str, int]

#: Part of every cache key: new converters or settings give new results.
_CONVERSION = (
    f"pillow {PIL.__version__}, resvg {resvg_py.__resvg_version__}, "
    f"svg {images.SCALE}x max {images.MAX_SIDE}px"
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
            png = images.svg_to_png(data) if svg_file else images.to_png(data)
            images.check(png)
        except (images.SvgError, images.RasterError) as error:
            reader = "resvg cannot draw it" if svg_file else "Pillow cannot read it"
            broken = svg_file or images.named_as_image(name) or _opens(data)
            return Refused(f"{reader}: {error}", broken)
        write_whole(converted, png)
        return Shown(png, "png")

    def _kept(self, digest: str, data: bytes, extension: str) -> Shown | Refused:
        """*data* as it is (so existing ZIPs keep their bytes), once Pillow has read it
        through; that it did is remembered in the cache."""
        checked = self.cache / f"{digest}.ok"
        if not checked.is_file():
            try:
                images.check(data)
            except images.RasterError as error:
                return Refused(f"Pillow cannot read it: {error}", broken=True)
            write_whole(checked, b"")
        return Shown(data, extension)


def _opens(data: bytes) -> bool:
    """Whether Pillow recognises *data*'s format at all (its pixels may still be broken)."""
    try:
        images.identify(data)
    except images.RasterError:
        return False
    return True


def chosen_uri(node: nodes.Element) -> str:
    """The file BookStack is given for the image *node*: its ``uri``, or for a glob
    image (``pic.*``) the file picked among what Sphinx found.

    Sphinx's image collector lists a glob's files by MIME type in
    ``candidates``; a plain image has the one key ``"*"`` (its own file) and
    a remote one ``"?"``, and both keep their ``uri``.  As Sphinx's own
    ``post_process_images`` does, the first type of :data:`IMAGE_PREFERENCE`
    wins; a glob that matches none of them takes its first file by type, so
    the converter draws it (BMP, TIFF, ...) or says why it cannot.  Asked by
    the translator when it meets the image, so no walk of the page looks for
    images beforehand.
    """
    uri: str = node["uri"]
    candidates: dict[str, str] = node.get("candidates", {})
    if "*" in candidates or "?" in candidates:
        return uri
    found = [mime for mime in IMAGE_PREFERENCE if mime in candidates]
    chosen = found or sorted(candidates)
    return candidates[chosen[0]] if chosen else uri


class Assets:
    """The source files of the books' pages, each read and converted once per build."""

    def __init__(self, srcdir: Path, converter: ImageConverter) -> None:
        self.srcdir = srcdir
        self.converter = converter
        self._files: dict[str, bytes | None] = {}
        #: source -> (file reference, bytes) of the image BookStack is given, or why none.
        self._images: dict[str, tuple[str, bytes] | Refused] = {}
        #: (source, location) of refused images: each warned about once.
        self.warned: set[tuple[str, str]] = set()

    def load(self, source: str, location: Location) -> bytes | None:
        """The bytes of a source file, or None when unreadable."""
        if source not in self._files:
            try:
                data = (self.srcdir / source).read_bytes()
            except OSError as error:
                warn(MosaicWarning.BOOKSTACK, f"cannot read {source!r}: {error}", location=location)
                self._files[source] = None
            else:
                self._files[source] = data
        return self._files[source]

    def image(self, source: str, location: Location) -> tuple[str, bytes] | Refused:
        """(file reference, bytes) of an image BookStack takes, or why there is none.

        A refused image is warned about once per page and place (an unreadable file
        was warned about when it was read).
        """
        data = self.load(source, location)
        if data is None:
            return Refused("the file cannot be read", broken=True)
        got = self._images.get(source)
        if got is None:
            prepared = self.converter.prepare(source, data)
            if isinstance(prepared, Shown):
                name = PurePosixPath(source).name
                ref = file_reference(name, prepared.data, prepared.extension)
                got = self._images[source] = (ref, prepared.data)
            else:
                got = self._images[source] = prepared
        if not isinstance(got, Refused):
            return got
        key = (source, str(location))
        if key not in self.warned:
            self.warned.add(key)
            outcome = (
                "it is left out of the BookStack output and its alt text is shown instead"
                if got.broken
                else "it is attached to the page instead of shown (BookStack shows PNG, JPEG, "
                "GIF and WebP)"
            )
            warn(
                MosaicWarning.IMAGE,
                f"image {source!r} is not a usable image, {outcome}: {got.reason}",
                location=location,
            )
        return got

    def attachment(self, source: str, location: Location) -> tuple[str, bytes] | None:
        """(file reference, bytes) of *source* attached to a page, or None when unreadable."""
        data = self.load(source, location)
        if data is None:
            return None
        name = PurePosixPath(source).name
        suffix = PurePosixPath(source).suffix.lstrip(".")
        extension = suffix if suffix.isalnum() and len(suffix) <= 10 else "bin"
        return file_reference(name, data, extension), data
