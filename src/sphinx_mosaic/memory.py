"""How many read doctrees a build keeps in memory for its write phase.

A serial Sphinx build (8.0 and newer) keeps every doctree it reads in memory,
beside the pickle it writes to the doctree folder, so the write phase need not
read the pickles back: the build's memory holds the doctrees of all its pages
at once.  A parsed page weighs about 200 KB in memory (a generated 1,000-page
tree: 388 MiB peak with all of them kept, 160 MiB with none), so a tree of a
few thousand pages needs gigabytes where the rest of the build needs a few
hundred megabytes.  A parallel read (``-j``) keeps none of them: every page's
pickle is read back when it is written.

With ``mosaic_doctrees_in_memory = N`` the first *N* pages read stay in memory
and the pickles of the others are read back when they are written, as under
``-j``; the output is the same either way.  Sphinx keeps that store in a
private attribute (``BuildEnvironment._write_doc_doctree_cache``); where it is
missing (another Sphinx version) this does nothing.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from sphinx_mosaic.config import Option, declare

declare(
    Option(
        "doctrees_in_memory",
        200,
        "How many of the pages read in a serial build keep their doctree in memory until "
        "they are written; the others are read back from the doctree folder, as in a "
        "parallel build. Bounds the memory of large trees (about 200 KB a page); ``0`` keeps "
        "none, a negative number keeps all (Sphinx's own behaviour).",
        rebuild="",
        types=(int,),
    ),
)


def _store(env: BuildEnvironment) -> dict[str, object] | None:
    store = getattr(env, "_write_doc_doctree_cache", None)
    return store if isinstance(store, dict) else None


def trim(app: Sphinx, env: BuildEnvironment) -> None:
    """Drop the doctrees kept beyond the limit (the ones read last)."""
    limit = app.config.mosaic_doctrees_in_memory
    store = _store(env)
    if store is None or limit < 0:
        return
    while len(store) > limit:
        store.popitem()  # the newest entry; its pickle is on disk


def _before_each_page(app: Sphinx, docname: str, source: list[str]) -> None:
    # Sphinx stores a page's doctree right after reading it, so trimming before the
    # next page is read keeps at most one page over the limit.
    trim(app, app.env)


def _after_reading(app: Sphinx, env: BuildEnvironment) -> list[str]:
    trim(app, env)
    return []


def setup_memory(app: Sphinx) -> None:
    app.connect("source-read", _before_each_page)
    app.connect("env-updated", _after_reading)
