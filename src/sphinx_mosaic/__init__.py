"""Numbered docs trees as Sphinx sites, PDFs and BookStack books, with status and reading paths."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the publisher and the command line import this package without Sphinx
    from sphinx.application import Sphinx

__version__ = "0.2.0"

#: Bump whenever what we store on the build environment changes shape, so
#: Sphinx discards pickled environments written by an older version.  4: doctrees
#: of tables with a header and no body are now mended when read (reading/tables.py).
#: 5: the status records keep each status table's scope, not a flag.  6: the documents
#: each document links to (bookstack/mapping/references.py).  7: the documents holding
#: each kind of placeholder (a post-transform skips its walk when none does; an older
#: environment, without these sets, would leave the placeholders of unread pages).
ENV_VERSION = 7


def setup(app: Sphinx) -> dict[str, Any]:
    """Register sphinx-mosaic with Sphinx: one ``setup_*`` call per component."""
    from sphinx_mosaic.bookstack import setup_bookstack
    from sphinx_mosaic.config import setup_config
    from sphinx_mosaic.diagrams import setup_diagrams
    from sphinx_mosaic.layout.extension import setup_layout
    from sphinx_mosaic.paths import setup_paths
    from sphinx_mosaic.pdf import setup_pdf
    from sphinx_mosaic.performance import setup_performance
    from sphinx_mosaic.publish.after_build import setup_publish
    from sphinx_mosaic.reading import setup_reading
    from sphinx_mosaic.status import setup_status

    setup_layout(app)
    setup_reading(app)
    setup_status(app)
    setup_paths(app)
    setup_bookstack(app)
    setup_publish(app)
    # After status: the characters' LaTeX package must load after the status package, so
    # its emoji images win over the status package's drawn circles.
    setup_pdf(app)
    setup_diagrams(app)
    setup_performance(app)
    # Last, once every component has declared its options.
    setup_config(app)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
