"""The model's skeleton filled in from the fragments: ids, priorities, names, tags.

Runs in the main process when the builder finishes.  Ids are positive and
unique per type inside each ZIP, given in reading order; priorities are
0..n-1 among the chapters and pages of a book, and among the pages of a
chapter.  The same fragments and skeleton always give the same books.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePosixPath

from sphinx_mosaic.bookstack.format.files import file_reference
from sphinx_mosaic.bookstack.format.images import sniff
from sphinx_mosaic.bookstack.format.manifest import NAME_LIMIT, container_hash
from sphinx_mosaic.bookstack.format.model import Book, Chapter, Page, Shelf
from sphinx_mosaic.bookstack.images import ImageConverter, Refused, Shown
from sphinx_mosaic.bookstack.links import Target
from sphinx_mosaic.bookstack.mapping import check_key
from sphinx_mosaic.bookstack.translate.fragment import Fragment
from sphinx_mosaic.warnings import MosaicWarning, warn

Tags = list[dict[str, str]]
#: Where a warning points: a docname, or ``(docname, line)``.
Location = str | tuple[str, int]


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


class Assembler:
    """Fills in the skeleton shelf from the page fragments, and loads files."""

    def __init__(
        self,
        shelf: Shelf,
        fragments: dict[str, Fragment],
        srcdir: Path,
        converter: ImageConverter,
        tags_for: Callable[[str, str], Tags],
    ) -> None:
        self.shelf = shelf
        self.fragments = fragments
        self.srcdir = srcdir
        self.converter = converter
        self.tags_for = tags_for
        self.targets: dict[str, Target] = {}
        self._files: dict[str, tuple[str, bytes] | None] = {}
        self._images: dict[str, Shown | Refused] = {}
        #: (source, location) of images, (page, target) of links: each warned about once.
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

    def load(self, source: str, location: Location) -> tuple[str, bytes] | None:
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

    def image(self, source: str, location: Location) -> tuple[str, bytes] | Refused:
        """(file reference, bytes) of an image BookStack takes, or why there is none.

        A refused image is warned about once per page and place (an unreadable file
        was warned about when it was read).
        """
        loaded = self.load(source, location)
        if loaded is None:
            return Refused("the file cannot be read", broken=True)
        if source not in self._images:
            self._images[source] = self.converter.prepare(source, loaded[1])
        got = self._images[source]
        if isinstance(got, Shown):
            name = PurePosixPath(source).name
            return file_reference(name, got.data, got.extension), got.data
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

    def attachment(self, source: str, location: Location) -> tuple[str, str, bytes] | None:
        loaded = self.load(source, location)
        if loaded is None:
            return None
        data = loaded[1]
        name = PurePosixPath(source).name
        suffix = PurePosixPath(source).suffix.lstrip(".")
        extension = suffix if suffix.isalnum() and len(suffix) <= 10 else "bin"
        return limited(name, "attachment", location), file_reference(name, data, extension), data
