"""The PDF follows the shelf: books are parts, the shelf page is front matter.

Sphinx's LaTeX builder assembles the root document and every document its
toctrees include into one tree.  The root document's title becomes the PDF's
title and its other sections become top-level divisions, so on a shelf the
root page's own sections ("Books", "Documentation status") would come out as
chapters of their own, mostly empty pages before the first book.  Here, for
the numbered layout only:

* ``latex_toplevel_sectioning`` defaults to ``"part"`` (when ``conf.py`` leaves
  it unset), so a book is a ``\\part``, a chapter folder or a page directly in a
  book a ``\\chapter``, and a page of a chapter a ``\\section``;
* in the assembled tree the root page's own content (everything but the books
  its toctree includes) is moved before the first book and its sections become
  unnumbered headings (rubrics), under one unnumbered ``\\chapter*`` named after
  the shelf and listed in the table of contents: front matter after the table
  of contents, with the status table and reading paths kept.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.texescape import escape

from sphinx_mosaic.layout.extension import get_layout


def _layout_active(env: BuildEnvironment) -> bool:
    layout = get_layout(env)
    return layout is not None and layout.active and bool(layout.books)


def _default_parts(app: Sphinx, env: BuildEnvironment) -> None:
    """Books as parts, unless ``conf.py`` chose the top-level sectioning itself."""
    if app.builder.format != "latex" or not _layout_active(env):
        return
    if app.config.latex_toplevel_sectioning is None:
        # Read by each LaTeX translator when it starts, after this event.
        app.config.latex_toplevel_sectioning = "part"


def _holds_included_document(node: nodes.Node) -> bool:
    return any(True for _ in node.findall(addnodes.start_of_file))


def _as_rubrics(section: nodes.section) -> list[nodes.Node]:
    """A section's content with its title and those of its sub-sections as rubrics."""
    title = section.next_node(nodes.title)
    rubric = nodes.rubric(title.astext() if title else "", "", *(title.children if title else []))
    result: list[nodes.Node] = [rubric]
    for child in section.children:
        if child is title:
            continue
        if isinstance(child, nodes.section):
            result += _as_rubrics(child)
        else:
            result.append(child)
    return result


def shelf_as_front_matter(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Rework the assembled tree of the PDF (see the module's docstring)."""
    if app.builder.format != "latex" or not _layout_active(app.env):
        return
    root = doctree.next_node(nodes.section)
    if root is None or not _holds_included_document(doctree):
        return  # not an assembled tree of the whole shelf
    title = root.next_node(nodes.title)
    own: list[nodes.Node] = []
    for child in list(root.children):
        if child is title or _holds_included_document(child):
            continue
        root.remove(child)
        own += _as_rubrics(child) if isinstance(child, nodes.section) else [child]
    if not own:
        return
    name = escape(title.astext()) if title is not None else ""
    heading = nodes.raw(
        "",
        f"\\chapter*{{{name}}}\n\\addcontentsline{{toc}}{{chapter}}{{{name}}}\n",
        format="latex",
    )
    position = root.index(title) + 1 if title is not None else 0
    root[position:position] = [heading, *own]


def setup_pdf(app: Sphinx) -> None:
    app.connect("env-updated", _default_parts)
    app.connect("doctree-resolved", shelf_as_front_matter)
