"""The BookStack output: the ``bookstack`` builder, its options, and alongside mode.

The builder runs the stages: ``mapping/`` (which books, chapters and pages),
``translate/`` (each page's HTML), ``assemble``, ``assets`` and ``output`` (the
ZIPs, the browsable copy, the manifest), with ``incremental`` deciding what a
rebuild does again; ``format/`` states what BookStack takes, free of Sphinx.
``sphinx_mosaic.bookstack`` is also the ``sphinx.builders`` entry point, so
``sphinx-build -b bookstack`` works without listing the extension.  Nothing is
imported at module level: ``format/`` is loaded without Sphinx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # bookstack.format and the pure modules are imported without Sphinx
    from sphinx.application import Sphinx


def _check_subfolder(value: Any) -> str | None:
    text = str(value)
    if not text or text.startswith(("/", "\\")) or ".." in text.replace("\\", "/").split("/"):
        return "must be a relative folder name inside the HTML output folder"
    return None


def setup_bookstack(app: Sphinx) -> None:
    """Register the bookstack component with Sphinx: its options, builder and collectors."""
    from sphinx_mosaic.bookstack.alongside import setup_alongside
    from sphinx_mosaic.bookstack.builder import BookStackBuilder
    from sphinx_mosaic.bookstack.incremental import setup_navigation_only
    from sphinx_mosaic.bookstack.mapping.references import LinkCollector
    from sphinx_mosaic.bookstack.translate.readtime import setup_readtime
    from sphinx_mosaic.config import Option, declare

    declare(
        Option(
            "bookstack_source",
            "auto",
            "Where the BookStack books come from: ``layout`` (the numbered folders), ``toctree`` "
            "(the root document's toctrees, for any Sphinx project), or ``auto``: the layout when "
            "it finds books, else the toctree.",
            rebuild="",
            choices=("auto", "layout", "toctree"),
        ),
        Option(
            "bookstack_extras",
            "omit",
            "What the BookStack output does with what is outside the books: with the layout, "
            "unnumbered top-level folders (extras such as ``scratchpads/``); with the toctree, "
            "documents in no toctree and without toctree entries of their own (one with entries "
            "is a book either way).  ``omit`` leaves them out, ``books`` makes each extra folder "
            "a book of its own (its sub-folders become chapters), or puts the documents in no "
            'toctree in one book, "Other pages".  With ``mosaic_unnumbered_folders = "books"`` '
            "extra folders are books anyway.",
            rebuild="",
            choices=("omit", "books"),
        ),
        Option(
            "bookstack_alongside",
            False,
            "Make an ``html`` or ``dirhtml`` build also write the BookStack output (ZIPs, "
            "browsable pages and manifest), from the same environment in the same run.",
            rebuild="",
            types=(bool,),
        ),
        Option(
            "bookstack_alongside_dir",
            "bookstack",
            "Sub-folder of the HTML output folder that alongside mode writes the BookStack "
            "output to.",
            rebuild="",
            types=(str,),
            check=_check_subfolder,
        ),
    )
    app.add_builder(BookStackBuilder)
    app.add_env_collector(LinkCollector)
    setup_navigation_only(app)
    setup_alongside(app)
    setup_readtime(app)


def setup(app: Sphinx) -> dict[str, Any]:
    """Entry point of ``-b bookstack``: load the whole extension."""
    from sphinx_mosaic import __version__

    app.setup_extension("sphinx_mosaic")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
