"""Number-free names in cross-references.

``{doc}`getting-started/quick-start/overview``` and the Markdown link
``[Overview](getting-started/quick-start/overview)`` both reach
``1-getting-started/1-quick-start/1-overview``, so renumbering a page does not
break links written with the number-free name.  A post-transform rewrites such
references to the real docname before Sphinx and MyST resolve them.
"""

from __future__ import annotations

from typing import Any

from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join

from sphinx_mosaic.layout.extension import get_layout


def resolve_plain_name(names: dict[str, str], refdoc: str, target: str) -> str | None:
    """The docname a number-free *target* names, seen from *refdoc*, or None.

    An absolute name (``/getting-started``) or a name from the shelf root is
    tried, then the name relative to the referring document's folder.
    """
    target = target.strip()
    if target.endswith((".md", ".rst")):
        target = target.rsplit(".", 1)[0]
    candidates = [target.lstrip("/")]
    if not target.startswith("/"):
        candidates.append(docname_join(refdoc, target))
    for candidate in candidates:
        normalised = candidate.strip("/")
        if normalised in names:
            return names[normalised]
    return None


class PlainNameReferences(SphinxPostTransform):
    """Point ``doc`` and MyST references at the document a number-free name names."""

    # Before MyST's resolver (9) and Sphinx's ReferencesResolver (10).
    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        layout = get_layout(self.env)
        if layout is None or not layout.active:
            return
        names = layout.plain_names()
        all_docs = self.env.all_docs
        for node in self.document.findall(addnodes.pending_xref):
            domain, reftype = node.get("refdomain"), node.get("reftype")
            refdoc = node.get("refdoc", self.env.docname)
            target = node.get("reftarget", "")
            if reftype == "doc" and domain == "std":
                if docname_join(refdoc, target) in all_docs:
                    continue
                docname = resolve_plain_name(names, refdoc, target)
                if docname is not None:
                    node["reftarget"] = "/" + docname
            elif reftype == "myst" and domain != "doc":
                path, _, anchor = target.partition("#")
                if not path or docname_join(refdoc, path) in all_docs:
                    continue
                docname = resolve_plain_name(names, refdoc, path)
                if docname is not None:
                    node["refdomain"] = "doc"
                    node["reftarget"] = docname
                    node["reftargetid"] = anchor or None
