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

The HTML builder read the sources, so what extensions decide at read time by
the builder is undone or redone for BookStack, and the pages are those of
``-b bookstack``, byte for byte:

- ``only`` directives stay in the doctree until a post-transform keeps or drops
  them by the builder's tags.  Sphinx gives every builder the application's one
  tag set, which the HTML builder filled with ``html``, ``format_html`` and
  ``builder_html``: the BookStack builder gets a set of its own, without them
  (:func:`_bookstack_builder`), and the resolve sees it (:class:`_as_builder`).
  The HTML pages keep theirs, without ``bookstack``.
- sphinx.ext.viewcode's ``[source]`` links are made by a post-transform, for
  HTML builder classes only: the resolve for ours drops them, as
  ``-b bookstack`` does.
- sphinx.ext.linkcode's links and sphinx-tabs' own nodes depend on the builder
  that read the page; the BookStack post-transforms of
  :mod:`~sphinx_mosaic.bookstack.translate.readtime` make them the same either way.

Resolving the page again gives again every warning the HTML builder's
resolution gave (an unknown label, a missing document): those are dropped
(:class:`_RepeatedWarnings`), the BookStack resolve's own ones are kept.

In the main process, at ``doctree-resolved`` (which fires there for every page
Sphinx writes, ``-j`` included), after the other handlers (sphinx.ext.ifconfig
removes its nodes there), the page is noted as written: the builder warns about
the node types nothing renders from the fragments of the pages written, at the
end, so warnings come once per node type whatever the number of workers.  A page
Sphinx writes again only because the navigation changed (a parent in the toctree
of a changed page, or every page when a title changed) is skipped when its
fragment is current: the BookStack page does not show the toctree.

At ``build-finished`` the pages whose fragment is out of date but which the
HTML builder did not write (the first build with alongside mode on, a removed
fragment folder) are translated, and the books are assembled.
"""

from __future__ import annotations

import gc
import inspect
import logging as stdlib_logging
import pickle
from collections import Counter
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
from sphinx.util.logging import NAMESPACE, WarningStreamHandler, get_node_location
from sphinx.util.tags import Tags

from sphinx_mosaic.bookstack.incremental import navigation_only
from sphinx_mosaic.bookstack.options import BOOKSTACK_ALONGSIDE, BOOKSTACK_ALONGSIDE_DIR
from sphinx_mosaic.config import option_value

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
        #: The tags before any builder added its own (``-t`` and ``conf.py``'s).
        self.config_tags: set[str] = set()
        self.repeated: _RepeatedWarnings | None = None

    def active(self, app: Sphinx) -> bool:
        return (
            bool(option_value(app.config, BOOKSTACK_ALONGSIDE))
            and app.builder.name in HTML_BUILDERS
        )

    def note_tags(self, app: Sphinx, config: Any) -> None:
        """At ``config-inited``, before Sphinx makes the builder, which adds its tags."""
        self.config_tags = set(app.tags)

    def note_read(self, app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
        self.read = set(docnames)

    def start(self, app: Sphinx, builder: Builder) -> None:
        """At ``write-started``: the BookStack builder, ready to translate pages."""
        self.builder = None
        if not self.active(app):
            return
        bookstack = _bookstack_builder(app, self.config_tags)
        bookstack.prepare_writing(set(app.env.found_docs))
        # Translated whatever the page shows: read again, or an out-of-date fragment.
        self.wanted = (self.read | set(bookstack.get_outdated_docs())) & set(app.env.found_docs)
        self.skipped = set()
        self.builder = bookstack
        self.repeated = _RepeatedWarnings.install()

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
        repeated, self.repeated = self.repeated, None
        if repeated is not None:
            repeated.remove()  # the pages left are resolved once, here
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


def _bookstack_builder(app: Sphinx, config_tags: set[str]) -> Any:
    """The BookStack builder, with the tags ``-b bookstack`` would have.

    Sphinx's builders add their tags to the application's one set: the HTML
    builder's (``html``, ``format_html``, ``builder_html``; ``dirhtml`` ...) are
    left out of ours unless ``-t`` or ``conf.py`` set them, and ours
    (``bookstack``, ``format_bookstack``, ``builder_bookstack``) stay out of the
    HTML builder's set.
    """
    from sphinx_mosaic.bookstack.builder import BookStackBuilder

    html = app.builder
    added = {html.format, html.name, f"format_{html.format}", f"builder_{html.name}"}
    saved = app.tags
    app.tags = Tags(sorted(set(saved) - (added - config_tags)))
    try:
        builder = BookStackBuilder(app, app.env)
    finally:
        app.tags = saved
    builder.outdir = Path(app.outdir) / option_value(app.config, BOOKSTACK_ALONGSIDE_DIR)
    builder.init()
    return builder


class _as_builder:
    """Make Sphinx see *builder* as the application's builder while we write.

    Sphinx's reference resolution and post-transforms ask the application (and
    the environment) for the builder and the tags (``only`` is decided by the
    builder's ``tags``, the application's, or the environment's ``_tags``, by
    Sphinx version; on Sphinx 9 the last is a property giving the
    application's): while the BookStack page is resolved and translated they
    must see ours, so links and transforms are exactly those of
    ``-b bookstack``; the HTML builder and its tags are back before its
    template is rendered.
    """

    def __init__(self, app: Sphinx, builder: Builder) -> None:
        self.app, self.builder = app, builder

    def __enter__(self) -> None:
        env = self.app.env
        self.saved = self.app.builder, getattr(env, "_builder_cls", None), self.app.tags
        self.app.builder = self.builder
        self.app.tags = self.builder.tags
        if self.saved[1] is not None:
            env._builder_cls = type(self.builder)
        self.env_tags = vars(env).get("_tags")
        if self.env_tags is not None:
            vars(env)["_tags"] = self.builder.tags

    def __exit__(self, *exc: object) -> None:
        self.app.builder = self.saved[0]
        self.app.tags = self.saved[2]
        if self.saved[1] is not None:
            self.app.env._builder_cls = self.saved[1]
        if self.env_tags is not None:
            vars(self.app.env)["_tags"] = self.env_tags


#: Set on a log record made while alongside mode resolves a page again.
_AGAIN = "mosaic_resolved_again"


class _RepeatedWarnings(stdlib_logging.Filter):
    """On Sphinx's warning handler: a warning of the BookStack resolve of a page
    that the HTML builder's resolve of the page gave already is dropped.

    The two resolves run the same reference resolution over the same doctree,
    so an unknown label was reported twice.  The records of the BookStack
    resolve carry a mark (:class:`_marking`); each one is dropped while an
    unmarked record with the same level, type, location and text is left to
    match, so a warning that only the BookStack resolve gives, or gives more
    often, still comes.  The HTML resolve of a page always reaches the handler
    first: in a serial build both go through Sphinx's pending-warnings buffer in
    order; under ``-j`` the main process resolves each page (its warnings are
    written then) before the worker that translates it is started, and the
    worker's records are replayed in the main process when the worker ends.

    First among the handler's filters, before Sphinx counts the warning (for
    the "build succeeded, N warnings" line and ``--fail-on-warning``).
    """

    def __init__(self, handlers: list[stdlib_logging.Handler]) -> None:
        super().__init__()
        self.handlers = handlers
        self.given: Counter[tuple[object, ...]] = Counter()

    @classmethod
    def install(cls) -> _RepeatedWarnings:
        logger = stdlib_logging.getLogger(NAMESPACE)
        handlers: list[stdlib_logging.Handler] = [
            h for h in logger.handlers if isinstance(h, WarningStreamHandler)
        ]
        repeated = cls(handlers)
        for handler in handlers:
            handler.filters.insert(0, repeated)
        return repeated

    def remove(self) -> None:
        for handler in self.handlers:
            handler.removeFilter(self)

    def filter(self, record: stdlib_logging.LogRecord) -> bool:
        key = _warning_key(record)
        if not getattr(record, _AGAIN, False):
            self.given[key] += 1
            return True
        if self.given[key]:
            self.given[key] -= 1
            return False
        return True


def _warning_key(record: stdlib_logging.LogRecord) -> tuple[object, ...]:
    """What makes two warnings the same, before Sphinx formats the record (a
    worker's record comes with its message formatted and a node location as text)."""
    location = getattr(record, "location", None)
    if isinstance(location, nodes.Node):
        location = get_node_location(location)
    elif isinstance(location, tuple):
        location = ":".join(map(str, location))
    return (
        record.levelno,
        getattr(record, "type", None),
        getattr(record, "subtype", None),
        location,
        stdlib_logging.LogRecord.getMessage(record),
    )


class _marking:
    """Mark the log records made inside the block (:class:`_RepeatedWarnings`)."""

    def __enter__(self) -> None:
        self.factory = stdlib_logging.getLogRecordFactory()
        factory = self.factory

        def marked(*args: Any, **kwargs: Any) -> stdlib_logging.LogRecord:
            record = factory(*args, **kwargs)
            setattr(record, _AGAIN, True)
            return record

        stdlib_logging.setLogRecordFactory(marked)

    def __exit__(self, *exc: object) -> None:
        stdlib_logging.setLogRecordFactory(self.factory)


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
    (*note*: also note it as written, in the main process)."""
    env = app.env
    # Sphinx 9 wants the tags passed; Sphinx 8 has no such parameter.
    extra: dict[str, Any] = {"tags": builder.tags} if _TAKES_TAGS else {}
    with _collector_paused():
        with _marking():
            doctree = env.get_and_resolve_doctree(
                docname, builder, doctree=_read_doctree(env, docname), **extra
            )
        if note:
            builder.note_written(docname, doctree)
        builder.write_doc(docname, doctree)


_TAKES_TAGS = "tags" in inspect.signature(BuildEnvironment.get_and_resolve_doctree).parameters


def setup_alongside(app: Sphinx) -> None:
    alongside = Alongside()
    app.connect("config-inited", alongside.note_tags)
    app.connect("env-before-read-docs", alongside.note_read, priority=900)
    app.connect("write-started", alongside.start)
    # Late: sphinx.ext.ifconfig and others change the doctree there.
    app.connect("doctree-resolved", alongside.resolved, priority=900)
    # Late: the HTML page's other handlers see the HTML builder's doctree untouched.
    app.connect("html-page-context", alongside.page_context, priority=900)
    app.connect("build-finished", alongside.finish)
