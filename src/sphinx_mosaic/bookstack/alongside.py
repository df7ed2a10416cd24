"""Alongside mode: an ``html`` or ``dirhtml`` build also writes the BookStack output.

With ``mosaic_bookstack_alongside = True`` the HTML build also runs the
BookStack builder over the same environment (no second read) into
``<html outdir>/<mosaic_bookstack_alongside_dir>``, translating and assembling
the books exactly as ``-b bookstack`` does.

When every document was read in this build (a fresh build, as in CI), the HTML
builder writes every page, and so must we: the BookStack pages are then
written by one worker process forked when the write phase starts, while the
HTML pages are written, so the two overlap on a machine with two or more
cores.  The worker takes the doctrees Sphinx keeps in memory for the write
phase, so it reads nothing from disk; its warnings and progress lines are
passed back through Sphinx's own parallel machinery
(:class:`sphinx.util.parallel.ParallelTasks`) and reported, with their
locations, when the build finishes.

Otherwise (an incremental build, or a platform without ``fork``), the
BookStack output is written after the HTML build, in the main process, for
the documents the HTML build wrote plus those whose fragment is out of date.
"""

from __future__ import annotations

import contextlib
import inspect
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.locale import __
from sphinx.util import logging, parallel
from sphinx.util.display import status_iterator

HTML_BUILDERS = ("html", "dirhtml")
logger = logging.getLogger(__name__)


class Alongside:
    """Per-application state of alongside mode (one instance per ``setup``)."""

    def __init__(self) -> None:
        self.docnames: set[str] = set()
        self.read: set[str] = set()
        self.worker: parallel.ParallelTasks | None = None
        self.worker_done = False

    def active(self, app: Sphinx) -> bool:
        return bool(app.config.mosaic_bookstack_alongside) and app.builder.name in HTML_BUILDERS

    def note_read(self, app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
        self.read = set(docnames)

    def start(self, app: Sphinx, builder: Builder) -> None:
        """At ``write-started``: fork the worker when every page is to be written."""
        if not self.active(app) or not parallel.parallel_available:
            return
        everything = set(app.env.found_docs)
        if not everything or not everything <= self.read:
            return  # incremental: written after the HTML build, from what it wrote
        worker, self.worker_done = parallel.ParallelTasks(1), False
        try:
            worker.add_task(_write_in_worker, (app, sorted(everything)), self._worker_finished)
        except Exception as exc:  # no fork (memory, limits): written after the HTML build
            logger.debug("[mosaic] alongside worker not started: %s", exc)
            return
        self.worker = worker

    def _worker_finished(self, task: Any, result: Any) -> None:
        self.worker_done = True

    def record(self, app: Sphinx, doctree: nodes.document, docname: str) -> None:
        if self.worker is None and self.active(app):
            self.docnames.add(docname)

    def finish(self, app: Sphinx, exception: BaseException | None) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            if exception is not None:
                worker.terminate()
                return
            # join() reports the worker's warnings and raises if it failed; EOFError:
            # the worker died without a word (killed), and the output is written below.
            with contextlib.suppress(EOFError):
                worker.join()
            if self.worker_done:
                return
            # The fork failed or the worker was killed: write everything here.
            self.docnames |= set(app.env.found_docs)
        if exception is not None or not self.active(app):
            return
        builder = _bookstack_builder(app)
        docnames = sorted((set(builder.get_outdated_docs()) | self.docnames) & app.env.found_docs)
        self.docnames.clear()
        write_bookstack(app, builder, docnames)


def _bookstack_builder(app: Sphinx) -> Any:
    from sphinx_mosaic.bookstack.builder import BookStackBuilder

    builder = BookStackBuilder(app, app.env)
    builder.outdir = Path(app.outdir) / app.config.mosaic_bookstack_alongside_dir
    builder.init()
    return builder


def _write_in_worker(task: tuple[Sphinx, list[str]]) -> None:
    """In the forked worker: translate every page and write the books."""
    app, docnames = task
    write_bookstack(app, _bookstack_builder(app), docnames)


def write_bookstack(app: Sphinx, builder: Any, docnames: list[str]) -> None:
    """Translate *docnames* with *builder* and assemble the books, as ``-b bookstack``."""
    env = app.env
    # Sphinx's reference resolution and post-transforms ask the application
    # (and the environment) for the builder: make them see ours while we write,
    # so links and transforms are exactly those of `-b bookstack`.
    html_builder, html_class = app.builder, getattr(env, "_builder_cls", None)
    app.builder = builder
    if html_class is not None:
        env._builder_cls = type(builder)
    # Sphinx 9 wants the tags passed; Sphinx 8 has no such parameter.
    takes_tags = "tags" in inspect.signature(env.get_and_resolve_doctree).parameters
    extra: dict[str, Any] = {"tags": builder.tags} if takes_tags else {}
    try:
        builder.prepare_writing(set(docnames))
        for docname in status_iterator(
            docnames,
            __("writing BookStack pages... "),
            "darkgreen",
            len(docnames),
            getattr(app.config, "verbosity", 0),
        ):
            doctree = env.get_and_resolve_doctree(docname, builder, **extra)
            builder.write_doc_serialized(docname, doctree)
            builder.write_doc(docname, doctree)
        builder.finish()
    finally:
        app.builder = html_builder
        if html_class is not None:
            env._builder_cls = html_class


def setup_alongside(app: Sphinx) -> None:
    alongside = Alongside()
    app.connect("env-before-read-docs", alongside.note_read, priority=900)
    app.connect("write-started", alongside.start)
    app.connect("doctree-resolved", alongside.record)
    app.connect("build-finished", alongside.finish)
