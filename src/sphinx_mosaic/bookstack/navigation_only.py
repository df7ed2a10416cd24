"""Which pages show nothing but their own content, recorded when each page is read.

Sphinx writes a page again when a page in its toctree changed
(``env.files_to_rebuild``), and an HTML build writes every page when the
navigation changed.  A BookStack page does not show the toctree, so such a
page need not be translated again when it was not read again, its fragment is
current, and it holds only docutils and Sphinx nodes and hidden toctrees (a
node of another component, ours included, may show an aggregate that changed).

The verdict is taken once per page at ``doctree-read``, late, on the doctree
Sphinx stores (our placeholders are still in it; post-transforms replace them
when the page is written), so neither ``-b bookstack`` nor alongside mode reads
a page back to decide.
"""

from __future__ import annotations

from collections.abc import Set

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from sphinx_mosaic import envdata

_STANDARD_NODE_MODULES = frozenset({"docutils.nodes", "sphinx.addnodes"})


def navigation_only(env: BuildEnvironment, docname: str) -> bool:
    """Whether *docname*, as read, shows nothing another page can change."""
    return docname in envdata.navigation_only(env)


def _shows_only_itself(doctree: nodes.document) -> bool:
    for node in doctree.findall(nodes.Element):
        if isinstance(node, addnodes.toctree) and not node.get("hidden"):
            return False
        if type(node).__module__ not in _STANDARD_NODE_MODULES and not _path_navigation(node):
            return False
    return True


def _path_navigation(node: nodes.Element) -> bool:
    """The reading-path boxes on every page: they depend on the path definitions only,
    and the paths component rewrites the pages of a path that changed."""
    return type(node).__name__ == "path_placeholder" and node.get("kind") == "navigation"


def _record(app: Sphinx, doctree: nodes.document) -> None:
    pages, docname = envdata.navigation_only(app.env), app.env.docname
    if _shows_only_itself(doctree):
        pages.add(docname)
    else:
        pages.discard(docname)


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    envdata.navigation_only(env).discard(docname)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment) -> None:
    envdata.navigation_only(env).update(envdata.navigation_only(other) & set(docnames))


def setup_navigation_only(app: Sphinx) -> None:
    # Late, after the components that add nodes to the page when it is read.
    app.connect("doctree-read", _record, priority=900)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
