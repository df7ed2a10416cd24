"""Books from fragments: ids, priorities, resolved links, images and attachments.

Runs in the main process when the builder finishes.  Ids are positive and
unique per type inside each ZIP, given in reading order; priorities are
0..n-1 among the chapters and pages of a book, and among the pages of a
chapter.  The same fragments and layout always give the same books.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from sphinx_mosaic.bookstack.fragments import Fragment
from sphinx_mosaic.bookstack.images import ACCEPTED, SvgConverter, file_reference, is_svg, sniff
from sphinx_mosaic.bookstack.links import Target
from sphinx_mosaic.bookstack.metadata import check_key
from sphinx_mosaic.bookstack.structure import BookPlan, ChapterPlan, PagePlan, ShelfPlan
from sphinx_mosaic.warnings import MosaicWarning, warn

NAME_LIMIT = 255
IMAGE_NAME_LIMIT = 180

Tags = list[dict[str, str]]


@dataclass
class PageOut:
    plan: PagePlan
    zip_id: int
    priority: int
    name: str
    tags: Tags
    #: Body with [[mosaic:...]] tokens, resolved per output by resolve_page().
    fragment: Fragment
    html: str = ""
    images: list[int] = field(default_factory=list)
    attachments: list[int] = field(default_factory=list)
    cross_links: list[dict[str, Any]] = field(default_factory=list)
    hash: str = ""
    json: dict[str, Any] = field(default_factory=dict)


@dataclass
class ChapterOut:
    plan: ChapterPlan
    zip_id: int
    priority: int
    name: str
    description_html: str
    tags: Tags
    pages: list[PageOut] = field(default_factory=list)


@dataclass
class BookOut:
    plan: BookPlan
    name: str
    description_html: str
    tags: Tags
    contents: list[ChapterOut | PageOut] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)

    def pages(self) -> list[PageOut]:
        result: list[PageOut] = []
        for entry in self.contents:
            result.extend(entry.pages if isinstance(entry, ChapterOut) else [entry])
        return result


#: How to fix a name over the limit, by what it names.
_SHORTER = {
    "image": "rename the image file",
    "attachment": "rename the file",
    "shelf": "give the root page a shorter title",
    "book": "give the book's index page a shorter title",
    "chapter": "give the chapter's index page a shorter title",
}


def limited(name: str, what: str, location: str | None, limit: int = NAME_LIMIT) -> str:
    name = " ".join(name.split()) or "Untitled"
    if len(name) > limit:
        warn(
            MosaicWarning.BOOKSTACK_LIMIT,
            f"{what} name is {len(name)} characters long; BookStack allows {limit}, so it is "
            f"shortened ({_SHORTER.get(what, 'give the page a shorter title')})",
            location=location,
        )
        name = name[: limit - 1] + "…"
    return name


class Assembler:
    """Turns the shelf plan and the page fragments into books."""

    def __init__(
        self,
        shelf: ShelfPlan,
        fragments: dict[str, Fragment],
        srcdir: Path,
        converter: SvgConverter,
        tags_for: Callable[[str, str], Tags],
    ) -> None:
        self.shelf = shelf
        self.fragments = fragments
        self.srcdir = srcdir
        self.converter = converter
        self.tags_for = tags_for
        self.targets: dict[str, Target] = {}
        self._files: dict[str, tuple[str, bytes] | None] = {}
        self._warned: set[tuple[str, str]] = set()

    # -- structure ------------------------------------------------------------

    def description(self, docname: str | None) -> str:
        fragment = self.fragments.get(docname) if docname else None
        return fragment.description_html if fragment else ""

    def _page(self, plan: PagePlan, zip_id: int, priority: int, book: BookPlan) -> PageOut:
        fragment = self.fragments.get(plan.docname) or Fragment(docname=plan.docname)
        name = limited(plan.name, "page", plan.docname)
        check_key(plan.key, plan.docname)
        return PageOut(
            plan, zip_id, priority, name, self.tags_for(plan.docname, plan.source), fragment
        )

    def _has_page(self, plan: PagePlan) -> bool:
        fragment = self.fragments.get(plan.docname)
        return not plan.is_index or (fragment is not None and fragment.has_body)

    def structure(self) -> list[BookOut]:
        books: list[BookOut] = []
        for plan in self.shelf.books:
            check_key(plan.key, plan.docname)
            book = BookOut(
                plan,
                limited(plan.name, "book", plan.docname),
                self.description(plan.docname),
                self.tags_for(plan.docname, plan.source) if plan.docname and plan.source else [],
            )
            page_id = chapter_id = 0
            for priority, entry in enumerate(
                e for e in plan.contents if isinstance(e, ChapterPlan) or self._has_page(e)
            ):
                if isinstance(entry, PagePlan):
                    page_id += 1
                    book.contents.append(self._page(entry, page_id, priority, plan))
                    continue
                chapter_id += 1
                check_key(entry.key, entry.docname)
                chapter = ChapterOut(
                    entry,
                    chapter_id,
                    priority,
                    limited(entry.name, "chapter", entry.docname),
                    self.description(entry.docname),
                    self.tags_for(entry.docname, entry.source)
                    if entry.docname and entry.source
                    else [],
                )
                for inner, page in enumerate(p for p in entry.pages if self._has_page(p)):
                    page_id += 1
                    chapter.pages.append(self._page(page, page_id, inner, plan))
                book.contents.append(chapter)
            self._register(book)
            books.append(book)
        return books

    def _register(self, book: BookOut) -> None:
        plan = book.plan
        for page in book.pages():
            self.targets[page.plan.docname] = Target(plan, page.plan.key, page.zip_id, page.name)
        if plan.docname:
            target = self.targets.setdefault(plan.docname, Target(plan, plan.key))
            target.container, target.container_name = ("book", 1), book.name
            target.key = plan.key
        for entry in book.contents:
            if isinstance(entry, ChapterOut) and entry.plan.docname:
                target = self.targets.setdefault(entry.plan.docname, Target(plan, entry.plan.key))
                target.container, target.container_name = ("chapter", entry.zip_id), entry.name
                target.key = entry.plan.key

    # -- files ----------------------------------------------------------------

    def load(self, source: str, location: str) -> tuple[str, bytes] | None:
        """(MIME type or "", bytes) of a source file, or None when unreadable."""
        if source not in self._files:
            try:
                data = (self.srcdir / source).read_bytes()
            except OSError as error:
                warn(MosaicWarning.BOOKSTACK, f"cannot read {source!r}: {error}", location=location)
                self._files[source] = None
            else:
                self._files[source] = (sniff(data) or "", data)
        return self._files[source]

    def image(self, source: str, location: str) -> tuple[str, bytes] | None:
        """(file reference, bytes) of an image BookStack accepts, converting SVG."""
        loaded = self.load(source, location)
        if loaded is None:
            return None
        mime, data = loaded
        name = PurePosixPath(source).name
        if mime in ACCEPTED:
            return file_reference(name, data, ACCEPTED[mime]), data
        png = self.converter.convert(data) if is_svg(source, data) else None
        if png is not None:
            return file_reference(name, png, "png"), png
        if (source, location) not in self._warned:
            self._warned.add((source, location))
            reason = (
                "no SVG converter worked (install librsvg's rsvg-convert)"
                if is_svg(source, data)
                else "BookStack takes PNG, JPEG, GIF and WebP only"
            )
            warn(
                MosaicWarning.BOOKSTACK,
                f"image {source!r} is attached to the page instead of shown: {reason}",
                location=location,
            )
        return None

    def attachment(self, source: str, location: str) -> tuple[str, str, bytes] | None:
        loaded = self.load(source, location)
        if loaded is None:
            return None
        data = loaded[1]
        name = PurePosixPath(source).name
        suffix = PurePosixPath(source).suffix.lstrip(".")
        extension = suffix if suffix.isalnum() and len(suffix) <= 10 else "bin"
        return limited(name, "attachment", location), file_reference(name, data, extension), data


def content_hash(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def tags_json(tags: Tags) -> str:
    return json.dumps(tags, sort_keys=True, ensure_ascii=False)
