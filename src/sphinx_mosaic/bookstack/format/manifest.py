"""The contract between the builder and the publisher: ``manifest.json`` and the ZIP tokens.

Both sides import this module, and of each other nothing else but the rest of
:mod:`sphinx_mosaic.bookstack.format` (the model, limits, image types, URLs):

* ``FORMAT`` names the version of the manifest's shape; the publisher refuses
  any other (its JSON Schema is ``docs/2-user-guide/4-bookstack/manifest.schema.json``);
* :func:`content_hash` is the one hashing of names, descriptions, tags, page
  HTML and files, so "changed" means the same on both sides;
* :data:`REFERENCE` and :func:`reference` are the ``[[bsexport:<type>:<id>]]``
  syntax BookStack resolves inside one portable ZIP;
* :func:`manifest_data` writes the manifest from the model, and
  :func:`read_manifest` / :func:`shelf_from_manifest` read it back into the
  same model types (:mod:`~sphinx_mosaic.bookstack.format.model`).

UTF-8 JSON with sorted keys and an indent of 2, so it is deterministic and
diffs well.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from sphinx_mosaic import __version__
from sphinx_mosaic.bookstack.format.model import SHELF_KEY, Asset, Book, Chapter, Page, Shelf, Tag

FORMAT = "sphinx-mosaic-bookstack/1"

#: A reference BookStack's importer turns into the URL of an object of the same ZIP.
REFERENCE = re.compile(r"\[\[bsexport:([a-z]+):(\d+)\]\]")


class ManifestError(ValueError):
    """A manifest that is not the shape this version writes."""


def reference(kind: str, ident: int) -> str:
    """``[[bsexport:page:3]]``: the reference to object *ident* of type *kind* in a ZIP."""
    return f"[[bsexport:{kind}:{ident}]]"


def content_hash(*parts: str | bytes) -> str:
    """The hash of an entity's content: its parts, each ended by a NUL byte."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def tags_json(tags: list[Tag]) -> str:
    return json.dumps(tags, sort_keys=True, ensure_ascii=False)


def container_hash(name: str, description_html: str, tags: list[Tag]) -> str:
    """The hash of a book or chapter."""
    return content_hash(name, description_html, tags_json(tags))


def shelf_hash(name: str, description_html: str) -> str:
    """The hash of the shelf (not in the manifest: the publisher computes it).

    A different recipe from :func:`content_hash`, kept so that shelves
    published by earlier versions are not rewritten once for nothing.
    """
    return hashlib.sha256(json.dumps([name, description_html], sort_keys=True).encode()).hexdigest()


# -- writing ------------------------------------------------------------------


def _page(page: Page) -> dict[str, Any]:
    return {
        "type": "page",
        "key": page.key,
        "docname": page.docname,
        "source": page.source,
        "name": page.name,
        "priority": page.priority,
        "zip_id": page.zip_id,
        "tags": page.tags,
        "hash": page.hash,
        "images": [image.zip_id for image in page.images],
        "attachments": [attachment.zip_id for attachment in page.attachments],
        "cross_links": page.cross_links,
    }


def _chapter(chapter: Chapter) -> dict[str, Any]:
    return {
        "type": "chapter",
        "key": chapter.key,
        "docname": chapter.docname,
        "name": chapter.name,
        "description_html": chapter.description_html,
        "priority": chapter.priority,
        "zip_id": chapter.zip_id,
        "tags": chapter.tags,
        "hash": chapter.hash,
        "pages": [_page(page) for page in chapter.pages],
    }


def zip_name(book: Book) -> str:
    """The ZIP's path relative to the output folder."""
    return f"books/{book.file_stem}.zip"


def manifest_data(shelf: Shelf) -> dict[str, Any]:
    """The manifest of a finished shelf."""
    entries = [
        {
            "key": book.key,
            "docname": book.docname,
            "name": book.name,
            "description_html": book.description_html,
            "priority": book.priority,
            "zip": zip_name(book),
            "zip_id": book.zip_id,
            "tags": book.tags,
            "hash": book.hash,
            "contents": [
                _chapter(e) if isinstance(e, Chapter) else _page(e) for e in book.contents
            ],
        }
        for book in shelf.books
    ]
    return {
        "format": FORMAT,
        "generator": f"sphinx-mosaic {__version__}",
        "project": shelf.project,
        "shelf": {
            "name": shelf.name,
            "description_html": shelf.description_html,
            "docname": shelf.docname or "",
        },
        "books": entries,
    }


def manifest_bytes(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


# -- reading ------------------------------------------------------------------


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest at *path*; FileNotFoundError, or ManifestError when unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise
    except ValueError as exc:
        raise ManifestError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise ManifestError(
            f"{path} has format {found!r}; this publisher reads {FORMAT!r}: rebuild with the "
            "same sphinx-mosaic version"
        )
    return data


def _page_from(spec: dict[str, Any], book_key: str, chapter_key: str | None) -> Page:
    return Page(
        key=spec["key"],
        docname=spec.get("docname") or "",
        source=spec.get("source") or "",
        name=spec["name"],
        zip_id=int(spec["zip_id"]),
        priority=int(spec.get("priority", 0)),
        tags=list(spec.get("tags") or []),
        hash=spec["hash"],
        book_key=book_key,
        chapter_key=chapter_key,
        # Only the ids are in the manifest; the ZIP holds the names and files.
        images=[Asset("image", int(i), "", "", None) for i in spec.get("images", [])],
        attachments=[
            Asset("attachment", int(i), "", "", None) for i in spec.get("attachments", [])
        ],
        cross_links=[dict(link) for link in spec.get("cross_links") or []],
    )


def _book_from(root: Path, spec: dict[str, Any]) -> Book:
    book = Book(
        key=spec["key"],
        docname=spec.get("docname"),
        source=None,
        name=spec["name"],
        file_stem=Path(spec["zip"]).stem,
        description_html=spec.get("description_html") or "",
        priority=int(spec.get("priority", 0)),
        zip_id=int(spec.get("zip_id", 1)),
        tags=list(spec.get("tags") or []),
        hash=spec["hash"],
        zip_path=root / spec["zip"],
    )
    for item in spec.get("contents", []):
        if item.get("type") == "chapter":
            chapter = Chapter(
                key=item["key"],
                docname=item.get("docname"),
                source=None,
                name=item["name"],
                description_html=item.get("description_html") or "",
                zip_id=int(item["zip_id"]),
                priority=int(item.get("priority", 0)),
                tags=list(item.get("tags") or []),
                hash=item["hash"],
                book_key=book.key,
            )
            chapter.pages = [_page_from(p, book.key, chapter.key) for p in item.get("pages", [])]
            book.contents.append(chapter)
        else:
            book.contents.append(_page_from(item, book.key, None))
    return book


def shelf_from_manifest(data: dict[str, Any], root: Path) -> Shelf:
    """The model a manifest describes, without the page bodies and files its ZIPs hold.

    Pages list their images and attachments by id only (assets without name or
    data); the ZIPs, under *root*, hold the rest.
    """
    try:
        spec = data["shelf"]
        shelf = Shelf(
            name=spec["name"],
            docname=spec.get("docname") or "",
            description_html=spec.get("description_html") or "",
            project=str(data["project"]),
        )
        shelf.hash = shelf_hash(shelf.name, shelf.description_html)
        shelf.books = [_book_from(root, book) for book in data.get("books", [])]
    except (KeyError, TypeError, ValueError) as exc:
        raise ManifestError(f"the manifest lacks or mistypes {exc}") from None
    return shelf


__all__ = [
    "FORMAT",
    "REFERENCE",
    "SHELF_KEY",
    "ManifestError",
    "container_hash",
    "content_hash",
    "manifest_bytes",
    "manifest_data",
    "read_manifest",
    "reference",
    "shelf_from_manifest",
    "tags_json",
]
