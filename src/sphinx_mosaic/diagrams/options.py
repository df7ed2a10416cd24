"""The configuration options of diagrams and formulas (listed once, here)."""

from __future__ import annotations

from typing import Any

from sphinx_mosaic.config import Option


def _check_timeout(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return "must be a number of seconds above 0"
    return None


#: The kinds ``mosaic_diagrams`` may list (the drawer's KINDS; repeated here so that
#: declaring the options imports no renderer).
KINDS = ("graphviz", "mermaid", "math")


def _check_kinds(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    unknown = [kind for kind in value if kind not in KINDS]
    if unknown:
        return f"lists {unknown}; the kinds are {', '.join(KINDS)} (or True or False for all)"
    return None


DIAGRAMS: Option[bool | list[str] | tuple[str, ...]] = Option(
    "diagrams",
    True,
    "Draw diagrams and formulas as PNG images where the output cannot draw them itself: "
    "Graphviz, inheritance diagrams, Mermaid and maths in the BookStack output, Mermaid in "
    "the PDF.  ``False`` leaves them all as the code blocks they were before; a list of "
    'kinds (``["graphviz", "math"]``) draws only those and keeps the others as code. A '
    "kind left out is kept as code on purpose, without a warning.",
    rebuild="",
    types=(bool, list, tuple),
    check=_check_kinds,
)

MERMAID_COMMAND = Option(
    "mermaid_command",
    "mmdc",
    "The Mermaid CLI command (split like a shell command, so "
    '``"npx -p @mermaid-js/mermaid-cli mmdc"`` works).',
    rebuild="",
    types=(str,),
)

MERMAID_BROWSER = Option(
    "mermaid_browser",
    "",
    "The chromium the Mermaid CLI drives; empty: ``chromium``, ``chromium-browser`` or "
    "``google-chrome`` from ``PATH``.",
    rebuild="",
    types=(str,),
)

MERMAID_PUPPETEER_CONFIG = Option(
    "mermaid_puppeteer_config",
    "",
    "A puppeteer configuration file for the Mermaid CLI (``-p``); empty: one naming "
    "``mosaic_mermaid_browser`` with ``--no-sandbox`` is written for each run.",
    rebuild="",
    types=(str,),
)

DRAWING_TIMEOUT: Option[int | float] = Option(
    "drawing_timeout",
    60,
    "Seconds one diagram may take to draw (a Mermaid run drawing several gets this per "
    "diagram); a drawing that takes longer is reported and kept as code.",
    rebuild="",
    types=(int, float),
    check=_check_timeout,
)

#: The diagrams' options: ``setup_diagrams`` declares them, importing the module does not.
OPTIONS = (DIAGRAMS, MERMAID_COMMAND, MERMAID_BROWSER, MERMAID_PUPPETEER_CONFIG, DRAWING_TIMEOUT)
