"""sphinx-design, sphinx-inline-tabs and sphinx-tabs in what BookStack's editor makes.

Their HTML needs their CSS and JavaScript, which BookStack pages do not have.
For a builder whose format is not ``html`` these extensions leave plain
docutils containers in the doctree (sphinx-design marks each with a
``design_component``; sphinx-tabs nests anonymous containers under one with the
class ``sphinx-tabs``), and their own nodes are recognised by class name, so
none of them needs to be installed. What readers get:

* dropdown: a collapsible block, ``<details><summary>Title</summary>...</details>``
  (BookStack's editor makes the same);
* tab (all three extensions): the tab's label as a bold paragraph, then its
  content, tab after tab;
* card: its title bold, as a link when the card has one (a card without a title
  keeps its link as a paragraph after the body); header, body, footer in order;
* badge: its text; button: a link; icon: left out, with a paragraph that held
  nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from docutils import nodes

from sphinx_mosaic.other_extensions import design_component, stretched_link


def _is_true(value: Any) -> bool:
    return str(value).lower() in {"1", "true", "yes"}


class DesignWriter(Protocol):
    """What these visitors use of the translator they are mixed into."""

    body: list[str]

    def starttag(
        self, node: Any, tagname: str, suffix: str = ..., empty: bool = ..., **attributes: Any
    ) -> str: ...

    def render_inline(self, children: Iterable[nodes.Node]) -> str: ...

    def block_id(self, text: str, tag: str = ...) -> str: ...

    def walk(self, children: Iterable[nodes.Node]) -> None: ...


class DesignVisitors:
    """Visitors the BookStack translator takes for these extensions' markup."""

    def visit_container(self: DesignWriter, node: nodes.Element) -> None:
        component = design_component(node)
        if component == "dropdown":
            _dropdown(self, node)
        elif component == "tab-item":
            labels = [c for c in node.children if isinstance(c, nodes.rubric)]
            _labelled(self, node, labels[0] if labels else None)
        elif component == "card":
            _card(self, node)
        elif component == "card-title":
            _card_title(self, node)
        elif "sphinx-tabs" in node.get("classes", []) and any(
            type(child).__name__ == "SphinxTabsTablist" for child in node.children
        ):
            _sphinx_tabs_native(self, node)
        elif isinstance(node.parent, nodes.container) and "sphinx-tabs" in node.parent.get(
            "classes", []
        ):
            _sphinx_tab(self, node)
        # Any other container is a wrapper: left out, BookStack wants one level of blocks.

    def depart_container(self, node: nodes.Element) -> None:
        pass

    def visit_TabContainer(self: DesignWriter, node: nodes.Element) -> None:
        """A tab of sphinx-inline-tabs: a ``label``, then a container with the content."""
        labels = [c for c in node.children if isinstance(c, nodes.label)]
        _labelled(self, node, labels[0] if labels else None)

    def visit_PassthroughTextElement(self, node: nodes.Element) -> None:
        """sphinx-design's inline holder: its content alone."""

    def depart_PassthroughTextElement(self, node: nodes.Element) -> None:
        pass

    def visit_sd_badge(self, node: nodes.Element) -> None:
        """A badge as its text: the colours are CSS that BookStack does not have."""

    def depart_sd_badge(self, node: nodes.Element) -> None:
        pass

    def visit_sd_icon(self, node: nodes.Element) -> None:
        raise nodes.SkipNode

    visit_fontawesome = visit_sd_icon


def _label_paragraph(translator: DesignWriter, node: nodes.Element) -> None:
    inline = translator.render_inline(
        node.children if isinstance(node, nodes.TextElement) else _inline_of(node)
    )
    if inline:
        translator.body.append(f'<p id="{translator.block_id(node.astext())}"><strong>')
        translator.body.append(f"{inline}</strong></p>\n")


def _inline_of(node: nodes.Element) -> list[nodes.Node]:
    """The inline content of a label that sits in containers and a paragraph."""
    paragraph = next(iter(node.findall(nodes.paragraph)), None)
    return list(paragraph.children) if paragraph is not None else list(node.children)


def _labelled(translator: DesignWriter, node: nodes.Element, label: Any) -> None:
    """A tab: its label bold, then the rest of its children."""
    if label is not None:
        _label_paragraph(translator, label)
    translator.walk([child for child in node.children if child is not label])
    raise nodes.SkipNode


def _sphinx_tab(translator: DesignWriter, node: nodes.Element) -> None:
    """A tab of sphinx-tabs: a container holding the label's containers, then the panel."""
    first = node.children[0] if node.children else None
    label = first if isinstance(first, nodes.container) else None
    _labelled(translator, node, label)


def _sphinx_tabs_native(translator: DesignWriter, node: nodes.Element) -> None:
    """sphinx-tabs' own nodes, made when it counts the builder as HTML (its
    ``sphinx_tabs_valid_builders``, or alongside mode, which reads with the HTML
    builder): a tab list of labels, then one panel per label."""
    labels = [
        tab
        for tablist in node.children
        if type(tablist).__name__ == "SphinxTabsTablist"
        for tab in tablist.children
    ]
    panels = [c for c in node.children if type(c).__name__ == "SphinxTabsPanel"]
    for label, panel in zip(labels, panels, strict=False):
        if isinstance(label, nodes.Element):
            _label_paragraph(translator, label)
        if isinstance(panel, nodes.Element):
            translator.walk(list(panel.children))
    raise nodes.SkipNode


def _dropdown(translator: DesignWriter, node: nodes.Element) -> None:
    title = None
    if _is_true(node.get("has_title", "1")):
        title = next((c for c in node.children if isinstance(c, nodes.rubric)), None)
    summary = translator.render_inline(title.children) if title is not None else ""
    opened = "open" if _is_true(node.get("opened", "")) else None
    translator.body.append(translator.starttag(node, "details", "", open=opened))
    translator.body.append(f"<summary>{summary or 'Details'}</summary>\n")
    translator.walk([child for child in node.children if child is not title])
    translator.body.append("</details>\n")
    raise nodes.SkipNode


def _card(translator: DesignWriter, node: nodes.Element) -> None:
    link = stretched_link(node)
    holder = link.parent if link is not None else None
    has_title = any(design_component(n) == "card-title" for n in node.findall(nodes.container))
    translator.walk([child for child in node.children if child is not holder])
    if link is not None and not has_title:
        paragraph = translator.render_inline([link])
        translator.body.append(f'<p id="{translator.block_id(link.astext())}">{paragraph}</p>\n')
    raise nodes.SkipNode


def _card_title(translator: DesignWriter, node: nodes.Element) -> None:
    card = _card_of(node)
    link = stretched_link(card) if card is not None else None
    children: list[nodes.Node] = list(node.children)
    if link is not None:
        # The card's link around its title: what a reader clicks on the card in HTML.
        wrapped = link.deepcopy()
        wrapped.children = []
        for child in node.children:
            wrapped += child.deepcopy()
        children = [wrapped]
    inline = translator.render_inline(children)
    translator.body.append(f'<p id="{translator.block_id(node.astext())}"><strong>')
    translator.body.append(f"{inline}</strong></p>\n")
    raise nodes.SkipNode


def _card_of(node: nodes.Node) -> nodes.Element | None:
    """The card a card title belongs to: the nearest one around it."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.Element) and design_component(parent) == "card":
            return parent
        parent = parent.parent
    return None


__all__ = ["DesignVisitors", "DesignWriter"]
