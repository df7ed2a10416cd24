"""Where a link to another document points, inside a ZIP or across books.

BookStack resolves ``[[bsexport:page:N]]`` only inside the ZIP being
imported.  A link into another book gets the URL BookStack will most likely
give the target (``/books/{book}/page/{page}``, slugs as BookStack makes them,
research/bookstack.md section 4) and is listed in the manifest's
``cross_links`` so the publisher can rewrite it to the real URL.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sphinx_mosaic.bookstack.structure import BookPlan

_FLIP = re.compile(r"_+")
_NOT_SLUG = re.compile(r"[^-\w\s]+")
_RUNS = re.compile(r"[-\s]+")


def bookstack_slug(name: str) -> str:
    """Laravel's ``Str::slug`` as BookStack uses it (an approximation for non-Latin text)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = _FLIP.sub("-", text).replace("@", "-at-").lower()
    text = _NOT_SLUG.sub("", text).replace("_", "")
    return _RUNS.sub("-", text).strip("-")


@dataclass
class Target:
    """What a docname stands for in the BookStack output."""

    book: BookPlan
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
            return f"[[bsexport:{kind}:{ident}]]"
        return f"[[bsexport:page:{self.page_id}]]" + (f"#{anchor}" if anchor else "")

    def predicted_url(self, anchor: str) -> str:
        book = f"/books/{bookstack_slug(self.book.name)}"
        if self.container is not None and (not anchor or self.page_id is None):
            if self.container[0] == "book":
                return book
            return f"{book}/chapter/{bookstack_slug(self.container_name)}"
        url = f"{book}/page/{bookstack_slug(self.page_name)}"
        return url + (f"#{anchor}" if anchor else "")
