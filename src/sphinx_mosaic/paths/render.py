"""Replace path placeholders with standard docutils nodes, late.

:class:`PathResolver` runs before Sphinx resolves references (priority 5 <
10), so the links it makes are ``pending_xref`` nodes that
:class:`~sphinx_mosaic.paths.domain.PathDomain` turns into references with the
builder of the moment.  Only standard nodes come out (paragraph, strong,
inline, enumerated and bullet lists, container), so html, LaTeX, text, man,
texinfo, epub and the BookStack builder all render them with their stock
visitors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.texescape import tex_replace_map

from sphinx_mosaic import envdata
from sphinx_mosaic.chrome import PATH_NAVIGATION as NAVIGATION_CLASS
from sphinx_mosaic.config import option_value
from sphinx_mosaic.paths.directives import path_placeholder
from sphinx_mosaic.paths.domain import doc_xref, path_xref
from sphinx_mosaic.paths.model import ResolvedPath, ResolvedStep
from sphinx_mosaic.paths.options import PATH_NAVIGATION
from sphinx_mosaic.paths.view import PathsView, current_view, page_title, parse_audiences
from sphinx_mosaic.status import make_badge

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

#: Message catalog of the paths (no translations shipped yet; strings fall back to English).
_ = get_translation("sphinx_mosaic_paths")

#: A status key -> a fresh badge node.
BadgeMaker = Callable[[str], nodes.Node]


def badge_maker(env: BuildEnvironment) -> BadgeMaker:
    """Badges of the status component (a neutral badge for a key it does not know)."""

    def make(key: str) -> nodes.Node:
        return make_badge(env, key)

    return make


def step_item(step: ResolvedStep, refdoc: str, make: BadgeMaker) -> nodes.list_item:
    item = nodes.list_item(classes=["mosaic-path-step"])
    para = nodes.paragraph()
    item += para
    if step.planned:
        item["classes"].append("mosaic-path-planned")
        para += nodes.inline(step.label, step.label, classes=["mosaic-path-label"])
        para += nodes.Text(" ")
        para += make("planned")
    elif step.docname is None:
        # An unknown page (warned about): keep the text, never a broken link.
        item["classes"].append("mosaic-path-missing")
        para += nodes.inline(step.label, step.label, classes=["mosaic-path-label"])
    else:
        label = nodes.inline(step.label, step.label, classes=["mosaic-path-label"])
        para += doc_xref(step.docname, refdoc, label)
        if step.status:
            para += nodes.Text(" ")
            para += make(step.status)
    if step.note:
        para += nodes.Text(" — ")
        para += nodes.inline(step.note, step.note, classes=["mosaic-path-note"])
    return item


def steps_list(path: ResolvedPath, refdoc: str, make: BadgeMaker) -> nodes.enumerated_list:
    listing = nodes.enumerated_list(
        enumtype="arabic", prefix="", suffix=".", classes=["mosaic-path-steps"]
    )
    for step in path.steps:
        listing += step_item(step, refdoc, make)
    return listing


def navigation_line(path: ResolvedPath, index: int, refdoc: str) -> nodes.paragraph:
    """``For New Users — step 2 of 3: ← Quick Start | Environment Configuration →``.

    Planned steps count in "of m" and in n (the numbers match the path's
    list); previous and next skip them, as they have no page yet.
    """
    step = path.steps[index]
    para = nodes.paragraph(classes=[f"{NAVIGATION_CLASS}-line"])
    para += path_xref(path.id, refdoc, nodes.strong(path.title, path.title))
    where = _("step %(n)d of %(m)d") % {"n": step.number, "m": len(path.steps)}
    para += nodes.Text(f" — {where}")
    previous, following = path.neighbours(index)
    if previous is None and following is None:
        return para
    para += nodes.Text(": ")
    if previous is not None and previous.docname is not None:
        text = f"← {previous.label}"
        para += nodes.inline(
            "",
            "",
            doc_xref(previous.docname, refdoc, nodes.inline(text, text)),
            classes=["mosaic-path-previous"],
        )
    if previous is not None and following is not None:
        para += nodes.Text(" | ")
    if following is not None and following.docname is not None:
        text = f"{following.label} →"
        para += nodes.inline(
            "",
            "",
            doc_xref(following.docname, refdoc, nodes.inline(text, text)),
            classes=["mosaic-path-next"],
        )
    return para


def navigation_box(view: PathsView, page: str, where: str) -> nodes.container | None:
    lines = [navigation_line(path, index, page) for path, index in view.paths_of(page)]
    if not lines:
        return None
    # LaTeX opens one sphinxuseclass environment per class; only NAVIGATION_CLASS's
    # (mosaic-path-nav) is defined there (a small framed line), the other is a no-op.
    box = nodes.container(classes=[NAVIGATION_CLASS, f"{NAVIGATION_CLASS}-{where}"])
    box.extend(lines)
    return box


def _links(env: BuildEnvironment, docnames: list[str], refdoc: str) -> list[nodes.Node]:
    result: list[nodes.Node] = []
    for position, docname in enumerate(docnames):
        if position:
            result.append(nodes.Text(", "))
        title = page_title(env, docname)
        result.append(doc_xref(docname, refdoc, nodes.inline(title, title)))
    return result


def overview(env: BuildEnvironment, view: PathsView, node: path_placeholder) -> nodes.Element:
    refdoc = node["refdoc"]
    wanted = set(parse_audiences(node.get("audiences", "")))
    show_pages = bool(node.get("pages", True))
    listing = nodes.bullet_list(classes=["mosaic-path-overview", *node.get("classes", [])])
    shown_audiences: set[str] = set()
    for path in view.paths:
        if wanted and not wanted & set(path.audiences):
            continue
        item = nodes.list_item(classes=["mosaic-path-overview-item"])
        listing += item
        para = nodes.paragraph()
        item += para
        para += path_xref(path.id, refdoc, nodes.strong(path.title, path.title))
        count = len(path.steps)
        para += nodes.Text(" (" + (_("1 step") if count == 1 else _("%d steps") % count) + ")")
        if path.description:
            para += nodes.Text(f" — {path.description}")
        first = next((step for step in path.steps if step.docname is not None), None)
        if first is not None and first.docname is not None:
            start = nodes.paragraph(classes=["mosaic-path-overview-start"])
            start += nodes.Text(_("Start with") + " ")
            start += doc_xref(first.docname, refdoc, nodes.inline(first.label, first.label))
            item += start
        if show_pages:
            for audience in path.audiences:
                if audience in shown_audiences:
                    continue
                shown_audiences.add(audience)
                pages = view.off_path_pages(audience)
                if pages:
                    more = nodes.paragraph(classes=["mosaic-path-overview-pages"])
                    more += nodes.Text(_("More for this audience:") + " ")
                    more.extend(_links(env, pages, refdoc))
                    item += more
    if show_pages:
        # Audiences that have pages but no path yet.
        audiences = dict.fromkeys(a for values in view.audiences.values() for a in values)
        for audience in audiences:
            if audience in shown_audiences or (wanted and audience not in wanted):
                continue
            pages = view.off_path_pages(audience)
            if not pages:
                continue
            item = nodes.list_item(classes=["mosaic-path-overview-item"])
            listing += item
            para = nodes.paragraph()
            item += para
            title = view.audience_titles.get(audience, audience.replace("-", " ").capitalize())
            para += nodes.strong(title, title)
            para += nodes.Text(" — " + _("pages for this audience:") + " ")
            para.extend(_links(env, pages, refdoc))
    if not listing.children:
        text = _("No reading paths yet.")
        return nodes.paragraph(text, text, classes=["mosaic-path-overview-empty"])
    return listing


def navigation_slots(tree: nodes.Node) -> list[path_placeholder]:
    """The path placeholders of *tree* outside text elements, in document order.

    Navigation slots are children of a document or a section (in assembled trees, of
    the sections and appendix documents of every page), so the walk never enters a
    text element (paragraph, title, literal block and the like): those hold inline
    nodes only, and most of a page's nodes.  About four times faster than ``findall``.
    """
    found: list[path_placeholder] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, path_placeholder):
            found.append(node)
        elif not isinstance(node, (nodes.TextElement, nodes.Text)):
            stack.extend(reversed(node.children))
    return found


class PathResolver(SphinxPostTransform):
    """Turn every path placeholder into standard nodes for the current builder."""

    default_priority = 5  # before ReferencesResolver (10) resolves our pending_xrefs

    def run(self, **kwargs: Any) -> None:
        if not envdata.path_pages(self.env):
            # No document defines a path or shows the overview (any document, not this
            # one: LaTeX, singlehtml and texinfo resolve one tree assembled from many).
            # The only placeholders are then navigation slots, and with no path each
            # one goes.
            if option_value(self.config, PATH_NAVIGATION) != "none":
                for slot in navigation_slots(self.document):
                    slot.parent.remove(slot)
            return
        placeholders = list(self.document.findall(path_placeholder))
        if not placeholders:
            return
        view = current_view(self.env)
        make = badge_maker(self.env)
        for node in placeholders:
            kind = node["kind"]
            replacement: nodes.Node | None = None
            if kind == "navigation":
                replacement = navigation_box(view, node["refdoc"], node.get("where", "top"))
            elif kind == "steps":
                path = view.definition(node["refdoc"], node["index"])
                if path is not None:
                    replacement = steps_list(path, node["refdoc"], make)
            elif kind == "overview":
                replacement = overview(self.env, view, node)
            if replacement is None:
                node.parent.remove(node)
            else:
                node.replace_self(replacement)


class PathPageReferences(SphinxPostTransform):
    """In LaTeX, follow each linked step with its page: "Quick Start (page 3)".

    Runs after references are resolved (priority 10), so only steps whose page
    is in the PDF (a resolved ``%docname`` link) get one.
    """

    default_priority = 11
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for listing in self.document.findall(nodes.enumerated_list):
            if "mosaic-path-steps" not in listing["classes"]:
                continue
            for reference in list(listing.findall(nodes.reference)):
                refuri = reference.get("refuri", "")
                if not refuri.startswith("%"):
                    continue
                label = f"{refuri[1:]}::doc".translate(tex_replace_map)
                label = label.encode("ascii", "backslashreplace").decode("ascii")
                pageref = rf" (\autopageref*{{\detokenize{{{label.replace(chr(92), '_')}}}}})"
                parent = reference.parent
                parent.insert(parent.index(reference) + 1, nodes.raw("", pageref, format="latex"))
