"""The configuration options of the BookStack output (declared once, here)."""

from __future__ import annotations

from typing import Any

from sphinx_mosaic.config import Option, declare


def _check_subfolder(value: Any) -> str | None:
    text = str(value)
    if not text or text.startswith(("/", "\\")) or ".." in text.replace("\\", "/").split("/"):
        return "must be a relative folder name inside the HTML output folder"
    return None


declare(
    Option(
        "bookstack_extras",
        "omit",
        "What the BookStack output does with unnumbered top-level folders (extras such as "
        "``scratchpads/``): ``omit`` leaves them out, ``books`` makes each one a book of its own "
        '(its sub-folders become chapters).  With ``mosaic_unnumbered_folders = "books"`` they '
        "are books anyway.",
        rebuild="",
        choices=("omit", "books"),
    ),
    Option(
        "bookstack_alongside",
        False,
        "Make an ``html`` or ``dirhtml`` build also write the BookStack output (ZIPs, browsable "
        "pages and manifest), from the same environment in the same run.",
        rebuild="",
        types=(bool,),
    ),
    Option(
        "bookstack_alongside_dir",
        "bookstack",
        "Sub-folder of the HTML output folder that alongside mode writes the BookStack output to.",
        rebuild="",
        types=(str,),
        check=_check_subfolder,
    ),
)
