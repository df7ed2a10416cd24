"""What happens to any source as Sphinx reads it, with or without the numbered layout.

Each module guards or mends one thing every project can have: :mod:`.guard`
leaves unsafe files out and blanks unreadable front matter, :mod:`.tables`
mends tables with a header and no body rows, :mod:`.transitions` tidies
``---`` rules that merged Markdown files leave behind, and
:mod:`.code_languages` checks that code blocks name a language and registers
the language names Pygments lacks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_reading(app: Sphinx) -> None:
    """Register the read-time checks and mends (in this order: handlers of one event run in
    the order they were connected)."""
    from sphinx_mosaic.reading.code_languages import setup_code_languages
    from sphinx_mosaic.reading.guard import setup_guard
    from sphinx_mosaic.reading.tables import setup_tables
    from sphinx_mosaic.reading.transitions import setup_transitions

    setup_code_languages(app)
    setup_transitions(app)
    setup_guard(app)
    setup_tables(app)


__all__ = ["setup_reading"]
