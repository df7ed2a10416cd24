"""Badges and the status table survive pdflatex: check the text of the PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.pdf import compile_pdf
from sphinx.testing.util import SphinxTestApp

from sphinx_mosaic.pdf.characters.emoji import image_folder


@pytest.mark.latex
def test_pdf_shows_badges_and_table(
    make_app: Callable[..., SphinxTestApp], rootdir: Path, tmp_path: Path
) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-status", srcdir)
    app = make_app("latex", srcdir=srcdir)
    app.build()
    assert app.warning.getvalue() == ""
    outdir = Path(app.outdir)
    # compile_pdf fails on a character pdflatex does not know: no emoji reached it
    text = compile_pdf(outdir, layout=True)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    # the status table, one row per book
    assert "Book Status Complete Last updated" in lines
    for row in (
        "Alpha Partial 75 % 1/2 2024-06-02",
        "Beta Planned 0/3 2023-01-15",
        "Gamma Complete set by hand 0/2 —",
        "Delta Complete 2/2 —",
        "Epsilon Partial 40 % 0/2 —",
    ):
        assert row in lines
    # badges inline and under page titles, and the page footer
    assert "A custom status In review and an emoji one Partial ." in lines
    # emoji in running text are Twemoji images (sphinx-mosaic[pdf]), not an error; without
    # the image set the status package draws the circles as coloured dots
    if image_folder() is not None:
        legend = (
            "The legend of the old hand-written table: Complete, Partial, Planned, Not started."
        )
        images = subprocess.run(
            ["pdfimages", "-list", "status.pdf"],
            cwd=outdir,
            capture_output=True,
            check=True,
            text=True,
        ).stdout.splitlines()[2:]
        assert len({row.split()[10] for row in images if row.split()[2] == "image"}) == 4
    else:
        legend = (
            "The legend of the old hand-written table: ∙ Complete, ∙ Partial, ∙ Planned, "
            "∘ Not started."
        )
    assert legend in lines
    assert any(re.fullmatch(r"Last updated: 2024-05-01 · Version: 2\.3", line) for line in lines)
    # A badge in a heading; books are parts, so chapters are numbered across the shelf.
    assert "7.1 Installing Planned" in lines
    assert lines.count("Complete") >= 4  # badges alone on their line under titles
