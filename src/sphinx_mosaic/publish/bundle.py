"""The builder's output as the publisher sees it: ``manifest.json`` plus one ZIP per book.

The contract is ``helper-manifest.md``: the manifest gives every entity a stable
``key`` (number-free name) and a content ``hash``; each book's ZIP holds the
page HTML with ``[[bsexport:...]]`` tokens and the image and attachment files.
This module only reads; nothing here talks to a server.
"""

from __future__ import annotations

import collections
import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx_mosaic.publish.errors import PublishError

MANIFEST_FORMAT = "sphinx-mosaic-bookstack/1"
SHELF_KEY = "@shelf"

Tag = dict[str, str]


class BundleError(PublishError):
    """The output folder is not a complete bookstack build."""


@dataclass(frozen=True)
class Asset:
    """An image or attachment file a page uses."""

    kind: str  # "image" or "attachment"
    zip_id: int
    name: str
    ref: str  # file name inside the ZIP's files/ (the extension matters to BookStack)
    data: bytes | None  # None for link attachments
    link: str | None = None

    @property
    def sha(self) -> str:
        payload = self.data if self.data is not None else (self.link or "").encode()
        return hashlib.sha256(payload).hexdigest()[:12]

    @property
    def server_name(self) -> str:
        """Images are named by content, so a run recognises the ones it uploaded before."""
        return f"{self.sha}-{self.name}"[:180] if self.kind == "image" else self.name


@dataclass
class Page:
    key: str
    docname: str
    source: str
    name: str
    priority: int
    tags: list[Tag]
    hash: str
    zip_id: int
    book_key: str
    chapter_key: str | None
    html: str
    markdown: str
    images: list[Asset] = field(default_factory=list)
    attachments: list[Asset] = field(default_factory=list)
    cross_links: list[dict[str, Any]] = field(default_factory=list)

    kind = "page"

    @property
    def label(self) -> str:
        return f"page {self.name!r} ({self.source or self.docname})"


@dataclass
class Chapter:
    key: str
    docname: str | None
    name: str
    description_html: str
    priority: int
    tags: list[Tag]
    hash: str
    zip_id: int
    book_key: str
    pages: list[Page] = field(default_factory=list)

    kind = "chapter"

    @property
    def label(self) -> str:
        return f"chapter {self.name!r} ({self.docname or self.key})"


@dataclass
class Book:
    key: str
    docname: str | None
    name: str
    description_html: str
    priority: int
    tags: list[Tag]
    hash: str
    zip_path: Path
    zip_id: int
    chapters: list[Chapter] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)  # every page, in and out of chapters
    #: zip id -> key, per token type, to resolve ``[[bsexport:<type>:<id>]]``.
    zip_keys: dict[str, dict[int, str]] = field(default_factory=dict)

    kind = "book"

    @property
    def label(self) -> str:
        return f"book {self.name!r} ({self.docname or self.key})"


@dataclass
class Shelf:
    name: str
    description_html: str
    docname: str
    hash: str
    key: str = SHELF_KEY
    kind = "bookshelf"

    @property
    def label(self) -> str:
        return f"shelf {self.name!r}"


@dataclass
class Bundle:
    """Everything one publish run wants the server to hold."""

    root: Path
    project: str
    shelf: Shelf
    books: list[Book]

    def pages(self) -> list[Page]:
        return [page for book in self.books for page in book.pages]

    def chapters(self) -> list[Chapter]:
        return [chapter for book in self.books for chapter in book.chapters]


def _hash(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


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
                kind, int(item["id"]), str(item["name"]), str(ref or ""), data, item.get("link")
            )
    return found


def _page(
    spec: dict[str, Any],
    zpages: dict[int, dict[str, Any]],
    images: dict[int, Asset],
    attachments: dict[int, Asset],
    book_key: str,
    chapter_key: str | None,
    label: str,
) -> Page:
    zpage = zpages.get(int(spec["zip_id"]))
    if zpage is None:
        raise BundleError(f"{label}: page {spec['key']} (id {spec['zip_id']}) is not in the ZIP")
    try:
        used_images = [images[int(i)] for i in spec.get("images", [])]
        used_attachments = [attachments[int(i)] for i in spec.get("attachments", [])]
    except KeyError as exc:
        raise BundleError(f"{label}: page {spec['key']} uses unknown file id {exc}") from None
    return Page(
        key=spec["key"],
        docname=spec.get("docname") or "",
        source=spec.get("source") or "",
        name=spec["name"],
        priority=int(spec.get("priority", 0)),
        tags=list(spec.get("tags") or []),
        hash=spec["hash"],
        zip_id=int(spec["zip_id"]),
        book_key=book_key,
        chapter_key=chapter_key,
        html=zpage.get("html") or "",
        markdown=zpage.get("markdown") or "",
        images=used_images,
        attachments=used_attachments,
        cross_links=list(spec.get("cross_links") or []),
    )


def _book(root: Path, spec: dict[str, Any]) -> Book:
    zip_path = root / spec["zip"]
    label = f"book {spec.get('key')} ({spec['zip']})"
    try:
        with zipfile.ZipFile(zip_path) as archive:
            data = json.loads(archive.read("data.json"))
            zbook = data["book"]
            zpages_list = _walk_zip_pages(zbook)
            images = _assets(archive, zpages_list, "image", label)
            attachments = _assets(archive, zpages_list, "attachment", label)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise BundleError(f"{label}: cannot read the ZIP: {exc}") from None
    zpages = {int(p["id"]): p for p in zpages_list}
    book = Book(
        key=spec["key"],
        docname=spec.get("docname"),
        name=spec["name"],
        description_html=spec.get("description_html") or "",
        priority=int(spec.get("priority", 0)),
        tags=list(spec.get("tags") or []),
        hash=spec["hash"],
        zip_path=zip_path,
        zip_id=int(spec.get("zip_id", zbook.get("id") or 0)),
    )
    book.zip_keys = {"book": {book.zip_id: book.key}, "chapter": {}, "page": {}}
    for item in spec.get("contents", []):
        if item.get("type") == "chapter":
            chapter = Chapter(
                key=item["key"],
                docname=item.get("docname"),
                name=item["name"],
                description_html=item.get("description_html") or "",
                priority=int(item.get("priority", 0)),
                tags=list(item.get("tags") or []),
                hash=item["hash"],
                zip_id=int(item["zip_id"]),
                book_key=book.key,
            )
            book.zip_keys["chapter"][chapter.zip_id] = chapter.key
            for page_spec in item.get("pages", []):
                page = _page(page_spec, zpages, images, attachments, book.key, chapter.key, label)
                chapter.pages.append(page)
                book.pages.append(page)
            book.chapters.append(chapter)
        else:
            book.pages.append(_page(item, zpages, images, attachments, book.key, None, label))
    for page in book.pages:
        book.zip_keys["page"][page.zip_id] = page.key
    return book


def load_bundle(root: Path) -> Bundle:
    """Read ``root/manifest.json`` and the book ZIPs it names."""
    manifest_path = root / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BundleError(
            f"{manifest_path} does not exist: pass the output folder of a bookstack build "
            "(sphinx-build -b bookstack SOURCE OUTPUT)"
        ) from None
    except ValueError as exc:
        raise BundleError(f"{manifest_path} is not valid JSON: {exc}") from None
    if manifest.get("format") != MANIFEST_FORMAT:
        raise BundleError(
            f"{manifest_path} has format {manifest.get('format')!r}; this publisher reads "
            f"{MANIFEST_FORMAT!r}: rebuild with the same sphinx-mosaic version"
        )
    shelf_spec = manifest["shelf"]
    shelf = Shelf(
        name=shelf_spec["name"],
        description_html=shelf_spec.get("description_html") or "",
        docname=shelf_spec.get("docname") or "",
        hash=_hash(shelf_spec["name"], shelf_spec.get("description_html") or ""),
    )
    books = [_book(root, spec) for spec in manifest.get("books", [])]
    keys = [(b.kind, b.key) for b in books]
    keys += [(c.kind, c.key) for b in books for c in b.chapters]
    keys += [(p.kind, p.key) for b in books for p in b.pages]
    duplicates = sorted(k for k, n in collections.Counter(keys).items() if n > 1)
    if duplicates:
        raise BundleError(f"the manifest repeats the keys {duplicates}")
    # A cross link names its target by key only; record the target's type.
    kinds = {key: kind for kind, key in keys}
    for book in books:
        for page in book.pages:
            for link in page.cross_links:
                key = str(link.get("key") or "")
                if key in ("", shelf.docname, SHELF_KEY):
                    link["type"], link["key"] = "bookshelf", SHELF_KEY
                else:
                    link["type"] = kinds.get(key, "page")
    return Bundle(root=root, project=str(manifest["project"]), shelf=shelf, books=books)
