"""Diagrams and formulas drawn as PNG images where the output cannot draw them.

Modules: :mod:`.renderers` (dot, the Mermaid CLI, ziamath), :mod:`.cache`
(PNG files by content hash), :mod:`.drawer` (sources to cached files, with
the warnings), :mod:`.transform` (the doctree changes per output format).

The Mermaid CLI starts a browser for each run, so the build's diagrams are
drawn together: their sources are noted per document when it is read, and
every one not in the cache yet is drawn in one run when writing starts.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment

from sphinx_mosaic import envdata
from sphinx_mosaic.bookstack.options import BOOKSTACK_ALONGSIDE
from sphinx_mosaic.config import declare, option_value
from sphinx_mosaic.diagrams.drawer import drawer_of
from sphinx_mosaic.diagrams.options import OPTIONS
from sphinx_mosaic.diagrams.transform import (
    BookStackDrawings,
    HtmlMermaid,
    LaTeXDrawings,
    mermaid_sources,
)

#: Formats whose output gets the PNG of a Mermaid diagram.
_DRAWN_FORMATS = ("bookstack", "latex")


def _note_sources(app: Sphinx, doctree: nodes.document) -> None:
    sources = mermaid_sources(doctree)
    if sources:
        envdata.mermaid_sources(app.env)[app.env.docname] = sources
    else:
        envdata.mermaid_sources(app.env).pop(app.env.docname, None)


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    envdata.mermaid_sources(env).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    envdata.merge_docs(envdata.mermaid_sources(env), envdata.mermaid_sources(other), docnames)


def _draw_all(app: Sphinx, builder: Builder) -> None:
    """At write-started: draw the build's Mermaid diagrams in one CLI run."""
    from sphinx_mosaic.bookstack.alongside import HTML_BUILDERS

    alongside = (
        bool(option_value(app.config, BOOKSTACK_ALONGSIDE)) and builder.name in HTML_BUILDERS
    )
    if builder.format not in _DRAWN_FORMATS and not alongside:
        return
    everything = envdata.mermaid_sources(app.env)
    drawer_of(app.env).prepare_mermaid(
        [source for name in sorted(everything) for source in everything[name]]
    )


def setup_diagrams(app: Sphinx) -> None:
    """Register the diagrams component with Sphinx."""
    declare(*OPTIONS)
    app.add_post_transform(BookStackDrawings)
    app.add_post_transform(LaTeXDrawings)
    app.add_post_transform(HtmlMermaid)
    app.connect("doctree-read", _note_sources)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    # Before any page is written (and before alongside mode sets up at write-started,
    # priority 500), so every process that translates a page finds the drawings cached.
    app.connect("write-started", _draw_all, priority=400)
