"""The builder's output as the publisher sees it: ``manifest.json`` plus one ZIP per book.

The manifest is read through the contract module
(:mod:`sphinx_mosaic.bookstack.format.manifest`) into the BookStack output model
(:mod:`sphinx_mosaic.bookstack.format.model`), the same types the builder writes
from: every entity has a stable ``key`` (number-free name) and a content
``hash``; each book's ZIP holds the page HTML with ``[[bsexport:...]]`` tokens
and the image and attachment files, which are loaded here.  This module only
reads; nothing here talks to a server.
"""

from __future__ import annotations

import collections
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx_mosaic.bookstack.format.manifest import (
    ManifestError,
    read_manifest,
    shelf_from_manifest,
)
from sphinx_mosaic.bookstack.format.model import SHELF_KEY, Asset, Book, Chapter, Page, Shelf
from sphinx_mosaic.publish.errors import PublishError

__all__ = ["Bundle", "BundleError", "load_bundle"]


class BundleError(PublishError):
    """The output folder is not a complete bookstack build."""


@dataclass
class Bundle:
    """Everything one publish run wants the server to hold."""

    root: Path
    project: str
    shelf: Shelf
    books: list[Book]

    def pages(self) -> list[Page]:
        return [page for book in self.books for page in book.iter_pages()]

    def chapters(self) -> list[Chapter]:
        return [chapter for book in self.books for chapter in book.chapters]


def _walk_zip_pages(node: dict[str, Any]) -> list[dict[str, Any]]:
    pages = list(node.get("pages") or [])
    for chapter in node.get("chapters") or []:
        pages.extend(chapter.get("pages") or [])
    return pages


def _assets(
    archive: zipfile.ZipFile, pages: list[dict[str, Any]], kind: str, label: str
) -> dict[int, Asset]:
    found: dict[int, Asset] = {}
    for page in pages:
        for item in page.get(f"{kind}s") or []:
            ref = item.get("file")
            data: bytes | None = None
            if ref:
                try:
                    data = archive.read(f"files/{ref}")
                except KeyError:
                    raise BundleError(f"{label}: files/{ref} is missing from the ZIP") from None
            found[int(item["id"])] = Asset(
                "image" if kind == "image" else "attachment",
                int(item["id"]),
                str(item["name"]),
                str(ref or ""),
                data,
                item.get("link"),
            )
    return found


def _load_zip(book: Book, zip_file: str) -> None:
    """Fill the pages of *book* with their HTML, images and attachments from its ZIP."""
    label = f"book {book.key} ({zip_file})"
    try:
        with zipfile.ZipFile(book.zip_path) as archive:
            zbook = json.loads(archive.read("data.json"))["book"]
            zpages_list = _walk_zip_pages(zbook)
            images = _assets(archive, zpages_list, "image", label)
            attachments = _assets(archive, zpages_list, "attachment", label)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise BundleError(f"{label}: cannot read the ZIP: {exc}") from None
    zpages = {int(p["id"]): p for p in zpages_list}
    for page in book.iter_pages():
        zpage = zpages.get(page.zip_id)
        if zpage is None:
            raise BundleError(f"{label}: page {page.key} (id {page.zip_id}) is not in the ZIP")
        try:
            page.images = [images[asset.zip_id] for asset in page.images]
            page.attachments = [attachments[asset.zip_id] for asset in page.attachments]
        except KeyError as exc:
            raise BundleError(f"{label}: page {page.key} uses unknown file id {exc}") from None
        page.html = zpage.get("html") or ""
        page.markdown = zpage.get("markdown") or ""


def load_bundle(root: Path) -> Bundle:
    """Read ``root/manifest.json`` and the book ZIPs it names."""
    manifest_path = root / "manifest.json"
    try:
        manifest = read_manifest(manifest_path)
        shelf = shelf_from_manifest(manifest, root)
    except FileNotFoundError:
        raise BundleError(
            f"{manifest_path} does not exist: pass the output folder of a bookstack build "
            "(sphinx-build -b bookstack SOURCE OUTPUT)"
        ) from None
    except ManifestError as exc:
        raise BundleError(str(exc)) from None
    for book, spec in zip(shelf.books, manifest.get("books", []), strict=True):
        _load_zip(book, str(spec["zip"]))
    books = shelf.books
    keys = [(b.kind, b.key) for b in books]
    keys += [(c.kind, c.key) for b in books for c in b.chapters]
    keys += [(p.kind, p.key) for b in books for p in b.iter_pages()]
    duplicates = sorted(k for k, n in collections.Counter(keys).items() if n > 1)
    if duplicates:
        raise BundleError(f"the manifest repeats the keys {duplicates}")
    # A cross link names its target by key only; record the target's type.
    kinds = {key: kind for kind, key in keys}
    for book in books:
        for page in book.iter_pages():
            for link in page.cross_links:
                key = str(link.get("key") or "")
                # The root document's key is its docname: a link to it goes to the page
                # that holds its content when there is one (the first page of the first
                # book), else to the shelf, which shows its description.
                if key in ("", SHELF_KEY) or (key == shelf.docname and key not in kinds):
                    link["type"], link["key"] = "bookshelf", SHELF_KEY
                else:
                    link["type"] = kinds.get(key, "page")
    return Bundle(root=root, project=shelf.project, shelf=shelf, books=books)
