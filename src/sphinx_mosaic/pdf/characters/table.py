"""Which LaTeX stands in for a character that pdflatex has no glyph for.

The table is engine-independent: every command works under pdflatex, xelatex
and lualatex, so a symbol looks the same whichever engine builds the PDF and
does not depend on the fonts a machine has.
"""

from __future__ import annotations

import unicodedata

#: LaTeX packages a command of the table needs (loaded only when one is used).
PIFONT = "pifont"
PMBOXDRAW = "pmboxdraw"

_MATH = {
    0x2190: r"\leftarrow",
    0x2191: r"\uparrow",
    0x2192: r"\rightarrow",
    0x2193: r"\downarrow",
    0x2194: r"\leftrightarrow",
    0x2195: r"\updownarrow",
    0x2196: r"\nwarrow",
    0x2197: r"\nearrow",
    0x2198: r"\searrow",
    0x2199: r"\swarrow",
    0x21D0: r"\Leftarrow",
    0x21D2: r"\Rightarrow",
    0x21D4: r"\Leftrightarrow",
    0x21A6: r"\mapsto",
    0x27F5: r"\longleftarrow",
    0x27F6: r"\longrightarrow",
    0x27F9: r"\Longrightarrow",
    0x2200: r"\forall",
    0x2203: r"\exists",
    0x2205: r"\emptyset",
    0x2206: r"\Delta",
    0x2208: r"\in",
    0x2209: r"\notin",
    0x2211: r"\sum",
    0x2212: r"-",
    0x2213: r"\mp",
    0x2218: r"\circ",
    0x2219: r"\bullet",
    0x221A: r"\surd",
    0x221E: r"\infty",
    0x2227: r"\wedge",
    0x2228: r"\vee",
    0x2229: r"\cap",
    0x222A: r"\cup",
    0x2248: r"\approx",
    0x2260: r"\neq",
    0x2261: r"\equiv",
    0x2264: r"\leq",
    0x2265: r"\geq",
    0x226A: r"\ll",
    0x226B: r"\gg",
    0x2282: r"\subset",
    0x2283: r"\supset",
    0x2286: r"\subseteq",
    0x2287: r"\supseteq",
    0x22C5: r"\cdot",
    0x22EF: r"\cdots",
    0x25A0: r"\blacksquare",
    0x25A1: r"\square",
    0x25AA: r"\blacksquare",
    0x25AB: r"\square",
    0x25B2: r"\blacktriangle",
    0x25B3: r"\triangle",
    0x25B6: r"\blacktriangleright",
    0x25B8: r"\blacktriangleright",
    0x25BA: r"\blacktriangleright",
    0x25BC: r"\blacktriangledown",
    0x25BD: r"\triangledown",
    0x25C0: r"\blacktriangleleft",
    0x25C2: r"\blacktriangleleft",
    0x25C4: r"\blacktriangleleft",
    0x25CB: r"\bigcirc",
    0x25E6: r"\circ",
}

#: pifont's ZapfDingbats numbers (``\ding{n}``), the usual check marks and stars.
_DINGBATS = {
    0x2605: 72,  # ★
    0x2606: 73,  # ☆
    0x260E: 37,  # ☎
    0x261B: 42,  # ☛
    0x261E: 43,  # ☞
    0x2701: 33,  # ✁
    0x2702: 34,  # ✂
    0x2713: 51,  # ✓
    0x2714: 52,  # ✔
    0x2715: 53,  # ✕
    0x2716: 54,  # ✖
    0x2717: 55,  # ✗
    0x2718: 56,  # ✘
    0x271A: 58,  # ✚
    0x2726: 70,  # ✦
    0x2727: 71,  # ✧
    0x2729: 73,  # ✩
    0x272A: 74,  # ✪
    0x2736: 86,  # ✶
    0x2756: 118,  # ❖
    0x275D: 125,  # ❝
    0x275E: 126,  # ❞
    0x2794: 212,  # ➔
    0x2798: 216,  # ➘
    0x2799: 217,  # ➙
    0x279A: 218,  # ➚
    0x279C: 220,  # ➜
    0x27A2: 226,  # ➢
    0x27A4: 228,  # ➤
    0x25CF: 108,  # ●
    0x25C6: 117,  # ◆
}

_TEXT = {
    0x2010: "-",
    0x2011: r"\mbox{-}",
    0x2012: r"\textendash{}",
    0x2015: r"\textemdash{}",
    0x2002: r"\enspace{}",
    0x2003: r"\quad{}",
    0x2009: r"\,",
    0x200A: r"\,",
    0x202F: r"\,",
    0x2032: r"\ensuremath{'}",
    0x2033: r"\ensuremath{''}",
    0x2043: "-",
    0x2047: "??",
    0x2212: r"\ensuremath{-}",
    0x2571: "/",
    0x2572: r"\textbackslash{}",
    0x2573: "X",
    # The replacement character stands where text could not be decoded (other components
    # put it for lone surrogates and have warned about them): a boxed question mark.
    0xFFFD: r"\fbox{\footnotesize ?}",
}

#: Characters with no width of their own: emoji presentation selectors, joiners,
#: the byte order mark.  A joined emoji sequence shows as its parts, one by one.
INVISIBLE = frozenset({0x200B, 0x200C, 0x200D, 0x2060, 0xFE0E, 0xFE0F, 0xFEFF})

#: The box drawings block: pmboxdraw draws these with rules (its \pmboxdrawuni);
#: the few it lacks (dashed and rounded lines) borrow the nearest solid one.
_BOX_SUBSTITUTES = {
    **dict.fromkeys((0x2504, 0x2508, 0x254C), 0x2500),
    **dict.fromkeys((0x2505, 0x2509, 0x254D), 0x2501),
    **dict.fromkeys((0x2506, 0x250A, 0x254E), 0x2502),
    **dict.fromkeys((0x2507, 0x250B, 0x254F), 0x2503),
    **dict.fromkeys(range(0x2525, 0x252C), 0x2524),
    0x256D: 0x250C,
    0x256E: 0x2510,
    0x256F: 0x2518,
    0x2570: 0x2514,
}
#: The ranges pmboxdraw declares (its pmboxdrawenc.dfu), upper bounds excluded.
_BOX_RANGES = (
    (0x2500, 0x2504),
    (0x250C, 0x2525),
    (0x252C, 0x254C),
    (0x2550, 0x256D),
    (0x2574, 0x25A0),
)
_BOX_DRAWN = frozenset(code for low, high in _BOX_RANGES for code in range(low, high))


def symbol_latex(code: int) -> tuple[str, str | None] | None:
    """The LaTeX for the symbol *code* and the package it needs, or None if the
    table has no entry for it."""
    if code in INVISIBLE:
        return "", None
    if code in _TEXT:
        return _TEXT[code], None
    if code in _MATH:
        return rf"\ensuremath{{{_MATH[code]}}}", None
    if code in _DINGBATS:
        return rf"\ding{{{_DINGBATS[code]}}}", PIFONT
    box = _BOX_SUBSTITUTES.get(code, code)
    if box in _BOX_DRAWN:
        return rf"\pmboxdrawuni{{{box:04X}}}", PMBOXDRAW
    return None


def pdflatex_knows(code: int) -> bool:
    """Whether pdflatex typesets *code* as it stands in a Sphinx document: the
    T1 and TS1 encodings (Latin letters, the usual punctuation and signs) and the
    Greek that Sphinx's default textalpha package provides."""
    if code < 0x0180 or 0x0370 <= code < 0x0400:  # Latin-1, Latin Extended-A, Greek
        return unicodedata.category(chr(code)) not in ("Cn", "Co", "Cc")
    return code in _PDFLATEX_PUNCTUATION


_PDFLATEX_PUNCTUATION = frozenset(
    {0x02C6, 0x02C7, 0x02DA, 0x02DC, 0x02DD, 0x2013, 0x2014, 0x2016, 0x2018, 0x2019}
    | {0x201A, 0x201C, 0x201D, 0x201E, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2031}
    | {0x2039, 0x203A, 0x203B, 0x203D, 0x2044, 0x2052, 0x20A1, 0x20A4, 0x20A6, 0x20A9}
    | {0x20AB, 0x20AC, 0x20B1, 0x2103, 0x2116, 0x2117, 0x211E, 0x2120, 0x2122, 0x2126}
    | {0x2127, 0x212E, 0x2190, 0x2191, 0x2192, 0x2193, 0x2329, 0x232A, 0x2422, 0x2423}
    | {0x25E6, 0x25EF, 0x266A, 0x27E8, 0x27E9, 0x00A0}
)
