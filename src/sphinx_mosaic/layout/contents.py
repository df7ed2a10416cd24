"""The ``mosaic-contents`` directive: the shelf's books, or a book's chapters.

Renders what teams write by hand as the "Books" list of a shelf README: each
entry's linked title and its first-paragraph description.  The directive
leaves a placeholder; a post-transform fills it once every page has been read,
and the pages that show it are rewritten whenever a document was re-read, so
titles and descriptions stay current on incremental builds.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from sphinx_mosaic import envdata
from sphinx_mosaic.chrome import EXTRA_ENTRY
from sphinx_mosaic.layout.collector import descriptions
from sphinx_mosaic.layout.model import Folder, Page
from sphinx_mosaic.layout.resolve import resolver_for
from sphinx_mosaic.rewrites import add_reason
from sphinx_mosaic.warnings import MosaicWarning, warn


class contents_placeholder(nodes.General, nodes.Element):
    """Replaced by a bullet list in every builder; never reaches a translator."""


class ContentsDirective(SphinxDirective):
    """``{mosaic-contents}`` [folder]: list a folder's books, chapters and pages.

    Without an argument it lists the folder of the page it is on (the shelf's
    books on the shelf page).  ``:descriptions: no`` leaves out descriptions.
    """

    optional_arguments = 1
    final_argument_whitespace = False
    option_spec: ClassVar[dict[str, Any]] = {
        "descriptions": lambda value: directives.choice(value or "yes", ("yes", "no")),
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        node = contents_placeholder(
            folder=self.arguments[0] if self.arguments else "",
            descriptions=self.options.get("descriptions", "yes") == "yes",
            docname=self.env.docname,
            classes=["mosaic-contents", *self.options.get("class", [])],
        )
        self.set_source_info(node)
        envdata.contents_pages(self.env).add(self.env.docname)
        return [node]


class ContentsResolver(SphinxPostTransform):
    # Before Sphinx's ReferencesResolver (10), which resolves the links made here.
    default_priority = 8

    def run(self, **kwargs: Any) -> None:
        if not envdata.contents_pages(self.env):
            # No document holds a contents list: no walk of the tree.  Any document, not
            # this one: LaTeX, singlehtml and texinfo resolve one tree assembled from many.
            return
        for node in list(self.document.findall(contents_placeholder)):
            rendered = self.render(node)
            if rendered:
                node.replace_self(rendered)
            else:
                # replace_self([]) asserts that no classes are lost: remove instead.
                node.parent.remove(node)

    def folder_for(self, node: contents_placeholder) -> Folder | None:
        """The folder the directive names (by the one name resolver), or its page's folder."""
        layout = envdata.layout(self.env)
        if layout is None or not layout.active:
            return None
        docname: str = node["docname"]
        wanted: str = node["folder"]
        if not wanted:
            return layout.folder_of(docname)
        return resolver_for(self.env).folder(wanted, docname)

    def render(self, node: contents_placeholder) -> list[nodes.Node]:
        folder = self.folder_for(node)
        if folder is None:
            warn(
                MosaicWarning.TOCTREE,
                f"mosaic-contents: no layout folder {node['folder'] or node['docname']!r} "
                "(name a book or chapter by its path or number-free name)",
                location=node,
            )
            return []
        layout = envdata.layout(self.env)
        assert layout is not None
        items = nodes.bullet_list(classes=node["classes"])
        texts = descriptions(self.env)
        for child in folder.children:
            if isinstance(child, Folder) and child.kind == "extra" and layout.unnumbered != "after":
                continue
            target = child.docname if isinstance(child, Page) else child.host
            if target is None or target == folder.host:
                continue
            item = nodes.list_item()
            if isinstance(child, Folder) and child.kind == "extra":
                # The BookStack output leaves extras out unless told otherwise (its
                # translator drops such entries rather than link nowhere).
                item["classes"].append(EXTRA_ENTRY)
            paragraph = nodes.paragraph()
            title = nodes.inline(text=child.title)
            paragraph += self.link(node["docname"], target, title)
            item += paragraph
            description = texts.get(target) if node["descriptions"] else None
            if description:
                item += nodes.paragraph(text=description)
            items += item
        return [items]

    def link(self, fromdocname: str, target: str, content: nodes.Element) -> nodes.Element:
        # A pending reference, resolved by Sphinx right after this transform,
        # so every builder (assembled LaTeX and texinfo too) links its own way.
        xref = addnodes.pending_xref(
            "",
            content,
            refdomain="std",
            reftype="doc",
            reftarget="/" + target,
            refdoc=fromdocname,
            refexplicit=True,
            refwarn=True,
        )
        return xref


def _rewrite_contents_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    if not envdata.docs_read(env):
        return []
    envdata.set_docs_read(env, False)
    return sorted(envdata.contents_pages(env) & env.found_docs)


def _note_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    envdata.set_docs_read(env, bool(docnames))


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    envdata.contents_pages(env).discard(docname)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    envdata.contents_pages(env).update(envdata.contents_pages(other) & docnames)


def setup_contents(app: Sphinx) -> None:
    app.add_node(contents_placeholder)
    app.add_directive("mosaic-contents", ContentsDirective)
    app.add_post_transform(ContentsResolver)
    app.connect("env-before-read-docs", _note_read)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    add_reason(app, "contents", _rewrite_contents_pages)
