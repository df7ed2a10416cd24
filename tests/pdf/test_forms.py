"""Other extensions' constructs in the PDF: the forms the BookStack output gives them where
they have no LaTeX rendering of their own (checked in the LaTeX, no TeX needed)."""

from __future__ import annotations

from pathlib import Path

from helpers.build import build, copy_root


def test_tab_labels_card_titles_and_icons_in_latex(tmp_path: Path) -> None:
    outdir, _warnings = build(copy_root("bookstack-fidelity", tmp_path), tmp_path / "_b", "latex")
    tex = (outdir / "fidelity.tex").read_text(encoding="utf-8")
    # sphinx-inline-tabs: each label an unnumbered heading before its content (Sphinx's
    # writer alone drops the labels).
    assert tex.index("\\subsubsection*{Inline one}") < tex.index("Inline content one.")
    assert tex.index("\\subsubsection*{Inline two}") < tex.index("Inline content two.")
    # sphinx-design: the card's title in bold; sphinx-design's own tab headings untouched.
    assert "\\sphinxstylestrong{Card title}" in tex
    assert tex.count("\\subsubsection*{First tab}") == 1
    # A paragraph of icons alone leaves no empty paragraph behind.
    assert "\\sphinxAtStartPar\n\n\n" not in tex
