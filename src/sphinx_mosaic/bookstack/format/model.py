"""The BookStack output model: one typed tree of what a build gives BookStack.

::

    Shelf ── books: Book ── contents: Chapter | Page (reading order)
                              Chapter ── pages: Page
                                         Page ── images, attachments: Asset

Built once per build: a *source* (the numbered layout,
:mod:`~sphinx_mosaic.bookstack.mapping.layout`, or the toctree,
:mod:`~sphinx_mosaic.bookstack.mapping.toctree`) gives the skeleton (keys, names,
documents, order); :mod:`~sphinx_mosaic.bookstack.assemble` fills in ids,
priorities, tags and descriptions, and resolves each page's HTML, images and
attachments.  Every output is made from the finished tree: the ZIPs
(:mod:`~sphinx_mosaic.bookstack.output`), ``manifest.json``
(:mod:`~sphinx_mosaic.bookstack.format.manifest`), the browsable copy
(:mod:`~sphinx_mosaic.bookstack.browse`), and, read back from the manifest and
the ZIPs, the publisher's plan (:mod:`sphinx_mosaic.publish.bundle`).

No Sphinx import: the publisher uses these types without a build.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx_mosaic.bookstack.format.limits import IMAGE_NAME_LIMIT

Tag = dict[str, str]

#: The publisher's key of the shelf (books, chapters and pages use their path keys).
SHELF_KEY = "@shelf"


@dataclass(frozen=True)
class Asset:
    """An image or attachment file a page uses (one entry of a ZIP's ``files/``)."""

    kind: str  # "image" or "attachment"
    zip_id: int
    name: str
    #: File name inside the ZIP's ``files/`` (the extension matters to BookStack).
    ref: str
    data: bytes | None  # None for link attachments
    link: str | None = None

    @property
    def sha(self) -> str:
        payload = self.data if self.data is not None else (self.link or "").encode()
        return hashlib.sha256(payload).hexdigest()[:12]

    @property
    def server_name(self) -> str:
        """Images are named by content, so a run recognises the ones it uploaded before."""
        return f"{self.sha}-{self.name}"[:IMAGE_NAME_LIMIT] if self.kind == "image" else self.name


@dataclass
class Page:
    key: str
    docname: str
    source: str
    name: str
    #: An index page's content made the first page of its book or chapter.
    is_index: bool = False
    zip_id: int = 0
    priority: int = 0
    tags: list[Tag] = field(default_factory=list)
    hash: str = ""
    book_key: str = ""
    chapter_key: str | None = None
    #: BookStack HTML with ``[[bsexport:...]]`` references.
    html: str = ""
    markdown: str = ""
    images: list[Asset] = field(default_factory=list)
    attachments: list[Asset] = field(default_factory=list)
    #: Links into another book or to the shelf: ``href`` (the predicted URL), ``key``
    #: (the target's key, "" for the shelf), ``anchor``; the publisher adds ``type``.
    cross_links: list[dict[str, Any]] = field(default_factory=list)

    kind = "page"

    @property
    def label(self) -> str:
        return f"page {self.name!r} ({self.source or self.docname})"


@dataclass
class Chapter:
    key: str
    docname: str | None
    source: str | None
    name: str
    description_html: str = ""
    zip_id: int = 0
    priority: int = 0
    tags: list[Tag] = field(default_factory=list)
    hash: str = ""
    book_key: str = ""
    pages: list[Page] = field(default_factory=list)

    kind = "chapter"

    @property
    def label(self) -> str:
        return f"chapter {self.name!r} ({self.docname or self.key})"


@dataclass
class Book:
    key: str
    docname: str | None
    source: str | None
    name: str
    #: The ZIP's file name without ``.zip`` (``books/<file_stem>.zip``).
    file_stem: str
    description_html: str = ""
    priority: int = 0
    zip_id: int = 1
    tags: list[Tag] = field(default_factory=list)
    hash: str = ""
    #: Chapters and pages in reading order (an index first page comes first).
    contents: list[Chapter | Page] = field(default_factory=list)
    #: ``files/`` of the ZIP: file reference -> bytes.
    files: dict[str, bytes] = field(default_factory=dict)
    #: Where the ZIP is, set when it is written or read back.
    zip_path: Path = field(default_factory=Path)

    kind = "book"

    @property
    def chapters(self) -> list[Chapter]:
        return [entry for entry in self.contents if isinstance(entry, Chapter)]

    @property
    def pages(self) -> list[Page]:
        """Every page, in and out of chapters, in reading order."""
        return list(self.iter_pages())

    def iter_pages(self) -> Iterator[Page]:
        for entry in self.contents:
            if isinstance(entry, Chapter):
                yield from entry.pages
            else:
                yield entry

    @property
    def images(self) -> dict[int, Asset]:
        """Every image of the book by id."""
        return {i.zip_id: i for page in self.iter_pages() for i in page.images}

    @property
    def attachments(self) -> dict[int, Asset]:
        return {a.zip_id: a for page in self.iter_pages() for a in page.attachments}

    @property
    def zip_keys(self) -> dict[str, dict[int, str]]:
        """zip id -> key, per reference type, to resolve ``[[bsexport:<type>:<id>]]``."""
        return {
            "book": {self.zip_id: self.key},
            "chapter": {chapter.zip_id: chapter.key for chapter in self.chapters},
            "page": {page.zip_id: page.key for page in self.iter_pages()},
        }

    @property
    def label(self) -> str:
        return f"book {self.name!r} ({self.docname or self.key})"


@dataclass
class Shelf:
    name: str
    docname: str | None
    description_html: str = ""
    project: str = ""
    hash: str = ""
    books: list[Book] = field(default_factory=list)
    #: Which source made the books: "layout" or "toctree".
    source: str = "layout"

    key = SHELF_KEY
    kind = "bookshelf"

    @property
    def label(self) -> str:
        return f"shelf {self.name!r}"

    def pages(self) -> list[Page]:
        return [page for book in self.books for page in book.iter_pages()]

    def chapters(self) -> list[Chapter]:
        return [chapter for book in self.books for chapter in book.chapters]

    def container_docnames(self) -> set[str]:
        """The documents of the shelf, its books and its chapters (their index pages)."""
        found = {self.docname} if self.docname else set()
        for book in self.books:
            if book.docname:
                found.add(book.docname)
            found |= {c.docname for c in book.chapters if c.docname}
        return found

    def docnames(self) -> set[str]:
        """Every document the BookStack output is made from."""
        return self.container_docnames() | {page.docname for page in self.pages()}
