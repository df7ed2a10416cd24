"""What extensions make at read time for the builder that reads, made the same for BookStack.

``-b bookstack`` reads the sources with the BookStack builder; alongside mode
reads them with the HTML builder and resolves the same pickled doctrees for
BookStack.  Two extensions build different nodes depending on the reading
builder; these post-transforms, which run for the BookStack builder only, bring
both readings to one doctree, so both modes write the same pages:

- sphinx.ext.linkcode puts each ``[source]`` link in an ``only`` node whose
  expression is the reading builder's ``supported_linkcode`` (``html`` when it
  has none), so the link was kept in alongside mode only.  The link is to the
  code's page on the project's forge (an absolute URL ``linkcode_resolve``
  gives), which a wiki reader can follow: it is kept in both modes.
- sphinx-tabs makes nodes of its own (a tab list and panels) when the reading
  builder is one it counts as HTML, and plain containers for the others.  Its
  panels and tab buttons carry ids of its own (``panel-0-...``, for the
  page's script), which became BookStack anchors in alongside mode only; no
  reference can point at them, so they are dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_mosaic.walk import elements

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: sphinx-tabs' node classes whose ids are its own.
SPHINX_TABS_NODES = ("SphinxTabsPanel", "SphinxTabsTab")


def is_linkcode_link(node: nodes.Node) -> bool:
    """Whether *node* is sphinx.ext.linkcode's ``only`` node around a ``[source]`` link.

    linkcode appends it to a signature: ``only`` holding one external
    ``reference`` holding one ``inline`` of class ``viewcode-link``.
    """
    if not isinstance(node, addnodes.only) or not isinstance(node.parent, addnodes.desc_signature):
        return False
    if len(node.children) != 1 or not isinstance(node[0], nodes.reference):
        return False
    reference = node[0]
    return (
        not reference.get("internal")
        and len(reference.children) == 1
        and isinstance(reference[0], nodes.inline)
        and "viewcode-link" in reference[0]["classes"]
    )


class ReadTimeContent(SphinxPostTransform):
    """Before Sphinx evaluates ``only`` nodes (priority 50) for the BookStack builder."""

    default_priority = 40
    formats = ("bookstack",)

    def run(self, **kwargs: Any) -> None:
        # Each walk only where its extension is loaded (it declares its option).
        if "linkcode_resolve" in self.config:
            for only in [n for n in self.document.findall(addnodes.only) if is_linkcode_link(n)]:
                only.replace_self(only.children)
        if "sphinx_tabs_valid_builders" in self.config:
            for node in elements(self.document):
                if type(node).__name__ in SPHINX_TABS_NODES and node["ids"]:
                    for id_ in node["ids"]:
                        self.document.ids.pop(id_, None)
                    node["ids"] = []


def setup_readtime(app: Sphinx) -> None:
    app.add_post_transform(ReadTimeContent)
