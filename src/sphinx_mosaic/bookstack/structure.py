"""The shelf as BookStack sees it: books, chapters and pages from the layout model.

Mapping rules (documented in the user guide, "Importing into BookStack"):

* the shelf is the project; its name is the root page's title;
* a book is a book folder; its name is its index title and its description the
  first paragraph of its index page;
* a chapter is a chapter folder, named and described the same way;
* the content of a book or chapter index page beyond its description becomes
  the first page of that book or chapter (dropped when there is none);
* pages of folders deeper than a chapter go into the enclosing chapter, in
  reading order (BookStack has no sub-chapters);
* unnumbered top-level folders (extras) are left out, or become books of their
  own with ``mosaic_bookstack_extras = "books"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from sphinx_mosaic.layout.model import Folder, Layout, Page, plain_path

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_DOTS = re.compile(r"\.{2,}")


@dataclass
class PagePlan:
    """A page (or the first page made from an index page)."""

    docname: str
    key: str
    name: str
    source: str
    is_index: bool = False


@dataclass
class ChapterPlan:
    key: str
    name: str
    docname: str | None
    source: str | None
    pages: list[PagePlan] = field(default_factory=list)


@dataclass
class BookPlan:
    key: str
    name: str
    docname: str | None
    source: str | None
    file_stem: str
    #: Chapters and pages in reading order (an index first page comes first).
    contents: list[ChapterPlan | PagePlan] = field(default_factory=list)

    def pages(self) -> list[PagePlan]:
        result: list[PagePlan] = []
        for entry in self.contents:
            result.extend(entry.pages if isinstance(entry, ChapterPlan) else [entry])
        return result


@dataclass
class ShelfPlan:
    name: str
    docname: str | None
    books: list[BookPlan] = field(default_factory=list)


def safe_file_name(name: str, limit: int = 120) -> str:
    """A flat file name of ``[A-Za-z0-9._-]`` only (BookStack's ZIP file references)."""
    # Runs of dots become one: a name never holds "..", even where the cut falls.
    safe = _DOTS.sub(".", _UNSAFE.sub("-", name)).strip("-.")
    return safe[:limit].strip("-.") or "file"


def _page_plan(page: Page) -> PagePlan:
    return PagePlan(
        docname=page.docname,
        key=plain_path(page.docname),
        name=page.title,
        source=page.source,
        is_index=page.is_index,
    )


def _chapter_plan(folder: Folder) -> ChapterPlan:
    # folder.pages() walks sub-folders in reading order: the flattening rule.
    return ChapterPlan(
        key=plain_path(folder.path),
        name=folder.title,
        docname=folder.index.docname if folder.index else None,
        source=folder.index.source if folder.index else None,
        pages=[_page_plan(page) for page in folder.pages()],
    )


def _book_plan(folder: Folder) -> BookPlan:
    book = BookPlan(
        key=plain_path(folder.path),
        name=folder.title,
        docname=folder.index.docname if folder.index else None,
        source=folder.index.source if folder.index else None,
        file_stem=safe_file_name(PurePosixPath(folder.path).name),
    )
    if folder.index is not None:
        book.contents.append(_page_plan(folder.index))
    for child in folder.children:
        if isinstance(child, Page):
            book.contents.append(_page_plan(child))
        else:
            book.contents.append(_chapter_plan(child))
    return book


def plan_shelf(layout: Layout, *, extras: str, root_doc: str, project: str) -> ShelfPlan:
    """Map *layout* onto BookStack's shelf > book > chapter > page."""
    root = layout.root
    name = root.index.title if root.index is not None else project
    shelf = ShelfPlan(name=name or project, docname=root.index.docname if root.index else None)
    if shelf.docname is None and layout.page(root_doc) is not None:
        shelf.docname = root_doc
    folders = list(layout.books)
    if extras == "books":
        folders += layout.extras
        folders.sort(key=lambda folder: folder.sort_key)
    stems: set[str] = set()
    for folder in folders:
        book = _book_plan(folder)
        stem, n = book.file_stem, 1
        while stem.lower() in stems:  # case-insensitive file systems
            n += 1
            stem = f"{book.file_stem}-{n}"
        book.file_stem = stem
        stems.add(stem.lower())
        shelf.books.append(book)
    return shelf
