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


def skip_or_fail(message: str) -> NoReturn:
    """Skip on a developer's machine; fail in CI (``CI`` set), which installs everything."""
    if os.environ.get("CI"):
        pytest.fail(f"{message}: missing in CI", pytrace=False)
    pytest.skip(message)


def require_programs(*programs: str) -> None:
    missing = [program for program in programs if shutil.which(program) is None]
    if missing:
        skip_or_fail(f"needs {', '.join(missing)} (installed by .ci/run)")


def compile_pdf(outdir: Path, engine: str = "pdflatex") -> str:
    """latexmk the one ``.tex`` of *outdir* with *engine*; the PDF's text (pdftotext).

    Fails on a LaTeX error, an undeclared character (pdflatex) or a glyph the font lacks
    (xelatex, lualatex)."""
    require_programs(engine, "latexmk", "pdftotext")
    (tex,) = outdir.glob("*.tex")
    command = ["latexmk", LATEXMK_FLAG[engine], "-interaction=nonstopmode", "-halt-on-error"]
    done = subprocess.run([*command, tex.name], cwd=outdir, capture_output=True, timeout=900)
    log = tex.with_suffix(".log").read_text(encoding="latin-1")
    assert done.returncode == 0, log[-3000:]
    assert "LaTeX Error: Unicode character" not in log
    assert "Missing character" not in log
    return subprocess.run(
        ["pdftotext", tex.with_suffix(".pdf").name, "-"],
        cwd=outdir,
        capture_output=True,
        check=True,
        text=True,
    ).stdout
