"""Names in cross-references: number-free, relative to the page, with or without a suffix.

``{doc}`colors``` and ``[Fonts](fonts.md)`` on ``1-guide/README`` reach
``1-guide/1-colors`` and ``1-guide/2-fonts``; ``{doc}`/guide/colors``` reaches
the same page from anywhere.  A post-transform rewrites each ``{doc}`` and
MyST link target to the docname the one :class:`NameResolver` finds, before
Sphinx and MyST resolve the references, so every builder (HTML, LaTeX,
BookStack...) links the page its own way.  Names nobody claims are left as
written, for Sphinx or MyST to report.  A project without the numbered layout
keeps Sphinx's and MyST's own rules for links.
"""

from __future__ import annotations

from typing import Any

from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_mosaic import envdata
from sphinx_mosaic.layout.resolve import NameResolver, resolver_for


class PlainNameReferences(SphinxPostTransform):
    """Point ``doc`` and MyST references at the document their name means."""

    # Before MyST's resolver (9) and Sphinx's ReferencesResolver (10).
    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        layout = envdata.layout(self.env)
        if layout is None or not layout.active:
            return  # a project without the numbered layout keeps Sphinx's own rules
        resolver: NameResolver | None = None
        for node in self.document.findall(addnodes.pending_xref):
            domain, reftype = node.get("refdomain"), node.get("reftype")
            if not (reftype == "doc" and domain == "std") and not (
                reftype == "myst" and domain != "doc"
            ):
                continue
            refdoc = node.get("refdoc", self.env.docname)
            target = node.get("reftarget", "")
            path, _, anchor = target.partition("#")
            if not path or ":" in path:
                continue  # "#anchor" on this page, or "inv:", "project:", "path:" schemes
            if resolver is None:
                resolver = resolver_for(self.env)
            docname = resolver.resolve(path, refdoc)
            if docname is None:
                continue
            if reftype == "doc":
                node["reftarget"] = "/" + docname
            else:
                node["refdomain"] = "doc"
                node["reftarget"] = docname
                node["reftargetid"] = anchor or None
