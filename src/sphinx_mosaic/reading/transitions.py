"""Tidy ``---`` rules left behind by merged Markdown files.

Trees assembled from several files often carry horizontal rules (``---``)
back to back, right after a heading, or at the very end of a page.  docutils
rejects those three with an error that ``suppress_warnings`` cannot silence
("At least one body element must separate transitions", "Document or section
may not begin with a transition", "Document may not end with a transition").
A rule in those places draws nothing a reader would miss, so this transform,
running just before docutils' own check (``misc.Transitions``), keeps one
rule of each run and drops a rule that starts a section or ends the page.

Every other rule stays, the rule before a heading included: docutils accepts
it (a rule that ends a section is moved after the section, between it and
the next one), and writers use it to set sections apart.
``mosaic_tidy_transitions = False`` turns the transform off.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from sphinx_mosaic.config import Option, declare, option_value

TIDY_TRANSITIONS = Option(
    "tidy_transitions",
    True,
    "Drop ``---`` rules that docutils rejects: repeated rules, a rule that starts a "
    "section and a rule that ends the page (merged-file artefacts). Nothing else is "
    "changed.",
    types=(bool,),
)

#: This module's options: :func:`setup_transitions` declares them, importing the module does not.
OPTIONS = (TIDY_TRANSITIONS,)


class TidyTransitions(SphinxTransform):
    # docutils' misc.Transitions, which warns about these, runs at 830.
    default_priority = 820

    def apply(self, **kwargs: Any) -> None:
        if not option_value(self.config, TIDY_TRANSITIONS):
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
        # A rule last on the page, with nothing after it at any level, is removable too.
        # (A rule last in a section that other sections follow is not: docutils moves it
        # between the two sections.)
        if children and isinstance(children[-1], nodes.transition) and _ends_page(container):
            removable.append(children[-1])
        for node in {id(node): node for node in removable}.values():
            container.remove(node)


def _ends_page(node: nodes.Element) -> bool:
    """Whether nothing follows *node* in its document, at any level."""
    while node.parent is not None:
        parent = node.parent
        if parent.index(node) != len(parent) - 1:
            return False
        node = parent
    return True


def setup_transitions(app: Sphinx) -> None:
    declare(*OPTIONS)
    app.add_transform(TidyTransitions)
