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

With ``mosaic_gc_freeze`` (on by default) the objects that live for the whole
build are moved out of reach of Python's cyclic garbage collector
(:func:`gc.freeze`): when the write phase starts, and every ``FREEZE_EVERY``
pages read or written, each time after a collection.  A full collection walks
every object it tracks, and a build's environment (and, while writing, Sphinx's
search index) grows with its pages, so without this the collector's time grows
faster than the pages: on a generated tree, its full collections took 6.1 s of
a 34 s ``html`` build at 1,103 pages and 48 s of 193 s at 5,503 pages, most of
it walking the environment again and again.  Every page still leaves its
doctree to the collector (docutils nodes point at their parents, so only the
collector frees them), and those are collected as before, except the few alive
at a freeze (the doctrees kept for the write phase, the page being written),
which wait for the end of the build.  At ``build-finished`` the frozen objects
are handed back (:func:`gc.unfreeze`), so what died in between is freed by the
next collections.  Nothing is frozen when the collector is off or when
something else in the process already froze objects (``gc.get_freeze_count()``):
unfreezing would hand back theirs too.
"""

from __future__ import annotations

import gc

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from sphinx_mosaic.config import Option, declare, option_value

DOCTREES_IN_MEMORY = Option(
    "doctrees_in_memory",
    200,
    "How many of the pages read in a serial build keep their doctree in memory until "
    "they are written; the others are read back from the doctree folder, as in a "
    "parallel build. Bounds the memory of large trees (about 200 KB a page); ``0`` keeps "
    "none, a negative number keeps all (Sphinx's own behaviour).",
    rebuild="",
    types=(int,),
)

GC_FREEZE = Option(
    "gc_freeze",
    True,
    "Move the objects that live for the whole build (the environment, above all) out "
    "of reach of Python's cyclic garbage collector while the build runs, so that its "
    "full collections stop walking them again for every few pages (``gc.freeze``; "
    "handed back at the end of the build). Set it to ``False`` to leave the collector "
    "as Python sets it.",
    rebuild="",
    types=(bool,),
)

#: This module's options: :func:`setup_memory` declares them, importing the module does not.
OPTIONS = (DOCTREES_IN_MEMORY, GC_FREEZE)

#: Pages read between two freezes: each freeze follows a full collection of what
#: was not frozen yet, so the collections stay proportional to the pages.
FREEZE_EVERY = 100


def _store(env: BuildEnvironment) -> dict[str, object] | None:
    store = getattr(env, "_write_doc_doctree_cache", None)
    return store if isinstance(store, dict) else None


def trim(app: Sphinx, env: BuildEnvironment) -> None:
    """Drop the doctrees kept beyond the limit (the ones read last)."""
    limit = option_value(app.config, DOCTREES_IN_MEMORY)
    store = _store(env)
    if store is None or limit < 0:
        return
    while len(store) > limit:
        store.popitem()  # the newest entry; its pickle is on disk


class Freezer:
    """Freezes the build's long-lived objects and hands them back at the end."""

    def __init__(self) -> None:
        #: Whether this build froze objects (and so must hand them back).
        self.frozen = False
        self.pages = 0

    def allowed(self, app: Sphinx) -> bool:
        if not option_value(app.config, GC_FREEZE) or not gc.isenabled():
            return False
        # Objects frozen by someone else: unfreezing at the end would release theirs.
        return self.frozen or gc.get_freeze_count() == 0

    def freeze(self, app: Sphinx) -> None:
        """Collect what is garbage now, then freeze everything left."""
        if not self.allowed(app):
            return
        gc.collect()
        gc.freeze()
        self.frozen = True

    def page(self, app: Sphinx) -> None:
        """A page is read or about to be written: every few pages, freeze."""
        if not gc.isenabled():
            return  # paused by someone (our BookStack translation resolves pages too)
        self.pages += 1
        if self.pages % FREEZE_EVERY == 0:
            self.freeze(app)

    def write_started(self, app: Sphinx, builder: object) -> None:
        self.freeze(app)
        self.pages = 0

    def finished(self, app: Sphinx, exception: BaseException | None) -> None:
        if self.frozen:
            gc.unfreeze()
        self.frozen = False
        self.pages = 0


def setup_memory(app: Sphinx) -> None:
    declare(*OPTIONS)
    freezer = Freezer()

    def before_each_page(app: Sphinx, docname: str, source: list[str]) -> None:
        # Sphinx stores a page's doctree right after reading it, so trimming before the
        # next page is read keeps at most one page over the limit (and the trimmed
        # doctree is garbage before a freeze can keep it).
        trim(app, app.env)
        freezer.page(app)

    def after_reading(app: Sphinx, env: BuildEnvironment) -> list[str]:
        trim(app, env)
        return []

    def before_writing_page(app: Sphinx, doctree: object, docname: str) -> None:
        # What the write phase gathers for the end grows with the pages too: at the end
        # of a generated 1,103-page build, 5,497 of the 5,506 sets made after write-started
        # were the search index's word sets.
        freezer.page(app)

    app.connect("source-read", before_each_page)
    app.connect("env-updated", after_reading)
    app.connect("write-started", freezer.write_started)
    app.connect("doctree-resolved", before_writing_page)
    # Last, after every other handler has used what the build holds.
    app.connect("build-finished", freezer.finished, priority=900)
