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
from sphinx.environment import BuildEnvironment
from sphinx.util.fileutil import copy_asset_file

from sphinx_mosaic import envdata
from sphinx_mosaic.config import declare
from sphinx_mosaic.rewrites import add_reason
from sphinx_mosaic.status.badge import CATALOG, make_badge, setup_badge, status_badge
from sphinx_mosaic.status.collector import page_status, records, setup_collector
from sphinx_mosaic.status.last_updated import compute_dates, last_updated, setup_last_updated
from sphinx_mosaic.status.rollup import Rollup
from sphinx_mosaic.status.table import folder_rollup, setup_table, table_views
from sphinx_mosaic.status.vocabulary import OPTIONS as VOCABULARY_OPTIONS

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


def _stale_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The pages whose footer date changed, and those whose status tables show other
    rows than in the last build (the "status" reason of :mod:`sphinx_mosaic.rewrites`).

    Here, in the component's wiring, because it needs the collector's records, the
    dates and the tables' views: the collector itself does not import the table."""
    pages = records(env)
    front_matter = {
        docname: record.front_matter_date
        for docname, record in pages.items()
        if record.front_matter_date is not None
    }
    dates = compute_dates(env, front_matter)
    previous_dates = envdata.last_updated(env)
    envdata.set_last_updated(env, dates)
    changed = {
        docname
        for docname in set(dates) | set(previous_dates)
        if dates.get(docname) != previous_dates.get(docname)
    }
    # A table shows each row's title, roll-up and newest date: the pages whose
    # tables show anything else now (a status, a date, a book renamed or moved).
    views = table_views(env, {name: r.tables for name, r in pages.items() if r.tables})
    previous_views = envdata.status_table_views(env)
    envdata.set_status_table_views(env, views)
    changed |= {
        docname
        for docname in set(views) | set(previous_views)
        if views.get(docname) != previous_views.get(docname)
    }
    return sorted(changed & env.found_docs)


def setup_status(app: Sphinx) -> None:
    """Register the status component with Sphinx."""
    declare(*VOCABULARY_OPTIONS)
    setup_badge(app)
    setup_collector(app)
    add_reason(app, "status", _stale_pages)
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
