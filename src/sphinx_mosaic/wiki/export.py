"""BookStack's portable ZIP export, read into books, chapters and pages.

The format (BookStack v24.12+, exported through the API from v25.07): a ZIP
holding ``data.json`` and ``files/<reference>``.  ``data.json`` holds one of
``book``, ``chapter`` or ``page`` (checked in that order, as BookStack's own
importer does); a book holds ``chapters`` and ``pages`` (the pages directly in
the book), each with a ``priority`` giving their order.  Pages carry ``html``
(or ``markdown``), ``tags``, ``images`` and ``attachments``; files are named by
reference.  The format has no version field and no shelf.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ExportError(Exception):
    """A ZIP that is not a BookStack export; the message says why."""


@dataclass
class WikiFile:
    id: int
    name: str
    data: bytes | None
    #: the file reference's extension (``.png``): what the bytes are.
    suffix: str
    link: str = ""


@dataclass
class WikiPage:
    id: int
    name: str
    html: str
    markdown: str
    priority: int
    tags: list[tuple[str, str]]
    images: list[WikiFile] = field(default_factory=list)
    attachments: list[WikiFile] = field(default_factory=list)


@dataclass
class WikiChapter:
    id: int
    name: str
    description_html: str
    priority: int
    tags: list[tuple[str, str]]
    pages: list[WikiPage] = field(default_factory=list)


@dataclass
class WikiBook:
    id: int
    name: str
    description_html: str
    tags: list[tuple[str, str]]
    #: chapters and book-level pages, merged in BookStack's order.
    contents: list[WikiChapter | WikiPage] = field(default_factory=list)
    source: str = ""


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _tags(raw: Any) -> list[tuple[str, str]]:
    out = []
    for tag in raw or []:
        if isinstance(tag, dict) and str(tag.get("name") or "").strip():
            out.append((str(tag["name"]).strip(), str(tag.get("value") or "").strip()))
    return out


def _ordered(items: list[Any]) -> list[Any]:
    """BookStack's order: by priority (none counts as 0), chapters before pages on a tie,
    else the order in the file."""
    return sorted(items, key=lambda x: (x.priority, 0 if isinstance(x, WikiChapter) else 1))


class _Reader:
    def __init__(self, archive: zipfile.ZipFile, source: str) -> None:
        self.archive = archive
        self.source = source
        self.names = set(archive.namelist())

    def file(self, ref: Any) -> bytes | None:
        name = f"files/{ref}"
        if not ref or name not in self.names:
            return None
        return self.archive.read(name)

    def files(self, raw: Any) -> list[WikiFile]:
        out = []
        for n, item in enumerate(raw or []):
            if not isinstance(item, dict):
                continue
            ref = str(item.get("file") or "")
            suffix = Path(ref).suffix.lower() if ref else ""
            out.append(
                WikiFile(
                    id=_int(item.get("id"), -(n + 1)),
                    name=str(item.get("name") or ref or f"file-{n + 1}"),
                    data=self.file(ref),
                    suffix=suffix,
                    link=str(item.get("link") or ""),
                )
            )
        return out

    def page(self, raw: dict[str, Any], n: int) -> WikiPage:
        return WikiPage(
            id=_int(raw.get("id"), -(n + 1)),
            name=str(raw.get("name") or f"Page {n + 1}"),
            html=str(raw.get("html") or ""),
            markdown=str(raw.get("markdown") or ""),
            priority=_int(raw.get("priority")),
            tags=_tags(raw.get("tags")),
            images=self.files(raw.get("images")),
            attachments=self.files(raw.get("attachments")),
        )

    def chapter(self, raw: dict[str, Any], n: int) -> WikiChapter:
        pages = [
            self.page(p, i) for i, p in enumerate(raw.get("pages") or []) if isinstance(p, dict)
        ]
        return WikiChapter(
            id=_int(raw.get("id"), -(n + 1)),
            name=str(raw.get("name") or f"Chapter {n + 1}"),
            description_html=str(raw.get("description_html") or ""),
            priority=_int(raw.get("priority")),
            tags=_tags(raw.get("tags")),
            pages=_ordered(pages),
        )

    def book(self, data: dict[str, Any]) -> WikiBook:
        if isinstance(data.get("book"), dict):
            raw = data["book"]
            chapters = [
                self.chapter(c, i)
                for i, c in enumerate(raw.get("chapters") or [])
                if isinstance(c, dict)
            ]
            pages = [
                self.page(p, i) for i, p in enumerate(raw.get("pages") or []) if isinstance(p, dict)
            ]
            return WikiBook(
                id=_int(raw.get("id"), 1),
                name=str(raw.get("name") or Path(self.source).stem),
                description_html=str(raw.get("description_html") or ""),
                tags=_tags(raw.get("tags")),
                contents=_ordered([*chapters, *pages]),
                source=self.source,
            )
        # A chapter or a page exported alone: a book holding it.
        if isinstance(data.get("chapter"), dict):
            chapter = self.chapter(data["chapter"], 0)
            return WikiBook(0, chapter.name, "", [], [chapter], self.source)
        if isinstance(data.get("page"), dict):
            page = self.page(data["page"], 0)
            return WikiBook(0, page.name, "", [], [page], self.source)
        raise ExportError(f"{self.source}: data.json holds no book, chapter or page")


def read_export(path: Path | str, data: bytes | None = None) -> WikiBook:
    """The book in BookStack ZIP export *path* (or in *data*, the ZIP's bytes, named *path*)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data) if data is not None else path) as archive:
            try:
                data = json.loads(archive.read("data.json"))
            except KeyError:
                raise ExportError(f"{path}: no data.json: not a BookStack ZIP export") from None
            except ValueError as exc:
                raise ExportError(f"{path}: data.json is not JSON ({exc})") from None
            if not isinstance(data, dict):
                raise ExportError(f"{path}: data.json is not an object")
            return _Reader(archive, str(path)).book(data)
    except zipfile.BadZipFile as exc:
        raise ExportError(f"{path}: not a ZIP file ({exc})") from None
    except OSError as exc:
        raise ExportError(f"{path}: cannot be read ({exc.strerror or exc})") from None
