"""Diagrams and formulas in the doctree replaced, per output format.

* ``bookstack``: Graphviz and inheritance diagrams, Mermaid (MyST fences and
  sphinxcontrib-mermaid's nodes) and maths become ``image`` nodes naming the
  cached PNG (by a path relative to the source folder, as any image), with the
  source as alt text; the
  BookStack assembler reads that file and puts it in the ZIP like any image.
  Alongside mode gets the same images: it resolves the doctrees with the
  BookStack builder, so this post-transform runs there too.
* ``latex``: Mermaid becomes the cached PNG (LaTeX draws Graphviz and maths
  itself).
* ``html``: Mermaid fences become sphinxcontrib-mermaid nodes when that
  extension is loaded, so the page shows the diagram.

What cannot be drawn stays as it was, or becomes a code block of its source.
Post-transforms run on a resolved copy of each doctree, so the environment's
doctrees (and every other builder) keep the sources.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.ext.graphviz import graphviz
from sphinx.ext.inheritance_diagram import get_graph_hash, inheritance_diagram
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_mosaic import envdata
from sphinx_mosaic.config import option_value
from sphinx_mosaic.diagrams.drawer import Drawer, Drawn, drawer_of, draws
from sphinx_mosaic.diagrams.options import DIAGRAMS
from sphinx_mosaic.walk import elements
from sphinx_mosaic.warnings import MosaicWarning, warn

MERMAID_MODULE = "sphinxcontrib.mermaid"


def is_mermaid_fence(node: nodes.Node) -> bool:
    return isinstance(node, nodes.literal_block) and node.get("language") == "mermaid"


def is_mermaid_node(node: nodes.Node) -> bool:
    cls = type(node)
    return cls.__name__ == "mermaid" and cls.__module__.startswith(MERMAID_MODULE)


def mermaid_source(node: nodes.Element) -> str:
    return str(node["code"]) if is_mermaid_node(node) else node.astext()


def is_mermaid(node: nodes.Node) -> bool:
    """A MyST Mermaid fence or a sphinxcontrib-mermaid node."""
    return is_mermaid_fence(node) or is_mermaid_node(node)


def mermaid_nodes(doctree: nodes.Node) -> list[nodes.Element]:
    """Every Mermaid diagram in *doctree*, in order."""
    return [node for node in elements(doctree) if is_mermaid(node)]


def mermaid_sources(doctree: nodes.Node) -> list[str]:
    """Every Mermaid diagram's source in *doctree*, in order."""
    return [mermaid_source(node) for node in mermaid_nodes(doctree)]


def drawing_uri(path: Path, srcdir: Path) -> str:
    """The image URI of a cached drawing: relative to the source folder, as every image
    URI is, so output and fragments stay valid when the checkout (sources and build
    folder together) moves; absolute when there is no relative path (another drive)."""
    try:
        return Path(os.path.relpath(path, srcdir)).as_posix()
    except ValueError:
        return path.as_posix()


def _image(drawn: Drawn, alt: str, old: nodes.Element, srcdir: Path) -> nodes.image:
    uri = drawing_uri(drawn.path, srcdir)
    image = nodes.image(alt, uri=uri, alt=alt, candidates={"image/png": uri})
    image.source, image.line = old.source, old.line
    image["ids"] = list(old.get("ids", []))
    image["classes"] = [*old.get("classes", []), "mosaic-drawing"]
    if "align" in old and not isinstance(old.parent, nodes.figure):
        image["align"] = old["align"]
    if drawn.size is not None:
        image["width"], image["height"] = (f"{side}px" for side in drawn.size)
    return image


def _code(source: str, language: str, old: nodes.Element) -> nodes.literal_block:
    block = nodes.literal_block(source, source, language=language)
    block.source, block.line = old.source, old.line
    block["ids"] = list(old.get("ids", []))
    return block


def _in_title(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, (nodes.title, nodes.subtitle)):
            return True
        parent = parent.parent
    return False


class _Drawings(SphinxPostTransform):
    """Shared by the format-specific transforms below."""

    # After references are resolved (10) and before images are chosen per builder.
    default_priority = 150

    @property
    def drawer(self) -> Drawer:
        return drawer_of(self.env)

    def _mermaid(self, node: nodes.Element) -> None:
        source = mermaid_source(node)
        drawn = self.drawer.mermaid(source, node)
        if drawn is not None:
            alt = (
                str(node.get("alt") or source.strip()) if is_mermaid_node(node) else source.strip()
            )
            node.replace_self(_image(drawn, alt, node, self.env.srcdir))
        elif is_mermaid_node(node):
            node.replace_self(_code(source, "mermaid", node))

    def _draw_mermaid(self, found: list[nodes.Element]) -> None:
        """Replace the page's Mermaid nodes *found*, drawn in one CLI run for the whole
        page (the build's diagrams were drawn at write-started)."""
        self.drawer.prepare_mermaid([mermaid_source(node) for node in found])
        for node in found:
            self._mermaid(node)


class BookStackDrawings(_Drawings):
    formats = ("bookstack",)

    def run(self, **kwargs: Any) -> None:
        if not self.drawer.enabled:
            return
        # One walk of the page sorts what is drawn (this runs on every page of every
        # bookstack and alongside build; most pages have nothing to draw).
        mermaid: list[nodes.Element] = []
        others: list[nodes.Element] = []
        for node in elements(self.document):
            if is_mermaid(node):
                mermaid.append(node)
            elif isinstance(node, (inheritance_diagram, graphviz)) or (
                isinstance(node, (nodes.math, nodes.math_block)) and not _in_title(node)
            ):
                others.append(node)
        self._draw_mermaid(mermaid)
        for node in others:
            if isinstance(node, inheritance_diagram):
                self._inheritance(node)
            elif isinstance(node, graphviz):
                self._graphviz(node)
            else:
                self._math(node)

    def _dot_program(self, node: nodes.Element) -> str:
        options: dict[str, Any] = node.get("options", {})
        return str(options.get("graphviz_dot") or self.config.graphviz_dot)

    def _graphviz(self, node: nodes.Element) -> None:
        code = str(node["code"])
        options: dict[str, Any] = node.get("options", {})
        docname = str(options.get("docname", self.env.docname))
        cwd = (Path(self.env.srcdir) / docname).parent
        drawn = self.drawer.graphviz(code, self._dot_program(node), cwd, node)
        if drawn is None:
            node.replace_self(_code(code, "dot", node))
        else:
            node.replace_self(_image(drawn, str(node.get("alt") or code), node, self.env.srcdir))

    def _inheritance(self, node: inheritance_diagram) -> None:
        graph = node["graph"]
        name = f"inheritance{get_graph_hash(node)}"
        code = str(graph.generate_dot(name, env=self.env))
        drawn = self.drawer.graphviz(code, str(self.config.graphviz_dot), None, node)
        if drawn is None:
            node.replace_self(_code(code, "dot", node))
            return
        alt = f"Inheritance diagram of {node.get('content', '')}".strip()
        node.replace_self(_image(drawn, alt, node, self.env.srcdir))

    def _math(self, node: nodes.Element) -> None:
        inline = isinstance(node, nodes.math)
        if node.get("nowrap"):
            return  # raw LaTeX for a LaTeX environment: no formula of its own to draw
        latex = node.astext().strip()
        if not latex:
            return
        drawn = self.drawer.math(latex, inline, node)
        if drawn is not None:
            node.replace_self(_image(drawn, latex, node, self.env.srcdir))


class LaTeXDrawings(_Drawings):
    """Mermaid in the PDF; the image file is copied to the LaTeX folder as
    Sphinx copies any image: by naming it in the environment's images."""

    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        if not self.drawer.enabled:
            return
        self._draw_mermaid(mermaid_nodes(self.document))
        for image in self.document.findall(nodes.image):
            if "mosaic-drawing" in image["classes"]:
                self.env.images.add_file(self.env.docname, image["uri"])


class HtmlMermaid(SphinxPostTransform):
    """MyST's Mermaid fences as sphinxcontrib-mermaid diagrams."""

    formats = ("html",)
    default_priority = 150

    def drawer_draws_mermaid(self) -> bool:
        return draws(option_value(self.config, DIAGRAMS), "mermaid")

    def run(self, **kwargs: Any) -> None:
        if not envdata.mermaid_sources(self.env):
            # No document holds a Mermaid diagram (noted when it is read): no walk of the
            # page.  Any document, not this one: singlehtml resolves one assembled tree.
            return
        # Loaded in this application (by conf.py or by another extension): it registered
        # its html visitor.  Sphinx 9 reaches the registry from the environment, 8 from the app.
        registry = getattr(self.env, "_registry", None) or self.env.app.registry
        if "mermaid" not in registry.translation_handlers.get("html", {}):
            # Shown as code: say so at each diagram, as the BookStack and LaTeX builds do
            # when they cannot draw it (unless Mermaid is kept as code on purpose).
            if self.drawer_draws_mermaid():
                for node in self.document.findall(nodes.literal_block):
                    if is_mermaid_fence(node):
                        warn(
                            MosaicWarning.RENDERER,
                            "this Mermaid diagram is kept as code in HTML: sphinxcontrib-mermaid "
                            "is not loaded (pip install sphinxcontrib-mermaid and add "
                            "'sphinxcontrib.mermaid' to extensions); or leave 'mermaid' out of "
                            "mosaic_diagrams to keep such drawings as code without a warning",
                            location=node,
                        )
            return
        from sphinxcontrib.mermaid import mermaid

        for node in list(self.document.findall(nodes.literal_block)):
            if is_mermaid_fence(node):
                diagram = mermaid()
                diagram["code"], diagram["options"] = node.astext(), {}
                diagram.source, diagram.line = node.source, node.line
                node.replace_self(diagram)
