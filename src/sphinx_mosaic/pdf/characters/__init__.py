"""Every character of the sources in the PDF: emoji as images, symbols as LaTeX.

Modules: :mod:`.table` (symbols to LaTeX commands), :mod:`.emoji` (the Twemoji
images), :mod:`.classify` (what a character becomes for an engine),
:mod:`.scan` (one warning per character nothing renders, at its first place),
:mod:`.sty` (the LaTeX package declaring the characters a build uses).

Why the package is written from the finished ``.tex`` files: they hold every
character LaTeX will see, whatever produced it, and the LaTeX builder writes
all of them on every build, so the package is complete after an incremental
build too, and after a parallel one (reading in parallel does not change what
is written).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sphinx.application import Sphinx

from sphinx_mosaic.pdf.characters.classify import Kind, Rendering, classify
from sphinx_mosaic.pdf.characters.scan import scan_doctree
from sphinx_mosaic.pdf.characters.sty import IMAGE_FOLDER, PACKAGE, package_text

_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def characters_in(paths: list[Path]) -> set[int]:
    """The non-ASCII code points of the files at *paths* (those that exist)."""
    codes: set[int] = set()
    for path in paths:
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            codes.update(ord(char) for char in set(_NON_ASCII.findall(text)))
    return codes


def write_package(outdir: Path, codes: set[int], engine: str) -> list[Rendering]:
    """Write the package and the emoji images for *codes* into *outdir*; return
    what each character became."""
    renderings = [classify(code, engine) for code in sorted(codes)]
    images = outdir / IMAGE_FOLDER
    for rendering in renderings:
        if rendering.kind is Kind.EMOJI and rendering.image is not None:
            images.mkdir(exist_ok=True)
            shutil.copyfile(rendering.image, images / f"{rendering.code}.png")
    (outdir / f"{PACKAGE}.sty").write_text(package_text(renderings, engine), encoding="utf-8")
    return renderings


def _write_after_build(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "latex":
        return
    outdir = Path(app.outdir)
    targets = [str(entry[1]) for entry in getattr(app.builder, "document_data", [])]
    # sphinxmessages.sty holds the translated labels ("Index", "Chapter").
    paths = [outdir / name for name in [*targets, "sphinxmessages.sty"]]
    write_package(outdir, characters_in(paths), str(app.config.latex_engine))


def setup_characters(app: Sphinx) -> None:
    """Register the characters component with Sphinx."""
    app.add_latex_package(PACKAGE)
    app.connect("doctree-resolved", scan_doctree)
    app.connect("build-finished", _write_after_build)


__all__ = ["characters_in", "classify", "setup_characters", "write_package"]
