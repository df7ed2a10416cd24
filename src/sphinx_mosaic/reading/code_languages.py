"""Code blocks: the team's writing check, and language names Pygments lacks.

* ``mosaic.code-language``: a code block that names no language.  MyST fences
  without an info string and ``code-block`` directives without an argument
  get the language ``default``; reST ``::`` literal blocks are not code
  blocks and are left alone.  It is the numbered layout's writing rule: a
  project without the layout (Sphinx's toctrees) gets it only by setting
  ``mosaic_require_code_language = True`` itself, since Sphinx highlights
  such blocks in its default language and nothing is wrong with them.
* ``mosaic_code_language_aliases``: names real trees use that Pygments does
  not know (``env``, ``ssh-config``, ``mermaid``) are registered as lexers of
  a language it does know, so HTML and LaTeX builds do not warn
  ``misc.highlighting_failure`` on every such block.  The block keeps its
  language name, so the BookStack output still says ``language-mermaid``.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from docutils import nodes
from sphinx.application import Sphinx

from sphinx_mosaic import envdata
from sphinx_mosaic.config import Option, declare, explicitly_set, option_value
from sphinx_mosaic.warnings import MosaicWarning, warn

REQUIRE_CODE_LANGUAGE = Option(
    "require_code_language",
    True,
    "Warn (``mosaic.code-language``) about code blocks that name no language. On by "
    "default with the numbered layout; a project without it gets the check only by "
    "setting this option.",
    types=(bool,),
)

CODE_LANGUAGE_ALIASES = Option(
    "code_language_aliases",
    {
        "env": "bash",
        "dotenv": "bash",
        "ssh-config": "text",
        "fstab": "text",
        "dns": "text",
        "mermaid": "text",
    },
    "Code-block language names Pygments does not know, mapped to one it does (used for "
    "highlighting only; the block keeps its name). Names Pygments knows are left alone.",
    types=(dict,),
)

#: This module's options: :func:`setup_code_languages` declares them, importing the module does not.
OPTIONS = (REQUIRE_CODE_LANGUAGE, CODE_LANGUAGE_ALIASES)


def _is_unnamed_code_block(node: nodes.literal_block, markdown: bool) -> bool:
    if node.get("language") != "default":
        return False
    # reST ``::`` blocks carry no highlight_args; code-block directives do.
    return markdown or "highlight_args" in node


def check_code_languages(app: Sphinx, doctree: nodes.document) -> None:
    if not option_value(app.config, REQUIRE_CODE_LANGUAGE):
        return
    layout = envdata.layout(app.env)
    if (layout is None or not layout.active) and not explicitly_set(
        app.config, REQUIRE_CODE_LANGUAGE
    ):
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


def register_language_aliases(app: Sphinx) -> None:
    from pygments.lexers import find_lexer_class_by_name
    from pygments.util import ClassNotFound

    for alias, language in sorted(option_value(app.config, CODE_LANGUAGE_ALIASES).items()):
        try:
            find_lexer_class_by_name(alias)
            continue  # Pygments knows it: never shadow a real lexer
        except ClassNotFound:
            pass
        try:
            lexer = find_lexer_class_by_name(language)
        except ClassNotFound:
            warn(
                MosaicWarning.CONFIG,
                f"mosaic_code_language_aliases: {alias!r} maps to {language!r}, which Pygments "
                "does not know either",
            )
            continue
        app.add_lexer(alias, lexer)


def setup_code_languages(app: Sphinx) -> None:
    declare(*OPTIONS)
    app.connect("doctree-read", check_code_languages)
    app.connect("builder-inited", register_language_aliases)
