"""Rewrite a page's links and file references to the real URLs on one server.

Inside a book ZIP, links are BookStack's placeholders ``[[bsexport:<type>:<id>]]``
(the import API resolves them itself); links into *other* books are predicted
URLs listed in the page's ``cross_links``.  When the publisher writes a page
through the REST API it resolves both: pages to the permalink ``/link/{id}``
(stable across renames and moves), chapters and books to their URLs, images
and attachments to the files uploaded for this page.  Anchors are kept.  A link
whose target is not on the server becomes its text, an image its alt text: no
``[[bsexport:...]]`` reference is ever sent.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from sphinx_mosaic.bookstack.format.manifest import REFERENCE as TOKEN
from sphinx_mosaic.bookstack.format.model import Book, Page

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


@dataclass(frozen=True)
class Unresolved:
    """A link or image of a page whose target is not on the server."""

    #: The ZIP reference (``[[bsexport:image:3]]``) or the predicted URL of a cross link.
    reference: str
    #: What it stands for, for messages: ``page reference/api``, ``image 'diagram.png'``.
    what: str


#: An element whose address holds a ZIP reference: ``<a ... href="[[bsexport:...]]#x">``
#: with its content, or ``<img ... src="[[bsexport:...]]">``.
_HTML_LINK = re.compile(
    r"""<a\b[^>]*?\shref=(["'])[^"']*?(\[\[bsexport:[a-z]+:\d+\]\])[^"']*\1[^>]*>(.*?)</a\s*>""",
    re.DOTALL | re.IGNORECASE,
)
_HTML_IMAGE = re.compile(
    r"""<img\b[^>]*?\ssrc=(["'])[^"']*?(\[\[bsexport:[a-z]+:\d+\]\])[^"']*\1[^>]*>""",
    re.IGNORECASE,
)
_ALT = re.compile(r"""\salt=(["'])(.*?)\1""", re.DOTALL | re.IGNORECASE)
_MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?(\[\[bsexport:[a-z]+:\d+\]\])[^)]*\)")
_MARKDOWN_LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(\s*<?(\[\[bsexport:[a-z]+:\d+\]\])[^)]*\)")


def render(
    page: Page,
    book: Book,
    url_of: UrlOf,
    file_urls: dict[tuple[str, int], str],
) -> tuple[str, list[Unresolved]]:
    """The page body (markdown if the page has any, else html) with every link resolved.

    A link whose target is not on the server (a page that could not be created, a file
    the server refused) is never sent as it is: BookStack would store the reference
    URL-encoded, a dead link or a broken image for readers.  A link becomes its text
    (the ``<a>`` unwrapped), an image its alt text (or its file name); both are returned
    as :class:`Unresolved` for the caller to report.
    """
    unresolved: list[Unresolved] = []
    markdown = bool(page.markdown)
    names = {(a.kind, a.zip_id): a.name for a in page.images + page.attachments}

    def resolve(kind: str, zip_id: int) -> str | None:
        if kind in ENTITY_TOKENS:
            key = book.zip_keys.get(kind, {}).get(zip_id)
            return url_of(kind, key) if key is not None else None
        return file_urls.get((kind, zip_id))

    def missing(ref: str) -> bool:
        found = TOKEN.fullmatch(ref)
        assert found is not None
        kind, zip_id = found.group(1), int(found.group(2))
        if resolve(kind, zip_id) is not None:
            return False
        if kind in ENTITY_TOKENS:
            what = f"{kind} {book.zip_keys.get(kind, {}).get(zip_id) or zip_id}"
        else:
            what = f"{kind} {names.get((kind, zip_id), str(zip_id))!r}"
        unresolved.append(Unresolved(ref, what))
        return True

    def file_name(ref: str) -> str:
        found = TOKEN.fullmatch(ref)
        assert found is not None
        return names.get((found.group(1), int(found.group(2))), "")

    def html_link(match: re.Match[str]) -> str:
        return match.group(3) if missing(match.group(2)) else match.group(0)

    def html_image(match: re.Match[str]) -> str:
        if not missing(match.group(2)):
            return match.group(0)
        alt = _ALT.search(match.group(0))
        if alt and alt.group(2).strip():
            return alt.group(2)
        return html.escape(file_name(match.group(2)), quote=False)

    def markdown_image(match: re.Match[str]) -> str:
        if not missing(match.group(2)):
            return match.group(0)
        return match.group(1).strip() or file_name(match.group(2))

    def markdown_text(match: re.Match[str]) -> str:
        return match.group(1) if missing(match.group(2)) else match.group(0)

    def token(match: re.Match[str]) -> str:
        url = resolve(match.group(1), int(match.group(2)))
        if url is None:
            # Anywhere else (text, another attribute): the reference goes, nothing is sent.
            missing(match.group(0))
            return ""
        return url

    body = page.markdown or page.html
    if markdown:
        body = _MARKDOWN_IMAGE.sub(markdown_image, body)
        body = _MARKDOWN_LINK.sub(markdown_text, body)
    else:
        body = _HTML_IMAGE.sub(html_image, body)
        body = _HTML_LINK.sub(html_link, body)
    body = TOKEN.sub(token, body)
    for link in page.cross_links:
        href = str(link["href"])
        kind, key = str(link.get("type", "page")), str(link["key"])
        url = url_of(kind, key)
        base = href.split("#", 1)[0]
        quoted_bases = dict.fromkeys((base, html.escape(base, quote=True)))
        if url is None:
            # The target is not on the server: the link's text stays, without a target.
            before = body
            for quoted in quoted_bases:
                body = re.sub(
                    rf"""<a\b[^>]*?\shref=(["']){re.escape(quoted)}(?:#[^"']*)?\1[^>]*>(.*?)</a\s*>""",
                    lambda m: m.group(2),
                    body,
                    flags=re.DOTALL | re.IGNORECASE,
                )
                body = re.sub(
                    rf"(?<!!)\[([^\]]*)\]\({re.escape(quoted)}(?:#[^)\s]*)?\)",
                    lambda m: m.group(1),
                    body,
                )
            if body != before:
                unresolved.append(Unresolved(href, f"{kind} {key}" if key else kind))
            continue

        def replace(match: re.Match[str], url: str = url) -> str:
            quote = match.group(1)
            return f"href={quote}{html.escape(url + (match.group(2) or ''), quote=True)}{quote}"

        def markdown_link(match: re.Match[str], url: str = url) -> str:
            return f"]({url}{match.group(1) or ''})"

        # Each link keeps the fragment it has in the text: several links to one page (one
        # with an anchor, one without) share the base, and none takes another's anchor.
        for quoted in quoted_bases:
            pattern = rf"""href=(["']){re.escape(quoted)}(#[^"']*)?\1"""
            body = re.sub(pattern, replace, body)
            body = re.sub(rf"\]\({re.escape(quoted)}(#[^)\s]*)?\)", markdown_link, body)
    return body, unresolved
