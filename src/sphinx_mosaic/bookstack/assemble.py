"""The model's skeleton filled in from the fragments: finished books, with links resolved.

Runs in the main process when the builder finishes.  :class:`Assembler` gives
ids, priorities, names within BookStack's limits, tags and hashes: ids are
positive and unique per type inside each ZIP, given in reading order;
priorities are 0..n-1 among the chapters and pages of a book, and among the
pages of a chapter.  :func:`build_book` then resolves each page's tokens:

* links inside the book: ``[[bsexport:page:N]]#bkmrk-...`` (or the book or
  chapter reference for an index page);
* links into another book: the URL BookStack will most likely give the target
  (``/books/{book}/page/{page}``, with slugs as BookStack makes them), listed
  in the page's ``cross_links`` so the publisher can rewrite it to the real URL
  once the target exists (BookStack resolves ``[[bsexport:...]]`` only inside
  the ZIP being imported);
* images: ``[[bsexport:image:N]]``, listed in the ``images`` of the page that
  shows them.  An image shown on several pages is one file in the ZIP and one
  image entry per page: BookStack makes an image per entry, uploaded to its page,
  so no page shows an image that belongs to another page (which a later publish
  may delete or move to another book).  A file that is not an image becomes an
  attachment, and a broken image (:class:`~.assets.Refused`) is left out, its alt
  text kept in its place;
* downloads: ``[[bsexport:attachment:N]]``, one attachment per page using it.

The same fragments and skeleton always give the same books.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import PurePosixPath

from sphinx_mosaic.bookstack.assets import Assets, Location, Refused
from sphinx_mosaic.bookstack.format.limits import IMAGE_NAME_LIMIT, NAME_LIMIT
from sphinx_mosaic.bookstack.format.manifest import (
    container_hash,
    content_hash,
    reference,
    tags_json,
)
from sphinx_mosaic.bookstack.format.model import Asset, Book, Chapter, Page, Shelf
from sphinx_mosaic.bookstack.format.urls import bookstack_slug, entity_url, search_url
from sphinx_mosaic.bookstack.mapping import Tags, check_key
from sphinx_mosaic.bookstack.translate.fragment import TOKEN, Fragment
from sphinx_mosaic.bookstack.translate.ids import PREFIX
from sphinx_mosaic.warnings import MosaicWarning, warn

_IMG_TAG = re.compile(r"<img [^>]*?src=\"\[\[mosaic:image:(\d+)\]\]\"[^>]*>")
#: The (HTML-escaped) alt text of an ``<img>`` tag.
_ALT = re.compile(r"\salt=\"([^\"]*)\"")


#: How to fix a name over the limit, by what it names.
_SHORTER = {
    "image": "rename the image file",
    "attachment": "rename the file",
    "shelf": "give the root page a shorter title",
    "book": "give the book's index page a shorter title",
    "chapter": "give the chapter's index page a shorter title",
}


def limited(name: str, what: str, location: Location | None, limit: int = NAME_LIMIT) -> str:
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


@dataclass
class Target:
    """What a docname stands for in the BookStack output."""

    book: Book
    key: str
    #: The page made from this document (None for an index without body).
    page_id: int | None = None
    page_name: str = ""
    #: ("book", id) or ("chapter", id) when the document is an index page.
    container: tuple[str, int] | None = None
    container_name: str = ""
    #: The key of the page made from this document ("" when none): an index document's
    #: ``key`` is its book's or chapter's.
    page_key: str = ""

    def goes_to_page(self, anchor: str) -> bool:
        """Whether a link (with *anchor*, or none) lands on the page, not the container.

        An index document with a body is both its book or chapter and a page: a link to
        it goes to the container, but a link to an anchor goes to the page that holds the
        element (a book's or chapter's description keeps no ids).
        """
        return self.page_id is not None and (self.container is None or bool(anchor))

    def link_key(self, anchor: str) -> str:
        """The key of the entity a link with *anchor* lands on, for ``cross_links``."""
        return (self.page_key or self.key) if self.goes_to_page(anchor) else self.key

    def zip_reference(self, anchor: str) -> str:
        if not self.goes_to_page(anchor):
            assert self.container is not None
            kind, ident = self.container
            return reference(kind, ident)
        # A target without a page is always a book or chapter (see the assembler).
        assert self.page_id is not None
        return reference("page", self.page_id) + (f"#{anchor}" if anchor else "")

    def predicted_url(self, anchor: str) -> str:
        book = entity_url("books", self.book.name)
        if book.startswith("/search"):
            return self._search(self.page_name or self.container_name or self.book.name, anchor)
        if not self.goes_to_page(anchor):
            assert self.container is not None
            if self.container[0] == "book":
                return book
            chapter = bookstack_slug(self.container_name)
            return (
                f"{book}/chapter/{chapter}"
                if chapter
                else entity_url("chapters", self.container_name)
            )
        page = bookstack_slug(self.page_name)
        if not page:
            return self._search(self.page_name, anchor)
        return f"{book}/page/{page}" + (f"#{anchor}" if anchor else "")

    def _search(self, name: str, anchor: str) -> str:
        """A search for *name*, with the anchor a link to the page's element keeps (the
        search ignores it; the publisher and the browsable copy follow it)."""
        return search_url(name) + (f"#{anchor}" if anchor and self.goes_to_page(anchor) else "")


class Assembler:
    """Fills in the skeleton shelf from the page fragments."""

    def __init__(
        self,
        shelf: Shelf,
        fragments: dict[str, Fragment],
        assets: Assets,
        tags_for: Callable[[str, str], Tags],
    ) -> None:
        self.shelf = shelf
        self.fragments = fragments
        self.assets = assets
        self.tags_for = tags_for
        self.targets: dict[str, Target] = {}
        #: (page, target) of links: each warned about once.
        self.warned: set[tuple[str, str]] = set()

    # -- structure ------------------------------------------------------------

    def description(self, docname: str | None) -> str:
        fragment = self.fragments.get(docname) if docname else None
        return fragment.description_html if fragment else ""

    def fragment(self, docname: str) -> Fragment:
        return self.fragments.get(docname) or Fragment(docname=docname)

    def _tags(self, docname: str | None, source: str | None) -> Tags:
        return self.tags_for(docname, source) if docname and source else []

    def _page(
        self, page: Page, zip_id: int, priority: int, book: Book, chapter: str | None
    ) -> Page:
        page.name = limited(page.name, "page", page.docname)
        check_key(page.key, page.docname)
        page.zip_id, page.priority = zip_id, priority
        page.tags = self.tags_for(page.docname, page.source)
        page.book_key, page.chapter_key = book.key, chapter
        return page

    def _has_page(self, page: Page) -> bool:
        fragment = self.fragments.get(page.docname)
        return not page.is_index or (fragment is not None and fragment.has_body)

    def structure(self) -> list[Book]:
        """Fill in every book of the shelf (in place) and return them."""
        self.shelf.name = limited(self.shelf.name, "shelf", self.shelf.docname)
        self.shelf.description_html = self.description(self.shelf.docname)
        for number, book in enumerate(self.shelf.books):
            check_key(book.key, book.docname)
            book.name = limited(book.name, "book", book.docname)
            book.description_html = self.description(book.docname)
            book.tags = self._tags(book.docname, book.source)
            book.priority = number
            book.hash = container_hash(book.name, book.description_html, book.tags)
            page_id = chapter_id = 0
            contents: list[Chapter | Page] = []
            wanted = [e for e in book.contents if isinstance(e, Chapter) or self._has_page(e)]
            for priority, entry in enumerate(wanted):
                if isinstance(entry, Page):
                    page_id += 1
                    contents.append(self._page(entry, page_id, priority, book, None))
                    continue
                chapter_id += 1
                check_key(entry.key, entry.docname)
                entry.zip_id, entry.priority, entry.book_key = chapter_id, priority, book.key
                entry.name = limited(entry.name, "chapter", entry.docname)
                entry.description_html = self.description(entry.docname)
                entry.tags = self._tags(entry.docname, entry.source)
                entry.hash = container_hash(entry.name, entry.description_html, entry.tags)
                pages: list[Page] = []
                for inner, page in enumerate([p for p in entry.pages if self._has_page(p)]):
                    page_id += 1
                    pages.append(self._page(page, page_id, inner, book, entry.key))
                entry.pages = pages
                contents.append(entry)
            book.contents = contents
            self._register(book)
        return self.shelf.books

    def _register(self, book: Book) -> None:
        for page in book.iter_pages():
            self.targets[page.docname] = Target(
                book, page.key, page.zip_id, page.name, page_key=page.key
            )
        if book.docname:
            target = self.targets.setdefault(book.docname, Target(book, book.key))
            target.container, target.container_name = ("book", 1), book.name
            target.key = book.key
        for chapter in book.chapters:
            if chapter.docname:
                target = self.targets.setdefault(chapter.docname, Target(book, chapter.key))
                target.container, target.container_name = ("chapter", chapter.zip_id), chapter.name
                target.key = chapter.key

    # -- files ----------------------------------------------------------------

    def attachment(self, source: str, location: Location) -> tuple[str, str, bytes] | None:
        """(name within the limit, file reference, bytes) of a file attached to a page."""
        loaded = self.assets.attachment(source, location)
        if loaded is None:
            return None
        return limited(PurePosixPath(source).name, "attachment", location), *loaded


@dataclass
class ZipContext:
    """What resolving one book's pages learnt besides the model."""

    #: (page key, file reference) -> image: a file used twice on a page is one image,
    #: a file used on two pages one image of each page (one file in the ZIP).
    images: dict[tuple[str, str], Asset] = field(default_factory=dict)
    next_attachment: int = 0
    #: Predicted cross-book URL -> (target docname, anchor), for the browsable copy.
    cross: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: Search URL (without its anchor) -> the docname it stands for in this book.
    searches: dict[str, str] = field(default_factory=dict)

    def distinct(self, url: str, docname: str) -> str:
        """*url*, made distinct from the search URLs of other targets in this book.

        A target whose name gives no slug (Chinese, Japanese, Korean, Hebrew) is linked
        as a search for its name, and two such targets can share a name (every book's
        "介绍").  The publisher and the browsable copy tell links apart by their URL, so
        the second target's search gets ``&n=2`` (BookStack's search reads ``term`` and
        ignores the rest), the third ``&n=3``.  Other URLs hold the book's and page's
        slugs and are returned as they are.
        """
        if not url.startswith("/search?"):
            return url
        base, hash_mark, anchor = url.partition("#")
        candidate, number = base, 1
        while self.searches.setdefault(candidate, docname) != docname:
            number += 1
            candidate = f"{base}&n={number}"
        return candidate + hash_mark + anchor


def build_book(asm: Assembler, book: Book) -> ZipContext:
    """Resolve every page of *book*: its HTML, images, attachments, cross links, hash."""
    context = ZipContext()
    for page in book.iter_pages():
        _resolve_page(asm, book, page, context)
    return context


def _resolve_page(asm: Assembler, book: Book, page: Page, context: ZipContext) -> None:
    fragment = asm.fragment(page.docname)
    location = page.docname
    file_hashes: list[str] = []
    image_src: dict[int, str] = {}
    image_as_attachment: dict[int, tuple[int, str]] = {}
    page.images, page.attachments, page.cross_links = [], [], []

    def attach(name: str, ref: str, data: bytes) -> int:
        context.next_attachment += 1
        ident = context.next_attachment
        book.files[ref] = data
        page.attachments.append(Asset("attachment", ident, name, ref, data))
        file_hashes.append(hashlib.sha256(data).hexdigest())
        return ident

    for index, source in enumerate(fragment.images):
        got = asm.assets.image(source, fragment.image_location(index))
        if isinstance(got, Refused):
            # A broken image is left out (its <img> becomes its alt text below); another
            # kind of file is attached and linked in its place.
            loaded = None if got.broken else asm.attachment(source, location)
            if loaded is not None:
                image_as_attachment[index] = (attach(*loaded), loaded[0])
            continue
        ref, data = got
        if (page.key, ref) not in context.images:
            name = limited(PurePosixPath(source).name, "image", location, IMAGE_NAME_LIMIT)
            context.images[page.key, ref] = Asset("image", len(context.images) + 1, name, ref, data)
            book.files[ref] = data
        image = context.images[page.key, ref]
        if all(used.zip_id != image.zip_id for used in page.images):
            page.images.append(image)
            file_hashes.append(hashlib.sha256(data).hexdigest())
        image_src[index] = reference("image", image.zip_id)

    attachment_href: dict[int, str] = {}
    for index, source in enumerate(fragment.attachments):
        loaded = asm.attachment(source, location)
        if loaded is not None:
            attachment_href[index] = reference("attachment", attach(*loaded))

    def replace_image_tag(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index in image_src:
            return match.group(0)
        if index in image_as_attachment:
            ident, name = image_as_attachment[index]
            return f'<a href="{reference("attachment", ident)}">{escape(name)}</a>'
        # Not shown and not attached: the alt text (or the file's name) stays on the page.
        alt = _ALT.search(match.group(0))
        if alt and alt.group(1).strip():
            return alt.group(1)
        return escape(PurePosixPath(fragment.images[index]).name)

    def replace_token(match: re.Match[str]) -> str:
        kind, index = match.group(1), int(match.group(2))
        if kind == "image":
            return image_src.get(index, "")
        if kind == "attachment":
            return attachment_href.get(index, "#")
        # In an href: a second search of one name carries ``&n=2`` (written ``&amp;``).
        return escape(_link(asm, book, page, context, *fragment.links[index]))

    html = _IMG_TAG.sub(replace_image_tag, fragment.html)
    page.html = _UNLINK.sub(r"\1", TOKEN.sub(replace_token, html)).replace(_NO_TARGET, "")
    page.hash = content_hash(page.html, page.name, tags_json(page.tags), *file_hashes)


#: What a link to a document outside the books gets as its address, for :data:`_UNLINK`.
_NO_TARGET = "[[mosaic:no-target]]"
#: An ``<a>`` whose target is not in the BookStack output: only its content is kept.
_UNLINK = re.compile(
    r"<a\b[^>]*\shref=\"" + re.escape(_NO_TARGET) + r"[^\"]*\"[^>]*>(.*?)</a>", re.DOTALL
)


def _link(
    asm: Assembler, book: Book, page: Page, context: ZipContext, docname: str, anchor: str
) -> str:
    anchor_id = ""
    target_fragment = asm.fragments.get(docname)
    if anchor:
        anchor_id = (
            target_fragment.anchors.get(anchor, PREFIX + anchor)
            if target_fragment
            else PREFIX + anchor
        )
    target = asm.targets.get(docname)
    if target is None:
        if docname == asm.shelf.docname:
            # No page holds the root document's content: the shelf shows its description.
            _anchor_lost(asm, page, docname, anchor_id, "the shelf")
            url = context.distinct(entity_url("shelves", asm.shelf.name), docname)
            page.cross_links.append({"href": url, "key": "", "anchor": None})
            context.cross[url] = (docname, "")
            return url
        key = (page.docname, docname)
        if key not in asm.warned:
            asm.warned.add(key)
            # Only a document of the project can be put in a book; Sphinx's generated
            # pages (the index, the module index, search, highlighted source) cannot.
            hint = " (see mosaic_bookstack_extras)" if target_fragment is not None else ""
            warn(
                MosaicWarning.BOOKSTACK,
                f"link to {docname!r}, which is not part of any book in the BookStack output; "
                f"the link text is kept without a target{hint}",
                location=page.docname,
            )
        return _NO_TARGET
    if anchor_id and not target.goes_to_page(anchor_id):
        assert target.container is not None
        _anchor_lost(asm, page, docname, anchor_id, f"its {target.container[0]}")
        anchor_id = ""
    if target.book is book:
        return target.zip_reference(anchor_id)
    url = context.distinct(target.predicted_url(anchor_id), docname)
    page.cross_links.append(
        {"href": url, "key": target.link_key(anchor_id), "anchor": anchor_id or None}
    )
    context.cross[url] = (docname, anchor_id)
    return url


def _anchor_lost(asm: Assembler, page: Page, docname: str, anchor_id: str, where: str) -> None:
    """Warn (once per page and target) that a link to *anchor_id* goes to *where* without it.

    A document made only a description (an index page without body) has no page; its
    book, chapter or shelf shows the description, whose filter keeps no ids, so an
    anchor there would land nowhere.
    """
    if not anchor_id or (page.docname, f"{docname}#{anchor_id}") in asm.warned:
        return
    asm.warned.add((page.docname, f"{docname}#{anchor_id}"))
    warn(
        MosaicWarning.BOOKSTACK,
        f"link to {docname!r}#{anchor_id.removeprefix(PREFIX)}: that document is only the "
        f"description of {where} in the BookStack output, which keeps no anchors; the link "
        "goes to it without the anchor",
        location=page.docname,
    )
