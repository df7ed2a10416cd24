"""What a person's save in BookStack does to a page's HTML, for the fake server.

Two rewrites, each as measured on a real server or read in BookStack's code:

:func:`tinymce_save`
    opening a page in BookStack's WYSIWYG editor (TinyMCE) and saving it without a
    change: attribute-less ``<span>`` unwrapped, attributes in the editor's order
    (here: sorted) and always double-quoted, ``&#x27;`` written as ``'``, other
    entities as the editor spells them, ``<img/>`` as ``<img>``, an id made up for a
    top-level block without one, the trailing newline gone.
:func:`render_filter`
    BookStack v25.12.4's content filter, run when a page is shown; the editor is
    pre-filled with the filtered page for anyone but its author, so a colleague's save
    stores it.  The emulation itself is :mod:`helpers.content_filter` (HTML Purifier's HTML5
    allow-list), the one the ZIP check uses too.
"""

from __future__ import annotations

import html
import itertools
from html.parser import HTMLParser

from helpers.content_filter import content_filter

VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"})
BLOCKS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "pre", "blockquote", "div"}
)


def _attribute(name: str, value: str | None) -> str:
    text = name if value is None else value
    return f'{name}="{html.escape(text, quote=False).replace(chr(34), "&quot;")}"'


class _Rewriter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.depth = 0
        self.spans: list[bool] = []
        self.skip: list[str] = []
        self.ids: set[str] = set()
        self.made_up = itertools.count(1)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip:
            if tag == self.skip[0]:
                self.skip.append(tag)
            return
        if tag == "span":
            self.spans.append(bool(attrs))
            if not attrs:
                return
        kept = sorted(attrs, key=lambda a: a[0])
        if self.depth == 0 and tag in BLOCKS and not any(n == "id" for n, _ in kept):
            kept = sorted([*kept, ("id", f"bkmrk-{next(self.made_up)}")], key=lambda a: a[0])
        text = "".join(f" {_attribute(n, v)}" for n, v in kept)
        self.out.append(f"<{tag}{text}>")
        if tag not in VOID:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag == self.skip[0]:
                self.skip.pop()
            return
        if tag in VOID:
            return
        if tag == "span" and not (self.spans and self.spans.pop()):
            return
        self.depth = max(self.depth - 1, 0)
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(html.escape(data, quote=False).replace("\xa0", "&nbsp;"))

    def handle_comment(self, data: str) -> None:
        if not self.skip:
            self.out.append(f"<!--{data}-->")


def _rewrite(page_html: str) -> str:
    parser = _Rewriter()
    parser.feed(page_html)
    parser.close()
    return "".join(parser.out).rstrip("\n")


def tinymce_save(page_html: str) -> str:
    """The HTML BookStack stores when a person saves *page_html* unchanged in TinyMCE."""
    return _rewrite(page_html)


def render_filter(page_html: str) -> str:
    """*page_html* as BookStack v25.12.4 shows it (and pre-fills a colleague's editor).

    The one emulation of the filter (:mod:`helpers.content_filter`, HTML Purifier's HTML5
    allow-list), so the fake server shows pages as the ZIP check judges them."""
    shown = content_filter(page_html).html
    return shown.removeprefix("<body>").removesuffix("</body>")
