"""The PDF tests name what they lack: each missing program and TeX file with its package.

A fake TeX installation (shell scripts on ``PATH``) stands for a Debian machine
with TeX Live but without texlive-luatex: its ``lualatex`` runs, but Sphinx's
preamble stops at ``luatex85.sty``.  The PDF tests skip there on a developer's
machine, naming the file and the package, and fail in CI, which installs both.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.pdf import TEX_FILES, compile_pdf, require_programs, require_tex


def fake_tex(folder: Path, monkeypatch: pytest.MonkeyPatch, *, lacking: set[str]) -> Path:
    """Programs on a fresh PATH: every TeX program, and a kpsewhich that finds every file but
    those in *lacking*; latexmk leaves a mark when it runs.  Returns the mark's path."""
    folder.mkdir()
    mark = folder / "latexmk-ran"
    lack = " ".join(sorted(lacking))
    found = f'case " {lack} " in *" $f "*) ;; *) echo "/tex/$f";; esac'
    scripts = {
        "kpsewhich": f'for f in "$@"; do {found}; done',
        "latexmk": f': > "{mark}"',  # a shell builtin: PATH holds nothing else
    }
    for program in ("pdflatex", "lualatex", "xelatex", "pdftotext", "kpsewhich", "latexmk"):
        script = folder / program
        script.write_text(f"#!/bin/sh\n{scripts.get(program, 'exit 0')}\n")
        script.chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.delenv("CI", raising=False)
    return mark


def test_lualatex_without_luatex85_skips_naming_the_debian_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mark = fake_tex(tmp_path / "bin", monkeypatch, lacking={"luatex85.sty"})
    outdir = tmp_path / "latex"
    outdir.mkdir()
    (outdir / "project.tex").write_text("\\documentclass{article}\n")
    with pytest.raises(pytest.skip.Exception) as skipped:
        compile_pdf(outdir, "lualatex")
    assert str(skipped.value) == (
        "lualatex needs luatex85.sty (Debian: texlive-luatex) (installed by .ci/run)"
    )
    assert not mark.exists(), "latexmk ran although the PDF could not be made"


def test_in_ci_a_missing_tex_file_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_tex(tmp_path / "bin", monkeypatch, lacking={"fontspec.sty", "polyglossia.sty"})
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception) as failed:
        require_tex("xelatex")
    message = str(failed.value)
    assert "fontspec.sty (Debian: texlive-latex-recommended)" in message
    assert "polyglossia.sty (Debian: texlive-latex-recommended)" in message
    assert message.endswith("missing in CI")


@pytest.mark.parametrize("engine", sorted(TEX_FILES))
def test_an_engine_with_its_files_needs_nothing_more(
    engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_tex(tmp_path / "bin", monkeypatch, lacking=set())
    require_tex(engine)  # no skip


def test_a_missing_program_is_named_with_its_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        require_programs("xelatex", "pdftotext", "mmdc")
    assert str(skipped.value) == (
        "needs xelatex (Debian: texlive-xetex), pdftotext (Debian: poppler-utils), "
        "mmdc (npm: @mermaid-js/mermaid-cli) (installed by .ci/run)"
    )
