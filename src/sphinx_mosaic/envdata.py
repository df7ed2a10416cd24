"""Everything sphinx-mosaic keeps on Sphinx's build environment, in one place.

Each value has one accessor here, with its type, and every module reaches it
through this module only: no ``getattr(env, "mosaic_...")`` elsewhere.  The
attribute names are the ones earlier versions pickled, so an environment
written by 0.1 still loads (``ENV_VERSION`` in ``sphinx_mosaic/__init__.py``
says when a shape changes).  A leaf module: it imports nothing of ours at run
time, so any module can use it without an import circle.

Attributes (all prefixed ``mosaic_``), with the module that writes each:
``layout`` (the layout model; layout/extension.py), ``descriptions`` (docname ->
first paragraph; layout/collector.py), ``contents_pages`` and ``docs_read``
(pages with a contents list, whether this build read anything;
layout/contents.py), ``navigation_changed`` (rewrites.py), ``status_pages``,
``last_updated``, ``status_table_views`` and ``footer_pages`` (status/collector.py),
``status_table_pages`` (status/table.py; purged and merged by status/collector.py),
``paths_view`` (paths/__init__.py), ``path_pages`` (paths/directives.py; purged and
merged by paths/__init__.py), ``navigation_only``
(bookstack/incremental.py), ``links`` (bookstack/mapping/references.py) and
``mermaid_sources`` (diagrams/__init__.py).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from collections.abc import Set as AbstractSet

    from sphinx.environment import BuildEnvironment

    from sphinx_mosaic.layout.model import Layout

T = TypeVar("T")
V = TypeVar("V")


def _stored(env: BuildEnvironment, name: str, make: Callable[[], T], kind: type) -> T:
    """The value *name* on *env*, made (and stored) when missing or of another kind."""
    value = env.__dict__.get(name)
    if not isinstance(value, kind):
        value = make()
        setattr(env, name, value)
    return cast("T", value)


def merge_docs(ours: dict[str, V], theirs: Mapping[str, V], docnames: AbstractSet[str]) -> None:
    """Take over *theirs*' entries for *docnames*: what a parallel reader (``-j``) found in
    the documents it read, merged into the main environment at ``env-merge-info``."""
    ours.update({name: theirs[name] for name in docnames if name in theirs})


def layout(env: BuildEnvironment) -> Layout | None:
    """The layout model of this build (None before the read phase starts)."""
    return cast("Layout | None", env.__dict__.get("mosaic_layout"))


def set_layout(env: BuildEnvironment, value: Layout) -> None:
    env.mosaic_layout = value  # type: ignore[attr-defined]


def descriptions(env: BuildEnvironment) -> dict[str, str]:
    return _stored(env, "mosaic_descriptions", dict, dict)


def contents_pages(env: BuildEnvironment) -> set[str]:
    """The documents holding a ``mosaic-contents`` placeholder."""
    return _stored(env, "mosaic_contents_pages", set, set)


def docs_read(env: BuildEnvironment) -> bool:
    return bool(env.__dict__.get("mosaic_docs_read", False))


def set_docs_read(env: BuildEnvironment, value: bool) -> None:
    env.mosaic_docs_read = value  # type: ignore[attr-defined]


def navigation_changed(env: BuildEnvironment) -> bool:
    return bool(env.__dict__.get("mosaic_navigation_changed", False))


def set_navigation_changed(env: BuildEnvironment, value: bool) -> None:
    env.mosaic_navigation_changed = value  # type: ignore[attr-defined]


def status_pages(env: BuildEnvironment) -> dict[str, Any]:
    """docname -> the status record of :mod:`sphinx_mosaic.status.collector`."""
    return _stored(env, "mosaic_status_pages", dict, dict)


def last_updated(env: BuildEnvironment) -> dict[str, tuple[date, str]]:
    return cast("dict[str, tuple[date, str]]", env.__dict__.get("mosaic_last_updated", {}))


def set_last_updated(env: BuildEnvironment, value: dict[str, tuple[date, str]]) -> None:
    env.mosaic_last_updated = value  # type: ignore[attr-defined]


def footer_pages(env: BuildEnvironment) -> set[str]:
    """The documents holding a page footer placeholder."""
    return _stored(env, "mosaic_footer_pages", set, set)


def status_table_pages(env: BuildEnvironment) -> set[str]:
    """The documents holding a ``status-table`` placeholder."""
    return _stored(env, "mosaic_status_table_pages", set, set)


def status_table_views(env: BuildEnvironment) -> dict[str, Any]:
    return cast("dict[str, Any]", env.__dict__.get("mosaic_status_table_views", {}))


def set_status_table_views(env: BuildEnvironment, value: dict[str, Any]) -> None:
    env.mosaic_status_table_views = value  # type: ignore[attr-defined]


def paths_view(env: BuildEnvironment) -> Any:
    """The :class:`~sphinx_mosaic.paths.view.PathsView` of the write phase, or None."""
    return env.__dict__.get("mosaic_paths_view")


def set_paths_view(env: BuildEnvironment, value: Any) -> None:
    env.mosaic_paths_view = value  # type: ignore[attr-defined]


def path_pages(env: BuildEnvironment) -> set[str]:
    """The documents holding a ``path`` or ``path-overview`` placeholder (every page holds
    a navigation one unless ``mosaic_path_navigation`` is ``none``)."""
    return _stored(env, "mosaic_path_pages", set, set)


def navigation_only(env: BuildEnvironment) -> set[str]:
    return _stored(env, "mosaic_navigation_only", set, set)


def mermaid_sources(env: BuildEnvironment) -> dict[str, list[str]]:
    return _stored(env, "mosaic_mermaid_sources", dict, dict)


def links(env: BuildEnvironment) -> dict[str, list[tuple[str, str]]]:
    """docname -> (kind, target) of each of its links: ``doc`` with a document name,
    ``ref`` with a label."""
    return _stored(env, "mosaic_links", dict, dict)
