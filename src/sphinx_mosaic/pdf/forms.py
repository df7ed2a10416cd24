"""Other extensions' constructs in the PDF, where they have no LaTeX rendering of their own.

sphinx-design renders its tabs in LaTeX (each label an unnumbered heading), but
not everything: a card's title comes out as plain text, a paragraph holding
only icons as an empty paragraph.  sphinx-inline-tabs renders nothing of a
tab's label (Sphinx's LaTeX writer skips a ``label`` outside footnotes), so
the tabs' contents follow one another with nothing telling them apart.  This
post-transform, for the ``latex`` format only, gives each the form the
BookStack output gives it: the tab's label as an unnumbered heading (a rubric,
as sphinx-design's own tabs), the card's title in bold, and no icon-only
paragraph.  The nodes are recognised by class name and sphinx-design's
``design_component`` attribute, so none of these extensions has to be
installed.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_mosaic.other_extensions import design_component, is_inline_tab, only_icons


class LatexForms(SphinxPostTransform):
    default_priority = 400
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(nodes.Element)):
            if is_inline_tab(node):
                _label_as_rubric(node)
            elif design_component(node) == "card-title":
                _bold_title(node)
            elif isinstance(node, nodes.paragraph) and only_icons(node) and node.parent:
                node.parent.remove(node)


def _label_as_rubric(tab: nodes.Element) -> None:
    for child in tab.children:
        if isinstance(child, nodes.label):
            rubric = nodes.rubric(child.astext(), "", *child.children)
            tab.replace(child, rubric)
            return


def _bold_title(title: nodes.Element) -> None:
    if any(isinstance(child, nodes.strong) for child in title.children):
        return
    strong = nodes.strong("", "", *title.children)
    title.children = []
    title += strong


def setup_latex_forms(app: Sphinx) -> None:
    app.add_post_transform(LatexForms)
