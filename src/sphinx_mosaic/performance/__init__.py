"""Big trees in any builder: the sidebar rendered once per build, doctrees kept within bounds.

:mod:`.sidebar` resolves and renders Sphinx's (and Furo's) global navigation
once per HTML build instead of once per page; :mod:`.memory` limits how many
read doctrees the build keeps for its write phase and freezes the garbage
collector over what stays.  Neither reads the numbered layout: both serve any
project.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_performance(app: Sphinx) -> None:
    """Register the sidebar speed-up and the memory bounds.  Called after every other
    component: the memory bounds' ``build-finished`` handler must run after every handler
    that still uses what the build holds."""
    from sphinx_mosaic.performance.memory import setup_memory
    from sphinx_mosaic.performance.sidebar import setup_sidebar

    setup_sidebar(app)
    setup_memory(app)


__all__ = ["setup_performance"]
