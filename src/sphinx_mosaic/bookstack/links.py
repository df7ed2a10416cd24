"""Where a link to another document points, inside a ZIP or across books.

BookStack resolves ``[[bsexport:page:N]]`` only inside the ZIP being
imported.  A link into another book gets the URL BookStack will most likely
give the target (``/books/{book}/page/{page}``, with slugs as BookStack makes
them) and is listed in the manifest's ``cross_links`` so the publisher can
rewrite it to the real URL once the target exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from sphinx_mosaic.bookstack.manifest import reference
from sphinx_mosaic.bookstack.model import Book
from sphinx_mosaic.bookstack.slugs import bookstack_slug

__all__ = ["Target", "bookstack_slug", "entity_url", "search_url"]


def entity_url(kind: str, name: str) -> str:
    """``/{kind}/{slug}`` as BookStack will most likely make it (``kind`` is ``books``,
    ``shelves``...); for a name that gives no slug (BookStack then picks a random one)
    a search for the name, which finds it on any server."""
    slug = bookstack_slug(name)
    return f"/{kind}/{slug}" if slug else search_url(name)


def search_url(name: str) -> str:
    """BookStack's search for the exact *name* (for an entity whose slug is random)."""
    return "/search?term=" + quote(f'"{name}"', safe="")


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

    def zip_reference(self, anchor: str) -> str:
        if self.container is not None and (not anchor or self.page_id is None):
            kind, ident = self.container
            return reference(kind, ident)
        # A target without a page is always a book or chapter (see the assembler).
        assert self.page_id is not None
        return reference("page", self.page_id) + (f"#{anchor}" if anchor else "")

    def predicted_url(self, anchor: str) -> str:
        book = entity_url("books", self.book.name)
        if book.startswith("/search"):
            return search_url(self.page_name or self.container_name or self.book.name)
        if self.container is not None and (not anchor or self.page_id is None):
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
            return search_url(self.page_name)
        return f"{book}/page/{page}" + (f"#{anchor}" if anchor else "")
