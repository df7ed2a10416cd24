"""The numbered layout as a source of the BookStack model: its skeleton shelf.

Mapping rules (documented in the user guide, "How the tree maps onto BookStack"):

* the shelf is the project; its name is the root page's title;
* a book is a book folder; its name is its index title and its description the
  first paragraph of its index page;
* a chapter is a chapter folder, named and described the same way;
* the content of a book or chapter index page beyond its description becomes
  the first page of that book or chapter (dropped when there is none);
* the root page's content beyond the shelf's description opens the first
  book, as its first page, so the shelf page's tables and lists are read in
  BookStack too (BookStack shows only a shelf's description, of at most 2,000
  characters, on the shelf itself);
* pages of folders deeper than a chapter go into the enclosing chapter, in
  reading order (BookStack has no sub-chapters);
* a top-level folder the layout makes a book (numbered, or unnumbered with
  numbered pages below it) is a book here too; other unnumbered top-level
  folders (extras) are left out, or become books of their own with
  ``mosaic_bookstack_extras = "books"``.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from sphinx_mosaic.bookstack.format.files import safe_file_name, unique_stems
from sphinx_mosaic.bookstack.format.model import Book, Chapter, Page, Shelf
from sphinx_mosaic.layout import model as layout_model
from sphinx_mosaic.layout.model import Folder, Layout, plain_path


def _page(page: layout_model.Page) -> Page:
    return Page(
        key=plain_path(page.docname),
        docname=page.docname,
        source=page.source,
        name=page.title,
        is_index=page.is_index,
    )


def _chapter(folder: Folder) -> Chapter:
    # folder.pages() walks sub-folders in reading order: the flattening rule.
    return Chapter(
        key=plain_path(folder.path),
        docname=folder.index.docname if folder.index else None,
        source=folder.index.source if folder.index else None,
        name=folder.title,
        pages=[_page(page) for page in folder.pages()],
    )


def _book(folder: Folder) -> Book:
    book = Book(
        key=plain_path(folder.path),
        docname=folder.index.docname if folder.index else None,
        source=folder.index.source if folder.index else None,
        name=folder.title,
        file_stem=safe_file_name(PurePosixPath(folder.path).name),
    )
    if folder.index is not None:
        book.contents.append(_page(folder.index))
    for child in folder.children:
        if isinstance(child, layout_model.Page):
            book.contents.append(_page(child))
        else:
            book.contents.append(_chapter(child))
    return book


def plan_shelf(layout: Layout, *, extras: str, root_doc: str, project: str) -> Shelf:
    """Map *layout* onto BookStack's shelf > book > chapter > page."""
    root = layout.root
    name = root.index.title if root.index is not None else project
    shelf = Shelf(
        name=name or project,
        docname=root.index.docname if root.index else None,
        project=project,
        source="layout",
    )
    if shelf.docname is None and layout.page(root_doc) is not None:
        shelf.docname = root_doc
    folders = list(layout.books)
    if extras == "books":
        folders += layout.extras
        folders.sort(key=lambda folder: folder.sort_key)
    shelf.books = [_book(folder) for folder in folders]
    if root.index is not None and shelf.books:
        shelf.books[0].contents.insert(0, _page(root.index))
    unique_stems(shelf.books)
    return shelf
