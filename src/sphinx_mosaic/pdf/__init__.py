"""The LaTeX and PDF output: the shelf's structure, other extensions' forms, every character.

:mod:`.structure` makes the shelf page front matter and each book a part;
:mod:`.forms` gives other extensions' constructs (sphinx-design, tabs) a LaTeX
form where they have none; :mod:`.characters` makes every character of the
sources print, emoji as images and symbols as LaTeX commands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_pdf(app: Sphinx) -> None:
    """Register the PDF parts (in this order: the structure's ``doctree-resolved`` handler runs
    before the character scan)."""
    from sphinx_mosaic.pdf.characters import setup_characters
    from sphinx_mosaic.pdf.forms import setup_latex_forms
    from sphinx_mosaic.pdf.structure import setup_structure

    setup_structure(app)
    setup_characters(app)
    setup_latex_forms(app)


__all__ = ["setup_pdf"]
