"""BookStack's portable ZIP: ``data.json`` and ``files/``, the same bytes from the same content.

BookStack (v24.10 and later) imports a book from a ZIP holding ``data.json``
(the book, its chapters and pages with their ``id``, ``name``, ``html``,
``priority``, ``tags``, ``images`` and ``attachments``; key order as
BookStack's own export writes it) and the files it names under ``files/``.
An image is listed once, on the first page that uses it; pages refer to
entities and files with ``[[bsexport:...]]`` references.

Entries are sorted (``data.json`` first, then ``files/...``), every entry has
the same fixed timestamp and permissions, and images that are compressed
already are stored rather than deflated, so the same content gives
byte-identical ZIPs, and :func:`package_digest` tells whether a ZIP must be
written again.  Standard library only: the publisher may use it without Sphinx.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

from sphinx_mosaic.bookstack.format.files import check_reference
from sphinx_mosaic.bookstack.format.model import Asset, Book, Chapter, Page

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


__all__ = ["ZIP_DATE", "book_data", "data_json", "package_digest", "zip_bytes"]
