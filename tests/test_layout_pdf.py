"""The PDF follows the shelf: books are parts, the shelf page is front matter, and every
page the html build writes is in it (the LaTeX is checked, no TeX needed)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pdf_tools import compile_pdf
from test_bookstack import build, copy_root

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "mosaic-sdk-docs"
DIVISION = re.compile(r"^\\(part|chapter\*?|section|subsection)\{(.*)\}", re.MULTILINE)
DOCUMENT_LABEL = re.compile(r"\\label\{\\detokenize\{([^{}]+)::doc\}\}")


def latex_of(outdir: Path) -> str:
    (tex,) = outdir.glob("*.tex")
    return tex.read_text(encoding="utf-8")


def test_books_are_parts_and_the_shelf_page_is_front_matter(tmp_path: Path) -> None:
    srcdir = copy_root("layout-basic", tmp_path)
    outdir, warnings = build(srcdir, tmp_path / "latex", "latex")
    assert warnings == ""
    tex = latex_of(outdir)
    body = tex[tex.index("\\sphinxtableofcontents") :]
    divisions = DIVISION.findall(body)
    assert divisions[:6] == [
        ("chapter*", "Shelf"),
        ("part", "Getting started"),
        ("chapter", "Overview"),
        ("section", "Local"),
        ("chapter", "Installation"),
        ("part", "Dev"),
    ]
    # The shelf page's own sections are unnumbered headings before the first book, in the
    # table of contents once (as the shelf), never chapters of their own.
    front = body[: body.index("\\part{")]
    assert "Welcome to the shelf." in front and "\\subsubsection*{Books}" in front
    assert "\\chapter{Books}" not in tex
    assert "\\addcontentsline{toc}{chapter}{Shelf}" in front


def test_conf_py_sectioning_is_kept(tmp_path: Path) -> None:
    srcdir = copy_root("layout-basic", tmp_path)
    overrides = {"latex_toplevel_sectioning": "chapter"}
    outdir, _ = build(srcdir, tmp_path / "latex", "latex", confoverrides=overrides)
    divisions = DIVISION.findall(latex_of(outdir))
    assert ("chapter", "Getting started") in divisions
    assert not [d for d in divisions if d[0] == "part"]


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
@pytest.mark.parametrize("tree", ["docs", "_old/docs"])
def test_every_html_page_of_the_corpus_is_in_the_pdf(tmp_path: Path, tree: str) -> None:
    """The corpus's two trees: numbered pages in unnumbered folders, and no numbers at all."""
    srcdir = tmp_path / "src"
    shutil.copytree(CORPUS / tree, srcdir)
    (srcdir / "conf.py").write_text('extensions = ["myst_parser", "sphinx_mosaic"]\n')
    html, warnings = build(srcdir, tmp_path / "html", "html")
    assert "isn't included in any toctree" not in warnings
    pages = {
        path.relative_to(html).with_suffix("").as_posix()
        for path in html.rglob("*.html")
        if not path.relative_to(html).parts[0].startswith("_")
    } - {"genindex", "search"}
    latex, _ = build(srcdir, tmp_path / "latex", "latex")
    in_pdf = set(DOCUMENT_LABEL.findall(latex_of(latex)))
    root = "README" if (srcdir / "README.md").is_file() else next(iter(sorted(pages)))
    # The root page is the PDF's front matter (Sphinx labels it as the document, not a page).
    assert sorted(pages - in_pdf - {root}) == []
    assert len(pages) > 9


@pytest.mark.latex
@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
@pytest.mark.parametrize(
    ("tree", "engines"), [("docs", ("pdflatex", "lualatex")), ("_old/docs", ("pdflatex",))]
)
def test_the_corpus_pdf_is_complete(tmp_path: Path, tree: str, engines: tuple[str, ...]) -> None:
    """Both corpus trees compile, every page is in the PDF and every character drawn (emoji
    as images: no placeholder and no mosaic.character warning)."""
    srcdir = tmp_path / "src"
    shutil.copytree(CORPUS / tree, srcdir)
    (srcdir / "conf.py").write_text('extensions = ["myst_parser", "sphinx_mosaic"]\n')
    outdirs: dict[str, Path] = {}
    for engine in engines:
        overrides = {"latex_engine": engine}
        latex, warnings = build(srcdir, tmp_path / engine, "latex", confoverrides=overrides)
        outdirs[engine] = latex
        assert "mosaic.character" not in warnings
        documents = set(DOCUMENT_LABEL.findall(latex_of(latex)))
        text = compile_pdf(latex, engine)
        assert not re.search(r"\[U\+[0-9A-F]{4,6}\]", text), engine
        pages = text.count("\f")
        assert pages > len(documents), (engine, pages, len(documents))
    emoji = list((outdirs["pdflatex"] / "mosaic-emoji").glob("*.png"))
    assert emoji, "the corpus's emoji are images"
