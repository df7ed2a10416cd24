"""Book, chapter and shelf descriptions: an index page's first paragraph, as BookStack keeps it.

The paragraph is found by the rule the layout's contents lists use too
(:func:`sphinx_mosaic.chrome.first_paragraph`).

BookStack filters ``description_html`` through an allow-list (``p``,
``a[href|title|target]``, ``ol``, ``ul``, ``li``, ``strong``, ``em``, ``br``)
and drops any other element *with its content*, so the paragraph is rendered
with those tags only: other inline markup keeps its text.
"""

from __future__ import annotations

from html import escape

from docutils import nodes

from sphinx_mosaic.bookstack.format.limits import DESCRIPTION_LIMIT
from sphinx_mosaic.chrome import is_chrome, title_section

_EXTERNAL = ("http://", "https://", "mailto:")


def has_body(document: nodes.document) -> bool:
    """Whether the page holds content besides its title, description and chrome."""
    section = title_section(document)
    for child in document.children:
        if child is section:
            continue
        if not is_chrome(child) and not isinstance(child, nodes.Text):
            return True
    if section is None:
        return False
    return any(
        not isinstance(child, nodes.title)
        and not is_chrome(child)
        and (
            not isinstance(child, nodes.Element)
            or child.astext().strip()
            or any(True for _ in child.findall(nodes.image))
        )
        for child in section.children
    )


def description_html(paragraph: nodes.paragraph) -> str:
    return f"<p>{_inline(paragraph)}</p>"


def plain_description(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """A plain-text description cut to fit *limit* once escaped and wrapped in ``<p>``."""
    room = limit - len("<p>…</p>")
    pieces: list[str] = []
    size = 0
    for char in " ".join(text.split()):
        piece = escape(char, quote=False)
        if size + len(piece) > room:
            break
        pieces.append(piece)
        size += len(piece)
    return f"<p>{''.join(pieces)}…</p>"


def _inline(node: nodes.Element) -> str:
    out: list[str] = []
    for child in node.children:
        if isinstance(child, nodes.raw):
            # Raw markup: the allow-list would drop it; its text siblings are kept.
            continue
        if isinstance(child, nodes.Text):
            out.append(escape(str(child), quote=False))
        elif isinstance(child, nodes.strong):
            out.append(f"<strong>{_inline(child)}</strong>")
        elif isinstance(child, nodes.emphasis):
            out.append(f"<em>{_inline(child)}</em>")
        elif isinstance(child, nodes.reference) and str(child.get("refuri", "")).startswith(
            _EXTERNAL
        ):
            out.append(f'<a href="{escape(child["refuri"])}">{_inline(child)}</a>')
        elif isinstance(child, nodes.image):
            out.append(escape(child.get("alt", ""), quote=False))
        elif isinstance(child, nodes.Element):
            out.append(_inline(child))
    return "".join(out)
