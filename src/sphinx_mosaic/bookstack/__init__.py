"""The BookStack output: the ``bookstack`` builder, its options, and alongside mode.

The builder runs the stages: ``mapping/`` (which books, chapters and pages),
``translate/`` (each page's HTML), ``assemble``, ``assets`` and ``output`` (the
ZIPs, the browsable copy, the manifest), with ``incremental`` deciding what a
rebuild does again; ``format/`` states what BookStack takes, free of Sphinx.
``sphinx_mosaic.bookstack`` is also the ``sphinx.builders`` entry point, so
``sphinx-build -b bookstack`` works without listing the extension.  Nothing is
imported at module level: ``format/`` is loaded without Sphinx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # bookstack.format and the pure modules are imported without Sphinx
    from sphinx.application import Sphinx


def setup_bookstack(app: Sphinx) -> None:
    """Register the bookstack component with Sphinx: its options, builder and collectors."""
    from sphinx_mosaic.bookstack.alongside import setup_alongside
    from sphinx_mosaic.bookstack.builder import BookStackBuilder
    from sphinx_mosaic.bookstack.incremental import setup_navigation_only
    from sphinx_mosaic.bookstack.mapping.references import LinkCollector
    from sphinx_mosaic.bookstack.options import OPTIONS
    from sphinx_mosaic.bookstack.translate.readtime import setup_readtime
    from sphinx_mosaic.config import declare

    declare(*OPTIONS)
    app.add_builder(BookStackBuilder)
    app.add_env_collector(LinkCollector)
    setup_navigation_only(app)
    setup_alongside(app)
    setup_readtime(app)


def setup(app: Sphinx) -> dict[str, Any]:
    """Entry point of ``-b bookstack``: load the whole extension."""
    from sphinx_mosaic import __version__

    app.setup_extension("sphinx_mosaic")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
