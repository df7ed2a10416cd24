"""The output folder: one portable ZIP per book, the browsable copy and ``manifest.json``.

Output folder::

    books/<book>.zip     BookStack portable ZIPs (data.json + files/)
    html/                the same pages as standalone HTML, for review
    manifest.json        the shelf, for the publisher

ZIPs are written byte for byte the same from the same content: entries are
sorted (``data.json`` first, then ``files/...``), every entry has the same
fixed timestamp and permissions, and images that are compressed already are
stored rather than deflated.  A ZIP is rewritten only when its content digest
changed, and a ZIP no book makes any more is removed.  What BookStack's
default upload limit would refuse is warned about.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from sphinx.locale import __
from sphinx.util import logging
from sphinx.util.display import status_iterator

from sphinx_mosaic.bookstack.assemble import Assembler, ZipContext, build_book
from sphinx_mosaic.bookstack.browse import write_browsable
from sphinx_mosaic.bookstack.format.files import check_reference
from sphinx_mosaic.bookstack.format.limits import UPLOAD_LIMIT
from sphinx_mosaic.bookstack.format.manifest import (
    manifest_bytes,
    manifest_data,
    zip_name,
)
from sphinx_mosaic.bookstack.format.model import Asset, Book, Chapter, Page
from sphinx_mosaic.files import write_if_changed
from sphinx_mosaic.warnings import MosaicWarning, warn

logger = logging.getLogger(__name__)

#: ZIP's earliest date: fixed, so the same content gives the same bytes.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_STORED_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".zip", ".gz")


def data_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def package_digest(data: bytes, files: dict[str, bytes]) -> str:
    digest = hashlib.sha256(data)
    for ref in sorted(files):
        digest.update(f"\0{ref}\0".encode())
        digest.update(hashlib.sha256(files[ref]).digest())
    return digest.hexdigest()


def zip_bytes(data: bytes, files: dict[str, bytes]) -> bytes:
    entries = [
        ("data.json", data),
        *sorted((f"files/{check_reference(ref)}", body) for ref, body in files.items()),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.create_system = 3  # Unix, whatever the host
            info.external_attr = 0o644 << 16
            if name.lower().endswith(_STORED_SUFFIXES):
                info.compress_type = zipfile.ZIP_STORED
                archive.writestr(info, body)
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, body, compresslevel=6)
    return buffer.getvalue()


def book_data(book: Book) -> dict[str, Any]:
    """The ZIP's ``data.json`` object (key order kept: the bytes are compared)."""
    listed: set[int] = set()
    first_use: dict[int, list[Asset]] = {}
    for page in book.iter_pages():
        new = [image for image in page.images if image.zip_id not in listed]
        listed |= {image.zip_id for image in new}
        first_use[page.zip_id] = new
    chapters: list[dict[str, Any]] = []
    pages: list[dict[str, Any]] = []
    for entry in book.contents:
        if isinstance(entry, Chapter):
            chapters.append(_chapter_json(entry, first_use))
        else:
            pages.append(_page_json(entry, first_use))
    book_json: dict[str, Any] = {"id": book.zip_id, "name": book.name}
    if book.description_html:
        book_json["description_html"] = book.description_html
    book_json.update({"tags": book.tags, "chapters": chapters, "pages": pages})
    return {"book": book_json}


def _chapter_json(chapter: Chapter, first_use: dict[int, list[Asset]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": chapter.zip_id,
        "name": chapter.name,
        "priority": chapter.priority,
    }
    if chapter.description_html:
        data["description_html"] = chapter.description_html
    data["tags"] = chapter.tags
    data["pages"] = [_page_json(page, first_use) for page in chapter.pages]
    return data


def _page_json(page: Page, first_use: dict[int, list[Asset]]) -> dict[str, Any]:
    return {
        "id": page.zip_id,
        "name": page.name,
        "html": page.html,
        "priority": page.priority,
        "tags": page.tags,
        "images": [
            {"id": image.zip_id, "name": image.name, "file": image.ref, "type": "gallery"}
            for image in first_use.get(page.zip_id, [])
        ],
        "attachments": [
            {"id": attachment.zip_id, "name": attachment.name, "file": attachment.ref}
            for attachment in page.attachments
        ],
    }


def write_output(
    asm: Assembler, outdir: Path, digests: dict[str, str], verbosity: int = 0
) -> dict[str, str]:
    """Write the books of *asm*, the browsable copy and the manifest into *outdir*.

    *digests* maps each ZIP (relative to *outdir*) to the content digest it was
    written with; a ZIP whose digest is the same is left as it is.  Returns the
    digests of this build's ZIPs.
    """
    books = asm.structure()
    contexts: dict[str, ZipContext] = {}
    state: dict[str, str] = {}
    rewritten = 0
    for book in status_iterator(
        books,
        __("writing BookStack books... "),
        "darkgreen",
        len(books),
        verbosity,
        stringify_func=lambda b: b.file_stem,
    ):
        contexts[book.key] = build_book(asm, book)
        rewritten += write_zip(book, outdir, digests, state)
    for stale in sorted(set(digests) - set(state)):
        (outdir / stale).unlink(missing_ok=True)
    write_browsable(outdir / "html", asm.shelf, contexts)
    write_if_changed(outdir / "manifest.json", manifest_bytes(manifest_data(asm.shelf)))
    pages = sum(len(book.pages) for book in books)
    images = sum(len(contexts[book.key].images) for book in books)
    logger.info(
        __("bookstack: wrote %d books, %d pages, %d images (%d ZIPs rewritten)"),
        len(books),
        pages,
        images,
        rewritten,
    )
    return state


def write_zip(book: Book, outdir: Path, old: dict[str, str], state: dict[str, str]) -> int:
    """Write *book*'s ZIP unless *old* says it holds this content; 1 if written."""
    relative = zip_name(book)
    path = outdir / relative
    book.zip_path = path
    data = data_json(book_data(book))
    digest = package_digest(data, book.files)
    state[relative] = digest
    if old.get(relative) == digest and path.is_file():
        return 0
    package = zip_bytes(data, book.files)
    check_sizes(book, relative, data, package)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(package)
    return 1


def check_sizes(book: Book, relative: str, data: bytes, package: bytes) -> None:
    """Warn about what BookStack's default upload limit (50 MB) would refuse."""
    megabytes = UPLOAD_LIMIT // 1_000_000
    oversized = [("data.json", len(data))] + [
        (f"files/{ref}", len(body)) for ref, body in sorted(book.files.items())
    ]
    oversized.append((relative, len(package)))
    for name, size in oversized:
        if size > UPLOAD_LIMIT:
            warn(
                MosaicWarning.BOOKSTACK_LIMIT,
                f"{name} of book {book.name!r} is {size / 1_000_000:.1f} MB; BookStack "
                f"refuses more than {megabytes} MB unless FILE_UPLOAD_SIZE_LIMIT is raised "
                "(split the book, or make its images and downloads smaller)",
                location=book.docname,
            )
