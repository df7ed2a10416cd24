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
  of contents, with the status table and reading paths kept, and a running
  head of its own (not the "Contents" left by the table of contents);
* a folder without an index page (a chapter folder without README) is a
  division named after its folder, its first page a division below it beside
  the others; without this its pages would be sections *of its first page*,
  which the HTML navigation hosts the folder's toctree on;
* each page's "Last updated" line stays at the end of the page's own content,
  before the pages its toctree includes (not after all of them);
* chapters and parts open on the next page, not the next right-hand page
  (``openany``), unless ``latex_elements`` sets ``extraclassoptions``: a
  shelf of short books would otherwise be a third blank pages.
"""

from __future__ import annotations

from collections.abc import Iterator

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.texescape import escape

from sphinx_mosaic import envdata
from sphinx_mosaic.chrome import TOCTREE, is_page_footer
from sphinx_mosaic.layout.model import Folder


def _layout_active(env: BuildEnvironment) -> bool:
    layout = envdata.layout(env)
    return layout is not None and layout.active and bool(layout.books)


def _default_parts(app: Sphinx, env: BuildEnvironment) -> None:
    """Books as parts, unless ``conf.py`` chose the top-level sectioning itself; pages
    open on any page, unless it chose the class options."""
    if app.builder.format != "latex" or not _layout_active(env):
        return
    if app.config.latex_toplevel_sectioning is None:
        # Read by each LaTeX translator when it starts, after this event.
        app.config.latex_toplevel_sectioning = "part"
    context = getattr(app.builder, "context", None)
    if isinstance(context, dict) and "extraclassoptions" not in app.config.latex_elements:
        # The builder copied latex_elements into its context when it was made; each
        # document's preamble is written from the context, after this event.
        context["extraclassoptions"] = "openany"


def _holds_included_document(node: nodes.Node) -> bool:
    return any(True for _ in node.findall(addnodes.start_of_file))


def _as_rubrics(section: nodes.section) -> list[nodes.Node]:
    """A section's content with its title and those of its sub-sections as rubrics."""
    title = section.next_node(nodes.title)
    rubric = nodes.rubric(title.astext() if title else "", "", *(title.children if title else []))
    # Where the heading was written, for warnings about its text (a character the PDF
    # cannot show): the title's own line, else its section's.
    rubric.source = (title.source if title else None) or section.source
    rubric.line = (title.line if title else None) or section.line
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
        f"\\chapter*{{{name}}}\n\\addcontentsline{{toc}}{{chapter}}{{{name}}}\n"
        f"\\markboth{{{name}}}{{{name}}}\n",
        format="latex",
    )
    position = root.index(title) + 1 if title is not None else 0
    root[position:position] = [heading, *own]


def _own(node: nodes.Element) -> Iterator[nodes.Element]:
    """The elements below *node* that belong to its own document: the walk stops at
    each included document (``start_of_file``), which it yields but does not enter."""
    for child in node.children:
        if isinstance(child, nodes.Element):
            yield child
            if not isinstance(child, addnodes.start_of_file):
                yield from _own(child)


def _included(node: nodes.Element) -> list[addnodes.start_of_file]:
    return [n for n in _own(node) if isinstance(n, addnodes.start_of_file)]


def footers_before_included_pages(doctree: nodes.document) -> None:
    """Move each page's footer line before the first page its toctree includes."""
    for document in [doctree, *doctree.findall(addnodes.start_of_file)]:
        included = _included(document)
        footers = [n for n in _own(document) if is_page_footer(n)]
        if not included or not footers:
            continue
        first: nodes.Element = included[0]
        if isinstance(first.parent, nodes.compound) and TOCTREE in first.parent.get("classes", []):
            first = first.parent
        for footer in footers:
            footer.parent.remove(footer)
            parent = first.parent
            parent.insert(parent.index(first), footer)


def folders_without_index(app: Sphinx, doctree: nodes.document) -> None:
    """A folder without index page becomes a division of its own, named after it.

    Its first page hosts its toctree (what the HTML navigation opens for the
    folder), so the assembled tree has the other pages inside the first page's
    section.  Here they are taken out, and the first page and the others are
    wrapped in a new section titled with the folder's title, at the first
    page's level: each page is then one level below the folder, as in the
    layout.  A page that hosts several nested folders (a folder whose first
    entry is itself a folder without index) is left as Sphinx assembles it.
    """
    layout = envdata.layout(app.env)
    if layout is None:
        return
    by_docname = {node["docname"]: node for node in doctree.findall(addnodes.start_of_file)}
    hosts: dict[str, list[Folder]] = {}
    for folder in layout.root.folders():
        if folder is not layout.root and folder.host is not None:
            hosts.setdefault(folder.host, []).append(folder)
    for host, folders in hosts.items():
        if len(folders) != 1 or folders[0].index is not None or host not in by_docname:
            continue
        folder = folders[0]
        wrapper = by_docname[host]
        included = _included(wrapper)
        if not included or not isinstance(wrapper.parent, nodes.Element):
            continue
        for node in included:
            container = node.parent
            container.remove(node)
            if isinstance(container, nodes.compound) and not container.children:
                container.parent.remove(container)
        division = nodes.section("", nodes.title(folder.title, folder.title))
        division["ids"] = [_folder_id(folder)]
        parent = wrapper.parent
        parent.replace(wrapper, division)
        division += wrapper
        division.extend(included)


def _folder_id(folder: Folder) -> str:
    """A stable id for the section a folder becomes (for the PDF's hyperlinks)."""
    return "mosaic-folder-" + "".join(c if c.isalnum() else "-" for c in folder.path).strip("-")


def restructure(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The PDF's divisions follow the layout (see the module's docstring)."""
    if app.builder.format != "latex" or not _layout_active(app.env):
        return
    if not _holds_included_document(doctree):
        return  # not an assembled tree
    folders_without_index(app, doctree)
    footers_before_included_pages(doctree)
    shelf_as_front_matter(app, doctree, docname)


def setup_structure(app: Sphinx) -> None:
    app.connect("env-updated", _default_parts)
    app.connect("doctree-resolved", restructure)
