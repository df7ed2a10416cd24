"""A browsable copy of the BookStack pages, for review in a browser.

``html/index.html`` lists the books, ``html/<book>/index.html`` a book's
chapters and pages, ``html/<book>/<page>.html`` holds a page's exact
BookStack HTML with ZIP references turned into relative links; images and
attachments sit in ``html/_files/``.

Each file is framed the way BookStack frames a page, so that a reviewer sees
what wiki readers will see: a header, breadcrumbs (shelf > book > chapter >
page), a left sidebar with the tags as name/value chips, the attachments, the
page's headings and the book's tree (the current page highlighted), and a card holding the
page's name and its HTML, styled by ``html/_static/bookstack-preview.css``
(shipped with the package: an approximation of BookStack's page view, no web
font, script or network request).  The page's HTML itself is written exactly
as the ZIP holds it, only its links changed: the frame wraps it and never
touches it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from sphinx_mosaic.bookstack.assemble import ZipContext
from sphinx_mosaic.bookstack.format.files import safe_file_name
from sphinx_mosaic.bookstack.format.manifest import REFERENCE
from sphinx_mosaic.bookstack.format.model import Book, Chapter, Page, Shelf, Tag
from sphinx_mosaic.files import write_if_changed

#: A link to another book (or the shelf) as the ZIPs hold it: the URL BookStack will most
#: likely give it, or a search for its name where that gives no slug (CJK, Hebrew).
_HREF = re.compile(r'href="(/(?:books|shelves)/[^"#]*|/search\?term=[^"#]*)(#[^"]*)?"')

#: The stylesheet, shipped in the package and copied next to the pages.
STYLESHEET = Path(__file__).parent / "static" / "bookstack-preview.css"
#: Where the stylesheet goes, relative to ``html/``.
STYLESHEET_PATH = f"_static/{STYLESHEET.name}"

#: BookStack cuts a heading's text to this length in its page navigation.
_NAV_TEXT = 100
_SPACE = re.compile(r"\s+")


def page_file(page: Page) -> str:
    return f"page-{page.zip_id}-{safe_file_name(page.key.rsplit('/', 1)[-1], 60)}.html"


@dataclass(frozen=True)
class _Frame:
    """The parts around a file's own content."""

    title: str
    #: ``""`` for files in ``html/``, ``"../"`` for files in a book's folder.
    up: str
    shelf_name: str
    breadcrumbs: str
    sidebar: str
    main: str
    after: str = ""


def _document(frame: _Frame) -> bytes:
    up = frame.up
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(frame.title)}</title>\n"
        f'<link rel="stylesheet" href="{up}{STYLESHEET_PATH}">\n'
        "</head>\n<body>\n"
        '<header class="preview-header">\n'
        f'<a class="logo" href="{up}index.html">{escape(frame.shelf_name)}</a>\n'
        '<span class="preview-note">Preview of the BookStack pages: not published</span>\n'
        "</header>\n"
        '<div class="tri-layout">\n'
        f'<aside class="tri-layout-left">\n{frame.sidebar}</aside>\n'
        '<div class="tri-layout-middle">\n<div class="tri-layout-middle-contents">\n'
        f"{frame.breadcrumbs}"
        f'<main class="content-wrap card">\n{frame.main}</main>\n'
        f"{frame.after}"
        "</div>\n</div>\n</div>\n</body>\n</html>\n"
    ).encode()


def _tags(tags: list[Tag]) -> str:
    """Tags as BookStack shows them: a chip per tag, its name and (if any) its value."""
    if not tags:
        return ""
    chips = []
    for tag in tags:
        value = tag.get("value", "")
        chips.append(
            f'<div class="tag-item"><div class="tag-name"><span>{escape(tag["name"])}</span></div>'
            + (f'<div class="tag-value"><span>{escape(value)}</span></div>' if value else "")
            + "</div>\n"
        )
    return f'<section class="tag-list" aria-label="Tags">\n{"".join(chips)}</section>\n'


def _breadcrumbs(crumbs: list[tuple[str, str, str]]) -> str:
    """``(kind, href, name)`` from the shelf down; the last is the file itself."""
    parts = []
    for index, (kind, href, name) in enumerate(crumbs):
        current = ' aria-current="page"' if index == len(crumbs) - 1 else ""
        parts.append(f'<a class="text-{kind}" href="{href}"{current}>{escape(name)}</a>')
    separator = '\n<span class="separator" aria-hidden="true">›</span>\n'
    return f'<nav class="breadcrumbs" aria-label="Breadcrumb">\n{separator.join(parts)}\n</nav>\n'


def _entity_link(kind: str, href: str, name: str, selected: bool = False) -> str:
    classes = f"entity-list-item {kind}" + (" selected" if selected else "")
    current = ' aria-current="page"' if selected else ""
    label = f'<span class="name">{escape(name)}</span>'
    return f'<a class="{classes}" href="{href}"{current}>{label}</a>'


class _BookTree:
    """BookStack's "Book navigation": the book, its chapters and pages in reading order.

    A chapter's pages fold away (``details``, no script) except in the current
    page's chapter, as in BookStack.  Each entry is written once per book; a page's
    tree writes again only the entry that holds the page (a book of a few hundred
    pages would otherwise write its whole tree for each of them).
    """

    def __init__(self, book: Book) -> None:
        self.book = book
        self._plain = [self._entry(entry, None) for entry in book.contents]
        #: id of a page -> index of the entry (the page itself, or its chapter) in the book.
        self._where: dict[int, int] = {}
        for index, entry in enumerate(book.contents):
            for page in entry.pages if isinstance(entry, Chapter) else [entry]:
                self._where[id(page)] = index

    def html(self, current: Page | None) -> str:
        """The navigation as shown on *current* (None: on the book's own page)."""
        book_link = _entity_link("book", "index.html", self.book.name, current is None)
        items = [f"<li>{book_link}</li>\n", *self._plain]
        index = self._where.get(id(current)) if current is not None else None
        if index is not None:
            items[index + 1] = self._entry(self.book.contents[index], current)
        return (
            '<nav class="book-tree" aria-label="Book navigation">\n<h5>Book navigation</h5>\n'
            f"<ul>\n{''.join(items)}</ul>\n</nav>\n"
        )

    @staticmethod
    def _entry(entry: Chapter | Page, current: Page | None) -> str:
        if not isinstance(entry, Chapter):
            link = _entity_link("page", page_file(entry), entry.name, entry is current)
            return f"<li>{link}</li>\n"
        pages = "".join(
            f"<li>{_entity_link('page', page_file(p), p.name, p is current)}</li>\n"
            for p in entry.pages
        )
        count = len(entry.pages)
        menu = ""
        if count:
            is_open = " open" if any(p is current for p in entry.pages) else ""
            label = f"{count} page" + ("s" if count != 1 else "")
            menu = (
                f'<details class="chapter-child-menu"{is_open}><summary>{label}</summary>\n'
                f"<ul>\n{pages}</ul>\n</details>\n"
            )
        link = _entity_link("chapter", f"index.html#chapter-{entry.zip_id}", entry.name)
        return f"<li>{link}\n{menu}</li>\n"


def _attachments(page: Page) -> str:
    """The page's attachments, listed in the sidebar as BookStack lists them."""
    if not page.attachments:
        return ""
    items = [
        f'<li><a href="../_files/{attachment.ref}">{escape(attachment.name)}</a></li>\n'
        for attachment in page.attachments
    ]
    return (
        '<section class="attachments" aria-label="Attachments">\n<h5>Attachments</h5>\n'
        f'<ul class="attachment-list">\n{"".join(items)}</ul>\n</section>\n'
    )


def _page_navigation(html: str) -> str:
    """BookStack's "Page navigation": the page's headings, levels shifted so that the
    smallest level used is the first, each text cut to 100 characters."""
    headings = []
    for node in LexborHTMLParser(html).css("h1, h2, h3, h4, h5, h6"):
        ident = node.attributes.get("id")
        text = _SPACE.sub(" ", node.text(deep=True)).strip()[:_NAV_TEXT]
        if ident and text and node.tag:
            headings.append((int(node.tag[1]), ident, text))
    if not headings:
        return ""
    top = min(level for level, _, _ in headings)
    items = "".join(
        f'<li class="h{level - top + 1}"><a href="#{escape(ident)}">{escape(text)}</a></li>\n'
        for level, ident, text in headings
    )
    return (
        '<nav class="page-navigation" aria-label="Page navigation">\n<h5>Page navigation</h5>\n'
        f'<ul class="sidebar-page-nav">\n{items}</ul>\n</nav>\n'
    )


def _siblings(previous: Page | None, following: Page | None) -> str:
    """Previous and next page of the book, below the card, as BookStack shows them."""
    if previous is None and following is None:
        return ""
    links = []
    for page, kind in ((previous, "previous"), (following, "next")):
        if page is not None:
            label = "Previous" if kind == "previous" else "Next"
            links.append(
                f'<a class="{kind}" href="{page_file(page)}"><span class="direction">{label}</span>'
                f'<span class="name">{escape(page.name)}</span></a>\n'
            )
    nav = '<nav class="sibling-navigation" aria-label="Previous and next">'
    return f"{nav}\n{''.join(links)}</nav>\n"


def _book_contents(book: Book) -> str:
    """The book's contents in its card: chapters with their pages, and pages."""
    items = []
    for entry in book.contents:
        if isinstance(entry, Chapter):
            pages = "".join(
                f"<li>{_entity_link('page', page_file(p), p.name)}</li>\n" for p in entry.pages
            )
            description = (
                f'<div class="entity-description">{entry.description_html}</div>\n'
                if entry.description_html
                else ""
            )
            count = len(entry.pages)
            menu = (
                f'<details class="chapter-child-menu" open><summary>{count} page'
                + ("s" if count != 1 else "")
                + f"</summary>\n<ul>\n{pages}</ul>\n</details>\n"
                if count
                else ""
            )
            link = _entity_link("chapter", f"#chapter-{entry.zip_id}", entry.name)
            items.append(
                f'<div class="chapter-block" id="chapter-{entry.zip_id}">\n{link}\n'
                f"{_tags(entry.tags)}{description}{menu}</div>\n"
            )
        else:
            items.append(_entity_link("page", page_file(entry), entry.name) + "\n")
    return f'<div class="book-contents">\n{"".join(items)}</div>\n'


def _description(html: str) -> str:
    return f'<div class="entity-description">{html}</div>\n' if html.strip() else ""


def write_browsable(root: Path, shelf: Shelf, contexts: dict[str, ZipContext]) -> int:
    """Write the browsable copy, removing files of pages that are gone.

    Returns the number of files written.
    """
    changed = 0
    expected: set[Path] = set()

    def put(path: Path, content: bytes) -> int:
        expected.add(path)
        return int(write_if_changed(path, content))

    files: dict[str, bytes] = {}
    page_paths: dict[str, str] = {}  # docname -> path relative to html/
    for book in shelf.books:
        for page in book.iter_pages():
            page_paths[page.docname] = f"{book.file_stem}/{page_file(page)}"
        if book.docname and book.docname not in page_paths:
            page_paths[book.docname] = f"{book.file_stem}/index.html"
        for chapter in book.chapters:
            if chapter.docname and chapter.docname not in page_paths:
                anchor = f"chapter-{chapter.zip_id}"
                page_paths[chapter.docname] = f"{book.file_stem}/index.html#{anchor}"
    shelf_crumb = ("bookshelf", "../index.html", shelf.name)
    listing = []
    for book in shelf.books:
        stem = book.file_stem
        context = contexts[book.key]
        files.update(book.files)
        by_id = {page.zip_id: page for page in book.iter_pages()}
        chapters = {chapter.zip_id: chapter for chapter in book.chapters}
        assets = {"image": book.images, "attachment": book.attachments}

        def reference(
            match: re.Match[str],
            by_id: dict[int, Page] = by_id,
            assets: dict[str, dict[int, Any]] = assets,
            chapters: dict[int, Chapter] = chapters,
        ) -> str:
            kind, ident = match.group(1), int(match.group(2))
            if kind == "page" and ident in by_id:
                return page_file(by_id[ident])
            if kind in assets and ident in assets[kind]:
                return f"../_files/{assets[kind][ident].ref}"
            if kind == "chapter" and ident in chapters:
                return f"index.html#chapter-{ident}"
            return "index.html"

        def cross(match: re.Match[str], context: ZipContext = context) -> str:
            url = unescape(match.group(1)) + (match.group(2) or "")
            if url not in context.cross and url.startswith("/search"):
                return match.group(0)  # a search written in the page, not one of ours
            docname, anchor = context.cross.get(url, ("", ""))
            path = page_paths.get(docname)
            if path is None:
                return 'href="../index.html"'
            return f'href="../{path}' + (f"#{anchor}" if anchor and "#" not in path else "") + '"'

        book_crumb = ("book", "index.html", book.name)
        tree = _BookTree(book)
        main = (
            f'<h1 class="break-text">{escape(book.name)}</h1>\n'
            f"{_description(book.description_html)}{_book_contents(book)}"
        )
        frame = _Frame(
            title=book.name,
            up="../",
            shelf_name=shelf.name,
            breadcrumbs=_breadcrumbs([shelf_crumb, book_crumb]),
            sidebar=_tags(book.tags) + tree.html(None),
            main=main,
        )
        changed += put(root / stem / "index.html", _document(frame))
        pages = book.pages
        chapter_of = {p.key: c for c in book.chapters for p in c.pages}
        for number, page in enumerate(pages):
            html = _HREF.sub(cross, page.html)
            html = REFERENCE.sub(reference, html)
            parent = chapter_of.get(page.key)
            crumbs = [shelf_crumb, book_crumb]
            if parent is not None:
                crumbs.append(("chapter", f"index.html#chapter-{parent.zip_id}", parent.name))
            crumbs.append(("page", page_file(page), page.name))
            main = (
                '<div class="page-content" dir="auto">\n'
                f'<h1 class="break-text" id="bkmrk-page-title">{escape(page.name)}</h1>\n'
                f"{html}</div>\n"
            )
            frame = _Frame(
                title=page.name,
                up="../",
                shelf_name=shelf.name,
                breadcrumbs=_breadcrumbs(crumbs),
                sidebar=(
                    _tags(page.tags) + _attachments(page) + _page_navigation(html) + tree.html(page)
                ),
                main=main,
                after=_siblings(
                    pages[number - 1] if number else None,
                    pages[number + 1] if number + 1 < len(pages) else None,
                ),
            )
            changed += put(root / stem / page_file(page), _document(frame))
        listing.append(_entity_link("book", f"{stem}/index.html", book.name) + "\n")
        if book.description_html.strip():
            listing.append(f'<div class="book-description">{book.description_html}</div>\n')
    main = (
        f'<h1 class="break-text">{escape(shelf.name)}</h1>\n'
        f"{_description(shelf.description_html)}"
        f'<div class="book-contents">\n{"".join(listing)}</div>\n'
    )
    frame = _Frame(
        title=shelf.name,
        up="",
        shelf_name=shelf.name,
        breadcrumbs=_breadcrumbs([("bookshelf", "index.html", shelf.name)]),
        sidebar="",
        main=main,
    )
    changed += put(root / "index.html", _document(frame))
    changed += put(root / STYLESHEET_PATH, STYLESHEET.read_bytes())
    for ref, data in sorted(files.items()):
        changed += put(root / "_files" / ref, data)
    for stale in sorted(path for path in root.rglob("*") if path.is_file()):
        if stale not in expected:
            stale.unlink()
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return changed
