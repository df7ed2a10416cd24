"""The catalogue of every warning sphinx-mosaic emits.

Each warning has a subtype; Sphinx prints it as ``[mosaic.<subtype>]`` and
``suppress_warnings = ["mosaic.<subtype>"]`` silences it.  The reference page
in our docs is generated from this enum, so a new warning is documented by
adding a member here with a docstring-like description.
"""

from __future__ import annotations

import enum
from typing import Any

from sphinx.util import logging

logger = logging.getLogger("sphinx_mosaic")


class MosaicWarning(enum.Enum):
    """One member per warning subtype; the value is ``(subtype, description)``."""

    # layout
    DUPLICATE_NUMBER = (
        "duplicate-number",
        "Two entries of one folder carry the same number, so their order is decided by name.",
    )
    UNNUMBERED = (
        "unnumbered",
        "A page or folder inside a book has no number; it is placed after the numbered ones.",
    )
    UNNUMBERED_BOOK = (
        "unnumbered-book",
        "An unnumbered top-level folder holds numbered pages or folders, so it is a book; "
        'number it to place it, or set ``mosaic_unnumbered_books = "never"`` to keep it out '
        "of the books.",
    )
    TOO_DEEP = (
        "too-deep",
        "A folder is nested deeper than book > chapter; BookStack output flattens it into its "
        "chapter.",
    )
    SOURCE = (
        "source",
        "A source file that cannot be read safely: not UTF-8 text, a symbolic link that loops, "
        "or one that leads outside the source folder. It is left out of the build.",
    )
    NO_TITLE = (
        "no-title",
        "A page without a heading; it gets its front matter title, or one made from its file "
        "or folder name, so navigation and links work.",
    )
    NO_ROOT = (
        "no-root",
        "The shelf folder has no README or index page; the first top-level page is used as the "
        "root document.",
    )
    EMPTY_BOOK = ("empty-book", "A book folder holds no pages besides its index page.")
    OUTSIDE_BOOK = (
        "outside-book",
        "A numbered page sits at the shelf level, outside every book.",
    )
    TOCTREE = (
        "toctree",
        "A hand-written toctree on an index page misses layout pages or lists them out of order.",
    )
    AMBIGUOUS_NAME = (
        "ambiguous-name",
        "Two documents share one number-free name; the name resolves to neither.",
    )
    FRONT_MATTER = (
        "front-matter",
        "Front matter that cannot be read (malformed YAML, a value of the wrong type, a block "
        "left open) or a key one typo away from one of ours.",
    )
    CODE_LANGUAGE = (
        "code-language",
        "A code block names no language (the writing standard asks every block to name one).",
    )
    TABLE = (
        "table",
        "A table with a header and no body rows (Sphinx's LaTeX builder stops on it); its "
        "header is shown as an ordinary first row.",
    )
    # status
    STATUS = ("status", "An unknown status value; the page counts as having no status.")
    LAST_UPDATED = (
        "last-updated",
        "A ``last_updated`` value that is not a date, or Git history that could not be read.",
    )
    # paths
    PATH = (
        "path",
        "A reading path problem: unknown step target, duplicate path id, repeated page, empty "
        "path, or a ``{path:ref}`` to an unknown id.",
    )
    # bookstack
    BOOKSTACK = (
        "bookstack",
        "Content the BookStack output cannot carry as is (unknown node, unreadable file, "
        "removed markup).",
    )
    IMAGE = (
        "image",
        "An image file that is not a usable image, judged by its content (a text file named "
        "``.png``, a truncated PNG, an SVG resvg cannot draw, a format Pillow cannot read). It "
        "never goes into a BookStack ZIP as an image (BookStack refuses the whole book for "
        "one); the warning quotes the converter's error, and the page shows the image's alt "
        "text, or links the file as an attachment when it is another kind of file.",
    )
    BOOKSTACK_LIMIT = (
        "bookstack-limit",
        "A name, description or file exceeds a limit BookStack enforces at import.",
    )
    FOREIGN_NODE = (
        "foreign-node",
        "Another extension's html visitor failed in the BookStack build (it needs something "
        "only Sphinx's HTML builders have); the node's text is kept without that markup. "
        "Given once per node class.",
    )
    TOCTREE_DEPTH = (
        "toctree-depth",
        "A toctree nests deeper than book > chapter > page; the BookStack output puts the "
        "deeper entries in their chapter, in toctree order.",
    )
    # diagrams
    RENDERER = (
        "renderer",
        "A program or package that draws diagrams or formulas is not installed (Graphviz's "
        "``dot``, the Mermaid CLI ``mmdc`` with chromium, or ziamath); the drawings of that "
        "kind stay code blocks. Given at each drawing kept as code, saying what to install (html: "
        "a Mermaid fence without sphinxcontrib-mermaid); a kind left out of "
        "``mosaic_diagrams`` is kept as code without it.",
    )
    DRAWING = (
        "drawing",
        "A diagram or formula its renderer refuses (a syntax error, or too slow to draw); it "
        "stays a code block, and the warning quotes the renderer's error at the source's line.",
    )
    # characters
    CHARACTER = (
        "character",
        "A character the PDF cannot show (no glyph, symbol or emoji image for it, or emoji "
        "without the image set of ``sphinx-mosaic[pdf]``); it is shown as ``[U+XXXX]``. "
        "Reported once per character, at its first place.",
    )
    # publish
    PUBLISH = ("publish", "A problem while syncing to a BookStack server.")
    # configuration
    CONFIG = ("config", "An invalid configuration value; the default is used instead.")

    @property
    def subtype(self) -> str:
        return str(self.value[0])

    @property
    def description(self) -> str:
        return str(self.value[1])


def warn(kind: MosaicWarning, message: str, location: Any = None, **kwargs: Any) -> None:
    """Log a warning of type ``mosaic`` with the subtype of *kind*.

    *location* is anything Sphinx's logger accepts: a docname, ``(docname, line)``
    or a node.
    """
    logger.warning(message, type="mosaic", subtype=kind.subtype, location=location, **kwargs)
