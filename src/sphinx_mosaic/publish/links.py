"""Rewrite a page's links and file references to the real URLs on one server.

Inside a book ZIP, links are BookStack's placeholders ``[[bsexport:<type>:<id>]]``
(the import API resolves them itself); links into *other* books are predicted
URLs listed in the page's ``cross_links``.  When the publisher writes a page
through the REST API it resolves both: pages to the permalink ``/link/{id}``
(stable across renames and moves), chapters and books to their URLs, images
and attachments to the files uploaded for this page.  Anchors are kept.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from sphinx_mosaic.bookstack.manifest import REFERENCE as TOKEN
from sphinx_mosaic.publish.bundle import Book, Page

ENTITY_TOKENS = ("page", "chapter", "book")
#: Cross links may also point at the shelf (type "bookshelf").

#: (entity type, key) -> absolute URL on the server, or None when it does not exist yet.
UrlOf = Callable[[str, str], "str | None"]


def link_targets(page: Page, book: Book) -> set[tuple[str, str]]:
    """The (type, key) of every page, chapter and book that *page* links to."""
    targets: set[tuple[str, str]] = set()
    for body in (page.html, page.markdown):
        for kind, zip_id in TOKEN.findall(body):
            key = book.zip_keys.get(kind, {}).get(int(zip_id))
            if kind in ENTITY_TOKENS and key is not None:
                targets.add((kind, key))
    for link in page.cross_links:
        targets.add((str(link.get("type", "page")), str(link["key"])))
    return targets


def render(
    page: Page,
    book: Book,
    url_of: UrlOf,
    file_urls: dict[tuple[str, int], str],
) -> tuple[str, list[str]]:
    """The page body (markdown if the page has any, else html) with every link resolved.

    Returns the body and the descriptions of links that could not be resolved
    (they are left as they were, so no text is lost).
    """
    unresolved: list[str] = []

    def token(match: re.Match[str]) -> str:
        kind, zip_id = match.group(1), int(match.group(2))
        if kind in ENTITY_TOKENS:
            key = book.zip_keys.get(kind, {}).get(zip_id)
            url = url_of(kind, key) if key is not None else None
        else:
            url = file_urls.get((kind, zip_id))
        if url is None:
            unresolved.append(match.group(0))
            return match.group(0)
        return url

    body = page.markdown or page.html
    body = TOKEN.sub(token, body)
    for link in page.cross_links:
        href = str(link["href"])
        url = url_of(str(link.get("type", "page")), str(link["key"]))
        if url is None:
            unresolved.append(f"{href} ({link['key']})")
            continue
        anchor = link.get("anchor")
        base = href.split("#", 1)[0]

        def replace(match: re.Match[str], url: str = url, anchor: str | None = anchor) -> str:
            fragment = match.group(2) or (f"#{anchor}" if anchor else "")
            quote = match.group(1)
            return f"href={quote}{html.escape(url + fragment, quote=True)}{quote}"

        def markdown_link(match: re.Match[str], url: str = url, anchor: str | None = anchor) -> str:
            fragment = match.group(1) or (f"#{anchor}" if anchor else "")
            return f"]({url}{fragment})"

        # The href may carry the predicted #anchor or not; the fragment in the text wins.
        for quoted in dict.fromkeys((base, html.escape(base, quote=True))):
            pattern = rf"""href=(["']){re.escape(quoted)}(#[^"']*)?\1"""
            body = re.sub(pattern, replace, body)
            body = re.sub(rf"\]\({re.escape(quoted)}(#[^)\s]*)?\)", markdown_link, body)
    return body, unresolved
