"""The canonical formatting pass: one spelling for every Markdown construct.

The converter's output goes through mdformat with its MyST plugin, so the same
page HTML always gives the same bytes (bullets, emphasis markers, escapes,
table padding, blank lines) and a re-import of an unchanged wiki gives an
empty ``git diff``.  mdformat-myst keeps roles, targets (``(name)=``),
directives in backtick fences, front matter and footnotes as they are written,
and mdformat-deflist keeps definition lists.  mdformat-myst does not know colon
fences (it escapes ``:::{x}``), so the converter writes every directive in
backtick fences.  Directive bodies are not formatted by
mdformat: the converter formats each body itself before fencing it.
"""

from __future__ import annotations

import mdformat

#: mdformat options: numbered lists keep their numbers (1. 2. 3.) rather than
#: mdformat's default of repeating "1.", which reads badly in a plain editor.
_OPTIONS = {"number": True, "wrap": "keep"}


def canonical(markdown: str) -> str:
    """*markdown* in its canonical spelling, ending in one newline (or empty)."""
    if not markdown.strip():
        return ""
    return str(mdformat.text(markdown, options=_OPTIONS, extensions={"myst", "deflist"}))
