"""The status component (being built; see the issue tracker)."""

from __future__ import annotations

from sphinx.application import Sphinx


def setup_status(app: Sphinx) -> None:
    """Register the status component with Sphinx."""
