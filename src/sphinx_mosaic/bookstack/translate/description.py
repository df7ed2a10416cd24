"""Book, chapter and shelf descriptions: an index page's first paragraph.

BookStack filters ``description_html`` through an allow-list (``p``,
``a[href|title|target]``, ``ol``, ``ul``, ``li``, ``strong``, ``em``, ``br``)
and drops any other element *with its content*, so the paragraph is rendered
with those tags only: other inline markup keeps its text.
"""

from __future__ import annotations

from html import escape

from docutils import nodes

from sphinx_mosaic.bookstack.format.limits import DESCRIPTION_LIMIT
from sphinx_mosaic.bookstack.translate.ids import title_section

_EXTERNAL = ("http://", "https://", "mailto:")


#: Classes of what other components add around a page's content (status line, path
#: boxes, footer, generated toctrees): not part of a description or a page body.
CHROME_CLASSES = (
    "mosaic-status-line",
    "mosaic-path-nav",
    "mosaic-page-footer",
    "toctree-wrapper",
)


def is_chrome(node: nodes.Node) -> bool:
    if not isinstance(node, nodes.Element):
        return False
    if isinstance(node, (nodes.Invisible, nodes.comment, nodes.system_message)):
        return True
    classes: list[str] = node.get("classes", [])
    return any(cls.startswith(CHROME_CLASSES) for cls in classes)


def description_paragraph(document: nodes.document) -> nodes.paragraph | None:
    """The first paragraph of the page, before any sub-section."""
    section = title_section(document)
    if section is None:
        return None
    for child in section.children:
        if isinstance(child, nodes.section):
            return None
        if isinstance(child, nodes.paragraph) and not is_chrome(child):
            return child
    return None


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
