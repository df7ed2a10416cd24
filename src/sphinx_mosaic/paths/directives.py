"""The ``path`` and ``path-overview`` directives, and the navigation placeholder.

Directives record what they need and leave *placeholders* in the doctree;
:mod:`sphinx_mosaic.paths.render` replaces the placeholders with standard
docutils nodes once every document is known, so every builder renders them.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective

from sphinx_mosaic import envdata
from sphinx_mosaic.config import option_value
from sphinx_mosaic.paths.domain import get_domain
from sphinx_mosaic.paths.model import AudiencePath, normalize_audience, parse_step, printable
from sphinx_mosaic.paths.options import PATH_NAVIGATION
from sphinx_mosaic.paths.view import parse_audiences
from sphinx_mosaic.warnings import MosaicWarning, warn


class path_placeholder(nodes.General, nodes.Element):  # docutils node classes are lower case
    """Replaced late by standard nodes.  Attributes: ``kind`` and ``refdoc``.

    ``kind`` is ``steps`` (the list of one path: ``index`` in ``refdoc``),
    ``navigation`` (the boxes of page ``refdoc``) or ``overview``.
    """


def _skip(self: Any, node: nodes.Element) -> None:
    # Only reached if a builder skipped our post-transform; placeholders have
    # no children, so nothing is lost.
    raise nodes.SkipNode


#: For every output format: visit skips, no departure needed.
PLACEHOLDER_VISITORS: tuple[Any, None] = (_skip, None)


class PathDirective(SphinxDirective):
    """``path`` *id*: an ordered reading path for one audience; one step a content line."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "title": directives.unchanged_required,
        "description": directives.unchanged,
        "audience": directives.unchanged,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        path_id = self.arguments[0].strip()
        texts = [self.options.get(name, "") for name in ("title", "description", "audience")]
        if any(printable(text) != text for text in texts):
            warn(
                MosaicWarning.PATH,
                f"path {path_id!r}: an option holds a \\u escape of a lone UTF-16 surrogate "
                "(\\ud800 to \\udfff), which is not a character; it is shown as U+FFFD",
                location=self.get_location(),
            )
        title = printable(self.options.get("title") or path_id)
        description = " ".join(printable(self.options.get("description", "")).split())
        described: list[nodes.Node] = []
        messages: list[nodes.system_message] = []
        if description:
            described, messages = self.parse_inline(description, lineno=self.lineno)
            # The overview shows the description as plain text.
            description = "".join(node.astext() for node in described)
        audiences = parse_audiences(self.options.get("audience", "")) or (
            normalize_audience(path_id),
        )
        first_line = self.first_content_line()
        steps = []
        for offset, text in enumerate(self.content):
            step = parse_step(text, first_line + offset)
            if step is not None:
                steps.append(step)
        domain = get_domain(self.env)
        index = len(domain.definitions.get(self.env.docname, []))
        anchor = self.unique_anchor(nodes.make_id(f"path-{path_id}") or f"path-{index}")
        domain.add_path(
            AudiencePath(
                id=path_id,
                title=title,
                description=description,
                audiences=audiences,
                steps=tuple(steps),
                docname=self.env.docname,
                line=self.lineno,
                anchor=anchor,
            )
        )

        container = nodes.container(classes=["mosaic-path", *self.options.get("class", [])])
        self.set_source_info(container)
        # The anchor goes on the title line through a target: LaTeX writes a label
        # for the target, HTML and BookStack (which drop containers) an id on the line.
        target = nodes.target("", "", ids=[anchor])
        self.state.document.ids[anchor] = target
        container += target
        heading = nodes.paragraph(classes=["mosaic-path-title"])
        heading += nodes.strong(title, title)
        container += heading
        if described:
            container += nodes.paragraph("", "", *described, classes=["mosaic-path-description"])
            container += messages
        container += path_placeholder(kind="steps", refdoc=self.env.docname, index=index)
        envdata.path_pages(self.env).add(self.env.docname)
        return [container]

    def first_content_line(self) -> int:
        """The source line of the first content line, for warnings about steps."""
        if type(self.state).__module__.startswith("myst_parser"):
            # MyST gives the offset of the content from the directive's opening
            # line (myst_parser/parsers/directives.py), reST an absolute 0-based one.
            return self.lineno + 1 + self.content_offset
        return self.content_offset + 1

    def unique_anchor(self, anchor: str) -> str:
        # A duplicate path id in one page (warned about) must not give a duplicate HTML id.
        ids = self.state.document.ids
        candidate, number = anchor, 1
        while candidate in ids:
            number += 1
            candidate = f"{anchor}-{number}"
        return candidate


class PathOverviewDirective(SphinxDirective):
    """``path-overview``: every path of the project, with pages for each audience."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "audience": directives.unchanged,
        "no-pages": directives.flag,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        get_domain(self.env).add_user(self.env.docname)
        audiences = parse_audiences(self.options.get("audience", ""))
        node = path_placeholder(
            kind="overview",
            refdoc=self.env.docname,
            audiences=" ".join(audiences),
            pages="no-pages" not in self.options,
            classes=self.options.get("class", []),
        )
        self.set_source_info(node)
        envdata.path_pages(self.env).add(self.env.docname)
        return [node]


class PathNavigationSlot(SphinxTransform):
    """Give every page a navigation placeholder, at the top and/or the bottom.

    Inserted at read time so assembled doctrees (LaTeX, singlehtml, texinfo)
    keep one per page with its docname; whether a page is in a path is only
    decided when the placeholder is resolved, so a changed path only needs
    pages rewritten, not re-read.
    """

    default_priority = 850  # after the layout's toctree (800), before doctree-read (880)

    def apply(self, **kwargs: Any) -> None:
        where = option_value(self.config, PATH_NAVIGATION)
        if where == "none":
            return
        docname = self.env.docname
        sections = [n for n in self.document.children if isinstance(n, nodes.section)]
        if where in ("top", "both"):
            slot = path_placeholder(kind="navigation", refdoc=docname, where="top")
            if sections:
                first = sections[0]
                has_title = len(first) > 0 and isinstance(first[0], nodes.title)
                first.insert(1 if has_title else 0, slot)
            else:
                # After the docinfo (front matter): Sphinx reads the page's metadata
                # from a docinfo that comes first, and would leave it in the page.
                position = 0
                for child in self.document.children:
                    if not isinstance(child, (nodes.PreBibliographic, nodes.docinfo)):
                        break
                    position += 1
                self.document.insert(position, slot)
        if where in ("bottom", "both"):
            slot = path_placeholder(kind="navigation", refdoc=docname, where="bottom")
            (sections[-1] if sections else self.document).append(slot)
