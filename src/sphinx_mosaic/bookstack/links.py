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

from sphinx_mosaic.bookstack.format.manifest import reference
from sphinx_mosaic.bookstack.format.model import Book
from sphinx_mosaic.bookstack.format.urls import bookstack_slug

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
            return search_url(self.page_name or self.container_name or self.book.name)
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
            return search_url(self.page_name)
        return f"{book}/page/{page}" + (f"#{anchor}" if anchor else "")
