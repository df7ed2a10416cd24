"""Compiling a LaTeX build to PDF in the tests, and skipping (or failing in CI) without a tool."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import NoReturn

import pytest

#: latexmk's flag for each engine.
LATEXMK_FLAG = {"pdflatex": "-pdf", "lualatex": "-pdflua", "xelatex": "-pdfxe"}

#: Where each program the tests run comes from, named in their skips.
PROVIDER = {
    "pdflatex": "Debian: texlive-latex-base",
    "lualatex": "Debian: texlive-latex-base",
    "xelatex": "Debian: texlive-xetex",
    "latexmk": "Debian: latexmk",
    "kpsewhich": "Debian: texlive-binaries",
    "pdftotext": "Debian: poppler-utils",
    "pdfimages": "Debian: poppler-utils",
    "chromium": "Debian: chromium",
    "dot": "Debian: graphviz",
    "mmdc": "npm: @mermaid-js/mermaid-cli",
}

#: TeX files Sphinx's LaTeX output loads with each engine, one for each Debian package it
#: needs beyond the engine's own, as ``kpsewhich`` finds them.  Debian's ``lualatex`` (in
#: texlive-latex-base) runs without texlive-luatex, then stops at Sphinx's preamble with
#: "Sphinx requires luatex85.sty": a test says so before compiling.
TEX_FILES: dict[str, tuple[tuple[str, str], ...]] = {
    "pdflatex": (
        ("fncychap.sty", "texlive-latex-extra"),
        ("cmap.sty", "texlive-latex-recommended"),
        ("t1txtt.fd", "texlive-fonts-recommended"),
        ("tgtermes.sty", "tex-gyre"),
    ),
    "lualatex": (
        ("luatex85.sty", "texlive-luatex"),
        ("luaotfload.sty", "texlive-luatex"),
        ("fontspec.sty", "texlive-latex-recommended"),
        ("polyglossia.sty", "texlive-latex-recommended"),
        ("fncychap.sty", "texlive-latex-extra"),
    ),
    "xelatex": (
        ("fontspec.sty", "texlive-latex-recommended"),
        ("polyglossia.sty", "texlive-latex-recommended"),
        ("fncychap.sty", "texlive-latex-extra"),
    ),
}


def skip_or_fail(message: str) -> NoReturn:
    """Skip on a developer's machine; fail in CI (``CI`` set), which installs everything."""
    if os.environ.get("CI"):
        pytest.fail(f"{message}: missing in CI", pytrace=False)
    pytest.skip(message)


def require_programs(*programs: str) -> None:
    missing = [program for program in programs if shutil.which(program) is None]
    if missing:
        named = ", ".join(f"{p} ({PROVIDER[p]})" if p in PROVIDER else p for p in missing)
        skip_or_fail(f"needs {named} (installed by .ci/run)")


def require_tex(engine: str) -> None:
    """Skip (fail in CI) unless the TeX files Sphinx's LaTeX needs with *engine* are there,
    naming each missing file and the Debian package that installs it."""
    require_programs(engine, "kpsewhich")
    files = TEX_FILES[engine]
    found = subprocess.run(
        ["kpsewhich", *(name for name, _ in files)],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.splitlines()
    have = {Path(line.strip()).name for line in found}
    missing = [(name, package) for name, package in files if name not in have]
    if missing:
        named = ", ".join(f"{name} (Debian: {package})" for name, package in missing)
        skip_or_fail(f"{engine} needs {named} (installed by .ci/run)")


def compile_pdf(outdir: Path, engine: str = "pdflatex", *, layout: bool = False) -> str:
    """latexmk the one ``.tex`` of *outdir* with *engine*; the PDF's text (pdftotext, with
    ``-layout`` if *layout*: a table's row stays on one line).

    Fails on a LaTeX error, an undeclared character (pdflatex) or a glyph the font lacks
    (xelatex, lualatex)."""
    require_programs(engine, "latexmk", "pdftotext")
    require_tex(engine)
    (tex,) = outdir.glob("*.tex")
    command = ["latexmk", LATEXMK_FLAG[engine], "-interaction=nonstopmode", "-halt-on-error"]
    done = subprocess.run([*command, tex.name], cwd=outdir, capture_output=True, timeout=900)
    log = tex.with_suffix(".log").read_text(encoding="latin-1")
    assert done.returncode == 0, log[-3000:]
    assert "LaTeX Error: Unicode character" not in log
    assert "Missing character" not in log
    return subprocess.run(
        ["pdftotext", *(["-layout"] if layout else []), tex.with_suffix(".pdf").name, "-"],
        cwd=outdir,
        capture_output=True,
        check=True,
        text=True,
    ).stdout
