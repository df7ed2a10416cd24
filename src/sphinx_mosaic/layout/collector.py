"""Per-document data the layout needs from the doctrees: descriptions.

A page's description is the plain text of its first paragraph
(:func:`sphinx_mosaic.chrome.first_paragraph`, the rule the BookStack book and
chapter descriptions follow), shown by the contents lists.  Stored on the
environment per docname and merged after parallel reads.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector

from sphinx_mosaic import envdata
from sphinx_mosaic.chrome import first_paragraph


def descriptions(env: BuildEnvironment) -> dict[str, str]:
    """docname -> description, for every document read."""
    return envdata.descriptions(env)


class DescriptionCollector(EnvironmentCollector):
    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        descriptions(env).pop(docname, None)

    def merge_other(
        self,
        app: Sphinx,
        env: BuildEnvironment,
        docnames: AbstractSet[str],
        other: BuildEnvironment,
    ) -> None:
        envdata.merge_docs(descriptions(env), descriptions(other), docnames)

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        paragraph = first_paragraph(doctree)
        if paragraph is not None:
            text = " ".join(paragraph.astext().split())
            descriptions(app.env)[app.env.docname] = text
