"""A page's own content apart from what components add around it, for any output.

The status line, the reading-path boxes, the page footer and the generated
toctrees are *chrome*: every page of a project gets them, so they are never a
page's description and never make a page hold content.  A contents list marks
its entries for extra folders (:data:`EXTRA_ENTRY`), which an output that
leaves those folders out drops.  A page's description
(its first paragraph) has one rule here, shared by the layout (contents lists
show it) and the BookStack output (a book's, chapter's or shelf's description),
so both show the same text.

Each component marks what it adds with a class named here, and the outputs
ask :func:`is_chrome` (or :func:`is_page_footer`) instead of knowing the
components' strings.
"""

from __future__ import annotations

from docutils import nodes

#: The paragraph holding the status badge under a page's title (``status``).
STATUS_LINE = "mosaic-status-line"
#: The reading-path boxes, ``mosaic-path-nav-top`` and ``-bottom``, and their lines
#: (``mosaic-path-nav-line``) (``paths``).
PATH_NAVIGATION = "mosaic-path-nav"
#: The "Last updated" line at the end of a page (``status``).
PAGE_FOOTER = "mosaic-page-footer"
#: Sphinx's wrapper of a toctree, the layout's generated ones included.
TOCTREE = "toctree-wrapper"

#: Class prefixes of what components add around a page's content (status line, path
#: boxes, footer, generated toctrees): not part of a description or a page body.
CHROME_CLASSES = (STATUS_LINE, PATH_NAVIGATION, PAGE_FOOTER, TOCTREE)


#: The class of a contents entry for an extra folder (``scratchpads/``): the BookStack
#: output leaves extra folders out unless told otherwise, and drops these entries then.
EXTRA_ENTRY = "mosaic-contents-extra"


def is_chrome(node: nodes.Node) -> bool:
    """Whether *node* is chrome, or shows nothing (a comment, a target, a message)."""
    if not isinstance(node, nodes.Element):
        return False
    if isinstance(node, (nodes.Invisible, nodes.comment, nodes.system_message)):
        return True
    classes: list[str] = node.get("classes", [])
    return any(cls.startswith(CHROME_CLASSES) for cls in classes)


def is_page_footer(node: nodes.Node) -> bool:
    """Whether *node* is the "Last updated" footer paragraph."""
    return isinstance(node, nodes.paragraph) and PAGE_FOOTER in node["classes"]


def title_section(document: nodes.document) -> nodes.section | None:
    """The section whose title is the page title (not repeated in the body)."""
    return next((c for c in document.children if isinstance(c, nodes.section)), None)


def first_paragraph(document: nodes.document) -> nodes.paragraph | None:
    """The page's description: the first paragraph under its title, before any
    sub-section, that is not chrome.

    A paragraph under a sub-section heading belongs to that sub-section, not to the
    page's introduction; one in an admonition, list or table is part of that block.
    A page without either has no description.
    """
    section = title_section(document)
    if section is None:
        return None
    for child in section.children:
        if isinstance(child, nodes.section):
            return None
        if isinstance(child, nodes.paragraph) and not is_chrome(child):
            return child
    return None


__all__ = [
    "CHROME_CLASSES",
    "EXTRA_ENTRY",
    "PAGE_FOOTER",
    "PATH_NAVIGATION",
    "STATUS_LINE",
    "TOCTREE",
    "first_paragraph",
    "is_chrome",
    "is_page_footer",
    "title_section",
]
