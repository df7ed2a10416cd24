"""What the BookStack builder offers extensions' ``html`` visitors.

The translator falls back to another extension's ``html`` visitor for a node
it has no visitor of its own for (:mod:`~sphinx_mosaic.bookstack.translate.translator`).
Such visitors were written against Sphinx's HTML builders and read their
attributes: ``sphinx.ext.inheritance_diagram`` reads ``out_suffix``,
``sphinx.ext.graphviz`` ``imgpath`` and ``imagedir``, the math extensions
``math_renderer_name``, others ``highlighter``, ``dlpath`` or ``images``.
:class:`HTMLBuilderAttributes` gives the builder those attributes with the
values a standalone HTML build would have, so the visitors run; what they write
is then cleaned with BookStack's rules like any HTML we did not write.

The ``html_*`` configuration values need nothing here: Sphinx registers them
for every builder.
"""

from __future__ import annotations

from typing import Any

from sphinx.highlighting import PygmentsBridge

#: Folder of the output folder that visitors write their images into
#: (graphviz, inheritance diagrams), as Sphinx's HTML builders name it.
IMAGE_FOLDER = "_images"
#: Same, for downloads.
DOWNLOAD_FOLDER = "_downloads"


class HTMLBuilderAttributes:
    """Attributes of ``StandaloneHTMLBuilder`` that extensions' visitors read."""

    config: Any
    _registry: Any
    app: Any

    out_suffix = ".html"
    link_suffix = ".html"
    #: Relative to the page; our pages are not in folders, so the folder itself.
    imgpath = IMAGE_FOLDER
    dlpath = DOWNLOAD_FOLDER
    download_support = True
    add_permalinks = False
    embedded = False
    #: Set by :meth:`init_html_attributes`; a class default for visitors run before.
    highlighter: PygmentsBridge | None = None
    imagedir: str

    def init_html_attributes(self) -> None:
        """Set what ``Builder.__init__`` sets otherwise (call from the builder's ``init``)."""
        self.imagedir = IMAGE_FOLDER
        style = getattr(self.config, "pygments_style", None) or "sphinx"
        self.highlighter = PygmentsBridge("html", style)

    @property
    def math_renderer_name(self) -> str | None:
        """The math renderer an HTML build would pick (as ``StandaloneHTMLBuilder``)."""
        name = getattr(self.config, "html_math_renderer", None)
        if name:
            return str(name)
        # Sphinx 9 keeps the registry on the builder; Sphinx 8.0 only on the application.
        registry = getattr(self, "_registry", None) or self.app.registry
        renderers = list(registry.html_inline_math_renderers)
        if len(renderers) == 1:
            return str(renderers[0])
        if len(renderers) == 2 and "mathjax" in renderers:
            renderers.remove("mathjax")
            return str(renderers[0])
        return None


__all__ = ["DOWNLOAD_FOLDER", "IMAGE_FOLDER", "HTMLBuilderAttributes"]
