"""Writing checks from the team's standards, run on every document read.

* ``mosaic.code-language``: a code block that names no language.  MyST fences
  without an info string and ``code-block`` directives without an argument
  get the language ``default``; reST ``::`` literal blocks are not code
  blocks and are left alone.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from docutils import nodes
from sphinx.application import Sphinx

from sphinx_mosaic.config import Option, declare
from sphinx_mosaic.warnings import MosaicWarning, warn

declare(
    Option(
        "require_code_language",
        True,
        "Warn (``mosaic.code-language``) about code blocks that name no language.",
        types=(bool,),
    ),
)


def _is_unnamed_code_block(node: nodes.literal_block, markdown: bool) -> bool:
    if node.get("language") != "default":
        return False
    # reST ``::`` blocks carry no highlight_args; code-block directives do.
    return markdown or "highlight_args" in node


def check_code_languages(app: Sphinx, doctree: nodes.document) -> None:
    if not app.config.mosaic_require_code_language:
        return
    source = app.env.doc2path(app.env.docname)
    markdown = PurePosixPath(str(source)).suffix == ".md"
    for node in doctree.findall(nodes.literal_block):
        if _is_unnamed_code_block(node, markdown):
            warn(
                MosaicWarning.CODE_LANGUAGE,
                "code block without a language; name one (```python, ```text for plain text)",
                location=node,
            )


def setup_checks(app: Sphinx) -> None:
    app.connect("doctree-read", check_code_languages)
