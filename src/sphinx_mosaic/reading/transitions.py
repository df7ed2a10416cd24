"""Tidy ``---`` rules left behind by merged Markdown files.

Trees assembled from several files often carry horizontal rules (``---``)
back to back, or at the very start or end of a section.  docutils rejects
both with a warning that ``suppress_warnings`` cannot silence ("At least one
body element must separate transitions").  A rule in those places draws
nothing a reader would miss, so this transform, running just before
docutils' own check, keeps one rule of each run and drops rules at section
edges.  ``mosaic_tidy_transitions = False`` turns it off.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from sphinx_mosaic.config import Option, declare

declare(
    Option(
        "tidy_transitions",
        True,
        "Drop ``---`` rules that docutils rejects: repeated rules and rules at the start or "
        "end of a section (merged-file artefacts). Nothing else is changed.",
        types=(bool,),
    ),
)


class TidyTransitions(SphinxTransform):
    # docutils' misc.Transitions, which warns about these, runs at 830.
    default_priority = 820

    def apply(self, **kwargs: Any) -> None:
        if not self.config.mosaic_tidy_transitions:
            return
        for container in [self.document, *self.document.findall(nodes.section)]:
            self.tidy(container)

    @staticmethod
    def tidy(container: nodes.Element) -> None:
        children = container.children
        body = [
            child
            for child in children
            if not isinstance(child, (nodes.title, nodes.subtitle, nodes.section))
        ]
        removable: list[nodes.Node] = []
        previous_was_rule = True  # a rule first in the body is removable
        for child in body:
            if isinstance(child, nodes.transition):
                if previous_was_rule:
                    removable.append(child)
                previous_was_rule = True
            elif not isinstance(
                child, (nodes.comment, nodes.target, nodes.substitution_definition)
            ):
                previous_was_rule = False
        # A rule last in the body (before sub-sections or the end) is removable too.
        trailing = [c for c in body if not isinstance(c, (nodes.comment, nodes.target))]
        if trailing and isinstance(trailing[-1], nodes.transition):
            removable.append(trailing[-1])
        for node in {id(node): node for node in removable}.values():
            container.remove(node)


def setup_transitions(app: Sphinx) -> None:
    app.add_transform(TidyTransitions)
