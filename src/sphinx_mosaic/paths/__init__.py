"""Audience reading paths: ordered steps per audience, with navigation on every step.

* :mod:`~sphinx_mosaic.paths.model`: steps and paths as plain data, the step
  grammar and target resolution;
* :mod:`~sphinx_mosaic.paths.domain`: the ``path`` domain that stores
  definitions per document and resolves links;
* :mod:`~sphinx_mosaic.paths.directives`: ``path``, ``path-overview`` and the
  per-page navigation placeholder;
* :mod:`~sphinx_mosaic.paths.view`: paths resolved against the current build;
* :mod:`~sphinx_mosaic.paths.render`: placeholders to standard nodes;
* :mod:`~sphinx_mosaic.paths.checks`: the ``mosaic.path`` warnings.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.fileutil import copy_asset_file

from sphinx_mosaic import envdata
from sphinx_mosaic.config import declare
from sphinx_mosaic.paths.checks import check_paths
from sphinx_mosaic.paths.directives import (
    PLACEHOLDER_VISITORS,
    PathDirective,
    PathNavigationSlot,
    PathOverviewDirective,
    path_placeholder,
)
from sphinx_mosaic.paths.domain import PathDomain, get_domain
from sphinx_mosaic.paths.options import OPTIONS
from sphinx_mosaic.paths.render import PathPageReferences, PathResolver
from sphinx_mosaic.paths.view import PathsView, build_view
from sphinx_mosaic.rewrites import add_reason

ASSETS = Path(__file__).parent / "assets"
LATEX_PACKAGE = "sphinxmosaicpaths"


def pages_to_rewrite(old: PathsView, new: PathsView, users: set[str]) -> set[str]:
    """Pages whose rendered paths differ between two views.

    A changed path concerns its old and new steps (their navigation boxes) and
    its defining page; any change concerns the pages showing every path
    (``path-overview``, ``{path:ref}``).
    """
    pages: set[str] = set()
    old_paths = {path.id: path for path in old.paths}
    new_paths = {path.id: path for path in new.paths}
    for path_id in old_paths.keys() | new_paths.keys():
        before, after = old_paths.get(path_id), new_paths.get(path_id)
        if before != after:
            for path in (before, after):
                if path is not None:
                    pages |= path.members | {path.docname}
    if list(old_paths) != list(new_paths):
        # The boxes of a page list its paths in this order.
        for path in (*old.paths, *new.paths):
            pages |= path.members
    for key in old.definitions.keys() | new.definitions.keys():
        if old.definitions.get(key) != new.definitions.get(key):
            pages.add(key[0])
    if old.paths != new.paths or old.audiences != new.audiences:
        pages |= users
    return pages


def _stale_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    old = envdata.paths_view(env)
    new = build_view(env)
    envdata.set_paths_view(env, new)
    if not isinstance(old, PathsView):
        old = PathsView(paths=())
    users = set(get_domain(env).users)
    return sorted(pages_to_rewrite(old, new, users) & env.found_docs)


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    envdata.path_pages(env).discard(docname)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    envdata.path_pages(env).update(envdata.path_pages(other) & docnames)


def _add_assets(app: Sphinx) -> None:
    if app.builder.format == "html":
        # Through html_static_path, so the file is copied before epub lists its contents;
        # a new list, so the user's (or the default) list object is left alone.
        app.config.html_static_path = [*app.config.html_static_path, str(ASSETS / "static")]
        app.add_css_file("mosaic-paths.css")
    elif app.builder.format == "latex":
        app.add_latex_package(LATEX_PACKAGE)


def _copy_latex_package(app: Sphinx, exception: Exception | None) -> None:
    # The .tex files load it; LaTeX runs later (make latexpdf), in this folder.
    if exception is None and app.builder.format == "latex":
        copy_asset_file(ASSETS / f"{LATEX_PACKAGE}.sty", Path(app.outdir))


def setup_paths(app: Sphinx) -> None:
    """Register the paths component with Sphinx."""
    declare(*OPTIONS)
    app.add_domain(PathDomain)
    app.add_directive("path", PathDirective)
    app.add_directive("path-overview", PathOverviewDirective)
    app.add_node(
        path_placeholder,
        html=PLACEHOLDER_VISITORS,
        latex=PLACEHOLDER_VISITORS,
        text=PLACEHOLDER_VISITORS,
        man=PLACEHOLDER_VISITORS,
        texinfo=PLACEHOLDER_VISITORS,
    )
    app.add_transform(PathNavigationSlot)
    app.add_post_transform(PathResolver)
    app.add_post_transform(PathPageReferences)
    add_reason(app, "paths", _stale_pages)
    app.connect("env-check-consistency", check_paths)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("builder-inited", _add_assets)
    app.connect("build-finished", _copy_latex_package)
