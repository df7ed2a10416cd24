"""Other extensions' nodes recognised by name and attributes, so none has to be installed.

sphinx-design marks the containers it leaves for a non-HTML builder with a
``design_component`` attribute and draws icons with its own ``sd_icon`` node
(``fontawesome`` for Font Awesome's); sphinx-inline-tabs makes ``TabContainer``
nodes.  Both the BookStack translator and the PDF's forms need to recognise
them, and importing these extensions to use ``isinstance`` would make them
dependencies: they are recognised here, once, by class name and attribute.
"""

from __future__ import annotations

from docutils import nodes

#: Node classes (by name) of icons: pictures drawn with CSS or inline SVG.
ICON_NODES = frozenset({"sd_icon", "fontawesome"})


def is_icon(node: nodes.Node) -> bool:
    """Whether *node* is an icon of sphinx-design or Font Awesome."""
    return type(node).__name__ in ICON_NODES


def only_icons(node: nodes.Element) -> bool:
    """Whether a paragraph holds icons alone (it is left out rather than left empty)."""
    return bool(node.children) and all(
        is_icon(child) or (isinstance(child, nodes.Text) and not child.strip())
        for child in node.children
    )


def design_component(node: nodes.Element) -> str:
    """The sphinx-design component a container stands for (``card``, ``card-title``,
    ``dropdown``, ...), or ``""``."""
    return str(node.get("design_component", ""))


def is_inline_tab(node: nodes.Node) -> bool:
    """Whether *node* is a tab of sphinx-inline-tabs (its label, then its content)."""
    return type(node).__name__ == "TabContainer"


def stretched_link(card: nodes.Element) -> nodes.reference | None:
    """The link a card's ``:link:`` option makes (sphinx-design stretches it over the card)."""
    for child in card.children:
        if isinstance(child, nodes.TextElement):
            for ref in child.findall(nodes.reference):
                if "sd-stretched-link" in ref.get("classes", []):
                    return ref
    return None


__all__ = [
    "ICON_NODES",
    "design_component",
    "is_icon",
    "is_inline_tab",
    "only_icons",
    "stretched_link",
]
