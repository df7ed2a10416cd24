"""Sphinx configuration for our own docs in docs/ (built with the extension itself).

    sphinx-build -W --keep-going -c . docs _build/html

conf.py lives at the repository root, beside pyproject.toml, so docs/ holds
nothing but the numbered shelf; ``-c .`` points Sphinx at this file.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).parent.resolve()
sys.path.insert(0, str(HERE / "docs" / "_ext"))

import sphinx_mosaic  # noqa: E402

project = "sphinx-mosaic"
author = "sphinx-mosaic developers"
copyright = "2026, sphinx-mosaic developers"
version = release = sphinx_mosaic.__version__

extensions = [
    "myst_parser",
    "sphinx_mosaic",
    "sphinx_copybutton",
    "mosaic_docs",  # docs/_ext: reference tables generated from our registries
]

# The shelf README is the root document; sphinx-mosaic sets root_doc itself.
exclude_patterns = ["_build", "_ext", "Thumbs.db", ".DS_Store"]
nitpicky = True
nitpick_ignore_regex = [
    # Third-party classes that our signatures mention but whose docs we do not link.
    ("py:class", r"(docutils|sphinx)\..*"),
]

myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "tasklist"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = "sphinx-mosaic"
html_static_path: list[str] = []

latex_engine = "pdflatex"
latex_documents = [
    ("README", "sphinx-mosaic.tex", "sphinx-mosaic", author, "manual"),
]
latex_elements = {
    "papersize": "a4paper",
    "fontpkg": r"\usepackage{tgtermes}\usepackage{tgheros}\usepackage{tgcursor}",
    # No \DeclareUnicodeCharacter here: sphinx-mosaic declares the symbols and emoji
    # that our pages use (docs/2-user-guide/6-pdf/).
}
