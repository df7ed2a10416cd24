"""The bookstack component (being built; see the issue tracker)."""

from __future__ import annotations

from sphinx.application import Sphinx


def setup_bookstack(app: Sphinx) -> None:
    """Register the bookstack component with Sphinx."""
