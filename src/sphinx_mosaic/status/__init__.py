"""Status badges, the documentation status table and last-updated dates.

Public interface (stable; used by the reading paths and the BookStack builder):

* :func:`page_status` -- the canonical status key of a page, or None;
* :func:`make_badge` -- a fresh badge node for a status key (every builder);
* :func:`last_updated` -- the last-updated date of a page, or None;
* :func:`folder_rollup` -- the roll-up of a book or chapter.

Modules: :mod:`.vocabulary` (statuses and spellings), :mod:`.badge` (node,
visitors, ``{status}`` role), :mod:`.collector` (per-page status, badge under
the title), :mod:`.history` and :mod:`.last_updated` (dates, page footer),
:mod:`.rollup` and :mod:`.table` (the ``status-table`` directive).
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.fileutil import copy_asset_file

from sphinx_mosaic.status.badge import CATALOG, make_badge, setup_badge, status_badge
from sphinx_mosaic.status.collector import page_status, setup_collector
from sphinx_mosaic.status.last_updated import last_updated, setup_last_updated
from sphinx_mosaic.status.rollup import Rollup
from sphinx_mosaic.status.table import folder_rollup, setup_table

HERE = Path(__file__).parent
STATIC = HERE / "static"
LATEX_PACKAGE = "sphinxmosaicstatus"


def _add_assets(app: Sphinx) -> None:
    """Give HTML builds the stylesheet and LaTeX builds the badge macros."""
    if app.builder.format == "html":
        # Only for HTML: a static path in a LaTeX build would copy CSS into
        # the LaTeX output (sphinx-design #200).
        app.config.html_static_path = [*app.config.html_static_path, str(STATIC / "html")]
        app.add_css_file("mosaic-status.css")
    elif app.builder.format == "latex":
        copy_asset_file(STATIC / "latex" / f"{LATEX_PACKAGE}.sty", app.outdir)


def setup_status(app: Sphinx) -> None:
    """Register the status component with Sphinx."""
    setup_badge(app)
    setup_collector(app)
    setup_last_updated(app)
    setup_table(app)
    app.add_message_catalog(CATALOG, str(HERE / "locale"))
    app.add_latex_package(LATEX_PACKAGE)
    app.connect("builder-inited", _add_assets)


__all__ = [
    "Rollup",
    "folder_rollup",
    "last_updated",
    "make_badge",
    "page_status",
    "setup_status",
    "status_badge",
]
