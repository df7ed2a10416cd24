"""The LaTeX package that declares the characters a build's documents use.

Written into the LaTeX output folder after the ``.tex`` files, from the
characters found in them (so text from any source counts: pages, titles,
``latex_elements``, translated labels).  pdflatex gets
``\\DeclareUnicodeCharacter``; xelatex and lualatex read UTF-8 themselves and get
the same definitions through ``newunicodechar``.
"""

from __future__ import annotations

from collections.abc import Iterable

from sphinx_mosaic.pdf.characters.classify import UNICODE_ENGINES, Kind, Rendering

PACKAGE = "sphinxmosaiccharacters"
#: The folder beside the ``.tex`` files that holds the emoji images.
IMAGE_FOLDER = "mosaic-emoji"

_HEADER = rf"""% sphinx-mosaic: the characters of this build that LaTeX has no glyph for.
% Written by sphinx-mosaic for the characters the documents use; do not edit.
\NeedsTeXFormat{{LaTeX2e}}
\ProvidesPackage{{{PACKAGE}}}[2026/12/03 sphinx-mosaic characters]
\RequirePackage{{graphicx}}
% An emoji: its image, one line high, sitting on the baseline like a letter.
% The argument is the decimal code point (digits survive \MakeUppercase).
\DeclareRobustCommand{{\sphinxmosaicemoji}}[1]{{%
  \raisebox{{-0.12em}}{{\includegraphics[height=0.95em]{{{IMAGE_FOLDER}/#1.png}}}}}}
% A character nothing renders: its code point in brackets, visibly.
\DeclareRobustCommand{{\sphinxmosaicmissing}}[1]{{\textnormal{{\ttfamily[U+#1]}}}}
\AtBeginDocument{{%
  \ifdefined\pdfstringdefDisableCommands
    \pdfstringdefDisableCommands{{%
      \def\sphinxmosaicemoji#1{{}}\def\sphinxmosaicmissing#1{{[U+#1]}}}}%
  \fi}}
"""

# pdflatex: a placeholder only for characters no package has declared by the start
# of the document (the status badges' circles, a user's own preamble): LaTeX's
# utf8 input encoding keeps a declared character as the macro u8:<its bytes>.
_GUARD = r"""\newcommand*{\sphinxmosaic@fallback}[2]{%
  \ifcsname u8:\detokenize{#2}\endcsname\else
    \DeclareUnicodeCharacter{#1}{\sphinxmosaicmissing{#1}}%
  \fi}
"""


def _definition(rendering: Rendering) -> str:
    if rendering.kind is Kind.EMOJI:
        return rf"\sphinxmosaicemoji{{{rendering.code}}}"
    if rendering.kind is Kind.SYMBOL:
        return rendering.latex
    return rf"\sphinxmosaicmissing{{{rendering.hex}}}"


def package_text(renderings: Iterable[Rendering], engine: str) -> str:
    """The text of the package for the characters of *renderings*, for *engine*."""
    chosen = sorted((r for r in renderings if r.kind is not Kind.PLAIN), key=lambda r: r.code)
    unicode_engine = engine in UNICODE_ENGINES
    lines = [_HEADER]
    packages = sorted({r.package for r in chosen if r.package})
    if unicode_engine:
        packages = ["newunicodechar", *packages]
    lines += [rf"\RequirePackage{{{package}}}" for package in packages]
    guarded: list[Rendering] = []
    for rendering in chosen:
        comment = f"% {rendering.name}"
        if unicode_engine:
            line = rf"\newunicodechar{{{rendering.char}}}{{{_definition(rendering)}}}"
        elif rendering.kind in (Kind.MISSING, Kind.NO_IMAGE):
            guarded.append(rendering)
            continue
        else:
            line = rf"\DeclareUnicodeCharacter{{{rendering.hex}}}{{{_definition(rendering)}}}"
        lines.append(f"{line}{comment}")
    if guarded:
        lines.append(_GUARD)
        lines.append(r"\AtBeginDocument{%")
        lines += [rf"  \sphinxmosaic@fallback{{{r.hex}}}{{{r.char}}}% {r.name}" for r in guarded]
        lines.append("}")
    lines.append(r"\endinput")
    return "\n".join(lines) + "\n"
