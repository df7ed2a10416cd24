"""What each non-ASCII character becomes in the PDF, for one LaTeX engine."""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sphinx_mosaic.pdf.characters import emoji
from sphinx_mosaic.pdf.characters.table import pdflatex_knows, symbol_latex

#: Engines that read UTF-8 natively and take glyphs from OpenType fonts.
UNICODE_ENGINES = frozenset({"xelatex", "lualatex", "uplatex"})


class Kind(enum.Enum):
    """How a character reaches the PDF."""

    #: The engine typesets it as it is (ASCII, Latin letters, or a font's glyph).
    PLAIN = "plain"
    #: A LaTeX command from the symbol table.
    SYMBOL = "symbol"
    #: A Twemoji image.
    EMOJI = "emoji"
    #: An emoji or pictograph, but the image set is not installed: a placeholder.
    NO_IMAGE = "no-image"
    #: Nothing renders it: a placeholder ``[U+XXXX]`` and a warning.
    MISSING = "missing"


@dataclass(frozen=True)
class Rendering:
    """What the character *code* becomes: its *kind*, the LaTeX that stands in for it
    (symbols), the *image* (emoji) and the LaTeX *package* the LaTeX needs."""

    code: int
    kind: Kind
    latex: str = ""
    package: str | None = None
    image: Path | None = None

    @property
    def char(self) -> str:
        return chr(self.code)

    @property
    def hex(self) -> str:
        return f"{self.code:04X}"

    @property
    def name(self) -> str:
        return unicodedata.name(self.char, f"U+{self.hex}")

    @property
    def description(self) -> str:
        """The character, its code point and its name, for messages."""
        name = unicodedata.name(self.char, "")
        if not name:
            category = unicodedata.category(self.char)
            name = {"Co": "a private-use character", "Cn": "an unassigned code point"}.get(
                category, f"a character of category {category}"
            )
        shown = self.char if self.char.isprintable() else ""
        return f"U+{self.hex} {name}" + (f" ({shown})" if shown else "")

    @property
    def placeholder(self) -> str:
        return f"[U+{self.hex}]"


def classify(code: int, engine: str) -> Rendering:
    """What the character *code* becomes in a PDF built with *engine*."""
    if code < 0x80:
        return Rendering(code, Kind.PLAIN)
    symbol = symbol_latex(code)
    if symbol is not None:
        return Rendering(code, Kind.SYMBOL, latex=symbol[0], package=symbol[1])
    image = emoji.image_for(code)
    if image is not None:
        return Rendering(code, Kind.EMOJI, image=image)
    if emoji.image_folder() is None and emoji.looks_like_emoji(code):
        return Rendering(code, Kind.NO_IMAGE)
    if engine in UNICODE_ENGINES:
        # A Unicode engine takes the glyph from the font; only characters that no
        # font can hold (private use, unassigned, surrogates) are beyond it.
        missing = unicodedata.category(chr(code)) in ("Co", "Cn", "Cs")
    else:
        missing = not pdflatex_knows(code)
    return Rendering(code, Kind.MISSING if missing else Kind.PLAIN)
