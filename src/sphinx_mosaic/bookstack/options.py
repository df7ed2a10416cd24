"""The configuration options of the BookStack output (listed once, here).

``setup_bookstack`` declares them; importing this module declares nothing.
"""

from __future__ import annotations

from typing import Any, Literal

from sphinx_mosaic.config import Option


def _check_subfolder(value: Any) -> str | None:
    text = str(value)
    if not text or text.startswith(("/", "\\")) or ".." in text.replace("\\", "/").split("/"):
        return "must be a relative folder name inside the HTML output folder"
    return None


BOOKSTACK_SOURCE: Option[Literal["auto", "layout", "toctree"]] = Option(
    "bookstack_source",
    "auto",
    "Where the BookStack books come from: ``layout`` (the numbered folders), ``toctree`` "
    "(the root document's toctrees, for any Sphinx project), or ``auto``: the layout when "
    "it finds books, else the toctree.",
    rebuild="",
    choices=("auto", "layout", "toctree"),
)

BOOKSTACK_EXTRAS: Option[Literal["omit", "books"]] = Option(
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
)

BOOKSTACK_ALONGSIDE = Option(
    "bookstack_alongside",
    False,
    "Make an ``html`` or ``dirhtml`` build also write the BookStack output (ZIPs, "
    "browsable pages and manifest), from the same environment in the same run.",
    rebuild="",
    types=(bool,),
)

BOOKSTACK_ALONGSIDE_DIR = Option(
    "bookstack_alongside_dir",
    "bookstack",
    "Sub-folder of the HTML output folder that alongside mode writes the BookStack output to.",
    rebuild="",
    types=(str,),
    check=_check_subfolder,
)

#: The BookStack output's options: ``setup_bookstack`` declares them.
OPTIONS = (BOOKSTACK_SOURCE, BOOKSTACK_EXTRAS, BOOKSTACK_ALONGSIDE, BOOKSTACK_ALONGSIDE_DIR)
