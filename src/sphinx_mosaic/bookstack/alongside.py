"""Alongside mode: an ``html`` or ``dirhtml`` build also writes the BookStack output.

With ``mosaic_bookstack_alongside = True`` the HTML build also runs the
BookStack builder over the same environment (no second read) into
``<html outdir>/<mosaic_bookstack_alongside_dir>``, translating and assembling
the books exactly as ``-b bookstack`` does.

Each BookStack page is translated where its HTML page is written: in the HTML
builder's ``write_doc`` (our ``html-page-context`` handler), so under ``-j``
inside the worker process that writes that page, and in the main process of a
serial build.  There is no second loop over the documents and no extra
process.  The BookStack builder needs the doctree resolved for itself, not the
one the HTML builder resolved (its links point at HTML files, its images were
renamed by the HTML translator, and ``html``-format post-transforms such as
sphinx-design's tab sets have rewritten it), so the page's doctree is read
again from the doctree folder and resolved for the BookStack builder, which is
what ``-b bookstack`` does for it.

In the main process, at ``doctree-resolved`` (which fires there for every page
Sphinx writes, ``-j`` included), the page is noted as written and its nodes are
checked once for a BookStack rendering, so warnings come once per node type
whatever the number of workers.  A page Sphinx writes again only because the
navigation changed (a parent in the toctree of a changed page, or every page
when a title changed) is skipped when its fragment is current: the BookStack
page does not show the toctree.

At ``build-finished`` the pages whose fragment is out of date but which the
HTML builder did not write (the first build with alongside mode on, a removed
fragment folder) are translated, and the books are assembled.
"""

from __future__ import annotations

import gc
import inspect
import pickle
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.locale import __
from sphinx.util import logging
from sphinx.util.display import status_iterator
from sphinx.util.docutils import LoggingReporter

from sphinx_mosaic.bookstack.navigation_only import navigation_only

HTML_BUILDERS = ("html", "dirhtml")
logger = logging.getLogger(__name__)


class Alongside:
    """Per-application state of alongside mode (one instance per ``setup``)."""

    def __init__(self) -> None:
        self.builder: Any = None
        #: Documents read in this build (their BookStack page can have changed).
        self.read: set[str] = set()
        #: Documents translated in this build whatever they show.
        self.wanted: set[str] = set()
        #: Documents the HTML builder writes whose BookStack page is current.
        self.skipped: set[str] = set()

    def active(self, app: Sphinx) -> bool:
        return bool(app.config.mosaic_bookstack_alongside) and app.builder.name in HTML_BUILDERS

    def note_read(self, app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
        self.read = set(docnames)

    def start(self, app: Sphinx, builder: Builder) -> None:
        """At ``write-started``: the BookStack builder, ready to translate pages."""
        self.builder = None
        if not self.active(app):
            return
        bookstack = _bookstack_builder(app)
        bookstack.prepare_writing(set(app.env.found_docs))
        # Translated whatever the page shows: read again, or an out-of-date fragment.
        self.wanted = (self.read | set(bookstack.get_outdated_docs())) & set(app.env.found_docs)
        self.skipped = set()
        self.builder = bookstack

    def resolved(self, app: Sphinx, doctree: nodes.document, docname: str) -> None:
        """At ``doctree-resolved`` of the HTML build, in the main process."""
        bookstack = self.builder
        if bookstack is None or app.builder is bookstack:
            return  # not alongside, or our own resolution of the page
        if docname not in self.wanted and navigation_only(app.env, docname):
            # Under -j, the worker that writes this page is forked after this point
            # (Sphinx resolves a chunk of pages, then starts its worker), so it sees it.
            self.skipped.add(docname)
            return
        bookstack.note_written(docname, doctree)

    def page_context(
        self,
        app: Sphinx,
        pagename: str,
        templatename: str,
        context: dict[str, Any],
        doctree: nodes.document | None,
    ) -> None:
        """At ``html-page-context`` of a document: translate its BookStack page."""
        bookstack = self.builder
        if (
            bookstack is None
            or doctree is None
            or pagename not in app.env.found_docs
            or pagename in self.skipped
        ):
            return
        with _as_builder(app, bookstack):
            translate(app, bookstack, pagename)

    def finish(self, app: Sphinx, exception: BaseException | None) -> None:
        bookstack, self.builder = self.builder, None
        if exception is not None or bookstack is None:
            return
        rest = sorted(self.wanted - bookstack.written_docnames() - self.skipped)
        with _as_builder(app, bookstack):
            for docname in status_iterator(
                rest,
                __("writing BookStack pages... "),
                "darkgreen",
                len(rest),
                app.verbosity,
            ):
                translate(app, bookstack, docname, note=True)
            bookstack.finish()


def _bookstack_builder(app: Sphinx) -> Any:
    from sphinx_mosaic.bookstack.builder import BookStackBuilder

    builder = BookStackBuilder(app, app.env)
    builder.outdir = Path(app.outdir) / app.config.mosaic_bookstack_alongside_dir
    builder.init()
    return builder


class _as_builder:
    """Make Sphinx see *builder* as the application's builder while we write.

    Sphinx's reference resolution and post-transforms ask the application (and
    the environment) for the builder: while the BookStack page is resolved and
    translated they must see ours, so links and transforms are exactly those of
    ``-b bookstack``; the HTML builder is back before its template is rendered.
    """

    def __init__(self, app: Sphinx, builder: Builder) -> None:
        self.app, self.builder = app, builder

    def __enter__(self) -> None:
        env = self.app.env
        self.saved = self.app.builder, getattr(env, "_builder_cls", None)
        self.app.builder = self.builder
        if self.saved[1] is not None:
            env._builder_cls = type(self.builder)

    def __exit__(self, *exc: object) -> None:
        self.app.builder = self.saved[0]
        if self.saved[1] is not None:
            self.app.env._builder_cls = self.saved[1]


class _collector_paused:
    """Pause Python's cyclic garbage collector while one page is translated.

    Reading the page's pickle, resolving it and translating it make tens of
    thousands of objects and no garbage the collector must find before the page
    is done; with the collector on, each generation-0 collection they set off
    walks every young object of the page, and the older generations' walk the
    whole heap of the build.  Paused, the page's doctree (its nodes point at their
    parents, so only the collector frees it) goes in the first collection after
    the page.  On a generated 235-page tree: about 6 ms a page with the collector
    on, 5 ms paused (1 ms of it in the pickle load alone, 1.3 ms against 0.6 ms).
    """

    def __enter__(self) -> None:
        self.enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            gc.enable()


def _read_doctree(env: BuildEnvironment, docname: str) -> nodes.document:
    """The page's doctree as the read phase stored it.

    Read from its file rather than with ``env.get_doctree``, which keeps every
    pickle it reads in memory for the rest of the build.
    """
    path = Path(env.doctreedir) / f"{docname}.doctree"
    doctree: nodes.document = pickle.loads(path.read_bytes())
    doctree.settings.env = env
    doctree.reporter = LoggingReporter(str(env.doc2path(docname)))
    return doctree


def translate(app: Sphinx, builder: Any, docname: str, *, note: bool = False) -> None:
    """Resolve *docname* for the BookStack *builder* and write its fragment
    (*note*: also note it as written and check its nodes, in the main process)."""
    env = app.env
    # Sphinx 9 wants the tags passed; Sphinx 8 has no such parameter.
    extra: dict[str, Any] = {"tags": builder.tags} if _TAKES_TAGS else {}
    with _collector_paused():
        doctree = env.get_and_resolve_doctree(
            docname, builder, doctree=_read_doctree(env, docname), **extra
        )
        if note:
            builder.note_written(docname, doctree)
        builder.choose_images(doctree)
        builder.write_doc(docname, doctree)


_TAKES_TAGS = "tags" in inspect.signature(BuildEnvironment.get_and_resolve_doctree).parameters


def setup_alongside(app: Sphinx) -> None:
    alongside = Alongside()
    app.connect("env-before-read-docs", alongside.note_read, priority=900)
    app.connect("write-started", alongside.start)
    app.connect("doctree-resolved", alongside.resolved)
    # Late: the HTML page's other handlers see the HTML builder's doctree untouched.
    app.connect("html-page-context", alongside.page_context, priority=900)
    app.connect("build-finished", alongside.finish)
