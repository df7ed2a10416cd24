"""The paths component (being built; see the issue tracker)."""

from __future__ import annotations

from sphinx.application import Sphinx


def setup_paths(app: Sphinx) -> None:
    """Register the paths component with Sphinx."""
