"""A browsable copy of the BookStack pages, for review in a browser.

``html/index.html`` lists the books, ``html/<book>/index.html`` a book's
chapters and pages, ``html/<book>/<page>.html`` holds a page's exact
BookStack HTML with ZIP references turned into relative links; images and
attachments sit in ``html/_files/``.  No theme, script or style: what you see
is what BookStack will get (before its own styling).
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import Any

from sphinx_mosaic.bookstack.format.manifest import REFERENCE
from sphinx_mosaic.bookstack.format.model import Chapter, Page, Shelf
from sphinx_mosaic.bookstack.package import write_if_changed
from sphinx_mosaic.bookstack.structure import safe_file_name
from sphinx_mosaic.bookstack.zipbook import ZipContext

_HREF = re.compile(r'href="(/(?:books|shelves)/[^"#]*)(#[^"]*)?"')


def page_file(page: Page) -> str:
    return f"page-{page.zip_id}-{safe_file_name(page.key.rsplit('/', 1)[-1], 60)}.html"


def _document(title: str, body: str, up: str | None) -> bytes:
    nav = f'<p><a href="{up}">Up</a></p>\n' if up else ""
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n</head>\n<body>\n{nav}<h1>{escape(title)}</h1>\n"
        f"{body}</body>\n</html>\n"
    ).encode()


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
            url = match.group(1) + (match.group(2) or "")
            docname, anchor = context.cross.get(url, ("", ""))
            path = page_paths.get(docname)
            if path is None:
                return 'href="../index.html"'
            return f'href="../{path}' + (f"#{anchor}" if anchor and "#" not in path else "") + '"'

        items = []
        for entry in book.contents:
            if isinstance(entry, Chapter):
                inner = "".join(
                    f'<li><a href="{page_file(p)}">{escape(p.name)}</a></li>\n' for p in entry.pages
                )
                items.append(
                    f'<li id="chapter-{entry.zip_id}">{escape(entry.name)}'
                    f"{entry.description_html}<ul>\n{inner}</ul></li>\n"
                )
            else:
                items.append(f'<li><a href="{page_file(entry)}">{escape(entry.name)}</a></li>\n')
        body = f"{book.description_html}\n<ul>\n{''.join(items)}</ul>\n"
        changed += put(root / stem / "index.html", _document(book.name, body, "../index.html"))
        for page in book.iter_pages():
            html = _HREF.sub(cross, page.html)
            html = REFERENCE.sub(reference, html)
            changed += put(root / stem / page_file(page), _document(page.name, html, "index.html"))
        listing.append(f'<li><a href="{stem}/index.html">{escape(book.name)}</a></li>\n')
    body = f"{shelf.description_html}\n<ul>\n{''.join(listing)}</ul>\n"
    changed += put(root / "index.html", _document(shelf.name, body, None))
    for ref, data in sorted(files.items()):
        changed += put(root / "_files" / ref, data)
    for stale in sorted(path for path in root.rglob("*") if path.is_file()):
        if stale not in expected:
            stale.unlink()
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return changed
