"""Numbered docs trees as Sphinx sites, PDFs and BookStack books, with status and reading paths."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the publisher and the command line import this package without Sphinx
    from sphinx.application import Sphinx

__version__ = "0.2.0"

#: Bump whenever what we store on the build environment changes shape, so
#: Sphinx discards pickled environments written by an older version.  4: doctrees
#: of tables with a header and no body are now mended when read (layout/tables.py).
#: 5: the status records keep each status table's scope, not a flag.  6: the documents
#: each document links to (bookstack/mapping/references.py).
ENV_VERSION = 6


def setup(app: Sphinx) -> dict[str, Any]:
    """Register sphinx-mosaic with Sphinx: one ``setup_*`` call per component."""
    from sphinx_mosaic.bookstack import setup_bookstack
    from sphinx_mosaic.characters import setup_characters
    from sphinx_mosaic.config import setup_config
    from sphinx_mosaic.diagrams import setup_diagrams
    from sphinx_mosaic.latex_forms import setup_latex_forms
    from sphinx_mosaic.layout.extension import setup_layout
    from sphinx_mosaic.memory import setup_memory
    from sphinx_mosaic.paths import setup_paths
    from sphinx_mosaic.publish.after_build import setup_publish
    from sphinx_mosaic.status import setup_status

    setup_layout(app)
    setup_status(app)
    setup_paths(app)
    setup_bookstack(app)
    setup_publish(app)
    setup_characters(app)
    setup_latex_forms(app)
    setup_diagrams(app)
    setup_memory(app)
    # Last, once every component has declared its options.
    setup_config(app)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
