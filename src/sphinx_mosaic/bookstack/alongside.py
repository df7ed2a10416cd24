"""Alongside mode: an ``html`` or ``dirhtml`` build also writes the BookStack output.

With ``mosaic_bookstack_alongside = True`` the HTML build, once it has
finished, runs the BookStack builder over the same environment (no second
read) into ``<html outdir>/<mosaic_bookstack_alongside_dir>``.  It translates
the documents the HTML build wrote plus those whose fragment is out of date,
then assembles the books as ``-b bookstack`` does.  The translation is serial.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import __
from sphinx.util.display import status_iterator

HTML_BUILDERS = ("html", "dirhtml")


class Alongside:
    """Per-application state of alongside mode (one instance per ``setup``)."""

    def __init__(self) -> None:
        self.docnames: set[str] = set()

    def active(self, app: Sphinx) -> bool:
        return bool(app.config.mosaic_bookstack_alongside) and app.builder.name in HTML_BUILDERS

    def record(self, app: Sphinx, doctree: nodes.document, docname: str) -> None:
        if self.active(app):
            self.docnames.add(docname)

    def write(self, app: Sphinx, exception: BaseException | None) -> None:
        if exception is not None or not self.active(app):
            return
        from sphinx_mosaic.bookstack.builder import BookStackBuilder

        env = app.env
        builder = BookStackBuilder(app, env)
        builder.outdir = Path(app.outdir) / app.config.mosaic_bookstack_alongside_dir
        builder.init()
        docnames = sorted((set(builder.get_outdated_docs()) | self.docnames) & env.found_docs)
        self.docnames.clear()
        # Sphinx's reference resolution and post-transforms ask the application
        # (and the environment) for the builder: make them see ours while we write,
        # so links and transforms are exactly those of `-b bookstack`.
        html_builder, html_class = app.builder, getattr(env, "_builder_cls", None)
        app.builder = builder
        if html_class is not None:
            env._builder_cls = BookStackBuilder
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
    app.connect("doctree-resolved", alongside.record)
    app.connect("build-finished", alongside.write)
