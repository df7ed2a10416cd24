"""The PDF follows the shelf: books are parts, the shelf page is front matter, and every
page the html build writes is in it (the LaTeX is checked, no TeX needed)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.build import build, copy_root
from helpers.pdf import compile_pdf
from helpers.trees import write_tree
from sphinx.util.texescape import escape

from sphinx_mosaic.layout.model import Folder, Layout, Page, discover

CORPUS = Path(__file__).parents[1] / "corpus" / "mosaic-sdk-docs"
DOCS = Path(__file__).resolve().parents[2] / "docs"
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
    # 1-quick-start/ has no README: a chapter named after its folder, its pages sections.
    assert divisions[:7] == [
        ("chapter*", "Shelf"),
        ("part", "Getting started"),
        ("chapter", "Quick start"),
        ("section", "Overview"),
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


#: The new user's tree of issue #31: a book whose chapter folder has no README.
README_LESS = {
    "conf.py": 'extensions = ["myst_parser", "sphinx_mosaic"]\nproject = "Outline"\n',
    "README.md": "# Shelf\n\nIntro.\n",
    "1-getting-started/README.md": "# Getting started\n\nThe book.\n",
    "1-getting-started/1-overview.md": "---\nstatus: complete\n---\n# Overview\n\nText.\n",
    "1-getting-started/2-installation/1-local-setup.md": (
        "# Local Setup\n\nLocal.\n\n## Database\n\nDB.\n\n## Verify\n\nV.\n"
    ),
    "1-getting-started/2-installation/2-docker-setup.md": "# Docker Setup\n\nDocker.\n",
    "2-guide/README.md": "# Guide\n\nG.\n",
    "2-guide/1-usage/README.md": "# Usage\n\nHow to use it.\n",
    "2-guide/1-usage/1-basics.md": "# Basics\n\nB.\n",
    "2-guide/2-faq.md": "# FAQ\n\nF.\n",
}


def expected_outline(layout: Layout) -> list[tuple[str, str]]:
    """The divisions the layout asks for: a book is a part, a folder (named by its index
    page, or by itself without one) or a page directly in a book a chapter, one level
    further down for each folder."""
    levels = ("part", "chapter", "section", "subsection")
    result: list[tuple[str, str]] = []

    def walk(folder: Folder, depth: int) -> None:
        for child in folder.children:
            if isinstance(child, Page):
                result.append((levels[depth], child.title))
            else:
                result.append((levels[depth], child.index.title if child.index else child.title))
                walk(child, depth + 1)

    for book in layout.books:
        result.append(("part", book.index.title if book.index else book.title))
        walk(book, 1)
    return result


def page_outline(tex: str) -> list[tuple[str, str]]:
    """The .tex's divisions that start a page or a folder (a page's own sub-headings are
    left out: they carry neither a document label nor a folder id)."""
    found = []
    for match in re.finditer(
        r"^\\(part|chapter|section|subsection)\{(.*)\}\n((?:\\label\{\\detokenize\{[^{}]+\}\})+)",
        tex,
        re.MULTILINE,
    ):
        if "::doc}" in match[3] or ":mosaic-folder-" in match[3]:
            found.append((match[1], match[2]))
    return found


@pytest.mark.parametrize("tree", ["readme-less", "our docs"])
def test_the_pdf_outline_follows_the_layout(tmp_path: Path, tree: str) -> None:
    if tree == "our docs":
        # Our conf.py lives beside docs/ and finds docs/_ext from there: a copy of both.
        srcdir = tmp_path / "docs"
        shutil.copytree(DOCS, srcdir)
        (srcdir / "conf.py").write_text(
            (DOCS.parent / "conf.py")
            .read_text(encoding="utf-8")
            .replace('HERE / "docs" / "_ext"', 'HERE / "_ext"'),
            encoding="utf-8",
        )
    else:
        srcdir = write_tree(tmp_path / "src", README_LESS)
    outdir, _ = build(srcdir, tmp_path / "latex", "latex")
    tex = latex_of(outdir)
    layout = discover(srcdir)
    assert page_outline(tex) == [
        (level, escape(title)) for level, title in expected_outline(layout)
    ]
    # Each page's "Last updated" line once, at the end of its own content: before the
    # next page's heading, never piled up after the pages its toctree includes.
    body = tex[tex.index("\\part{") :]
    for chunk in re.split(r"\\label\{\\detokenize\{[^{}]+::doc\}\}", body)[1:]:
        assert chunk.count("\\DUrole{mosaic-last-updated}") <= 1, chunk[:400]
    if tree == "readme-less":  # every page has a date (the files' times)
        assert tex.count("\\DUrole{mosaic-last-updated}") == len(re.findall(r"::doc\}\}", tex))
    # Pages open on any page (no blank left-hand pages), and the front matter has its own
    # running head instead of the table of contents'.
    assert re.search(r"\\documentclass\[[^]]*openany[^]]*\]\{sphinxmanual\}", tex)
    assert "\\markboth{" in tex[: tex.index("\\part{")]


def test_conf_py_class_options_are_kept(tmp_path: Path) -> None:
    srcdir = write_tree(tmp_path / "src", README_LESS)
    overrides = {"latex_elements": {"extraclassoptions": "openright"}}
    outdir, _ = build(srcdir, tmp_path / "latex", "latex", confoverrides=overrides)
    assert "openany" not in latex_of(outdir)


@pytest.mark.latex
def test_a_short_shelf_pdf_has_no_blank_pages(tmp_path: Path) -> None:
    outdir, _ = build(write_tree(tmp_path / "src", README_LESS), tmp_path / "latex", "latex")
    compile_pdf(outdir)
    (pdf,) = outdir.glob("*.pdf")
    pages = int(
        re.search(
            r"Pages:\s+(\d+)",
            subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout,
        )[1]
    )
    texts = [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), pdf, "-"], capture_output=True, text=True
        ).stdout.strip()
        for n in range(1, pages + 1)
    ]
    # A page holding nothing but its number is padding as much as an empty one.
    blank = [n for n, text in enumerate(texts, start=1) if len(text) <= 3]
    assert blank == [], texts
    # Title, contents, the shelf, and a part page and the content of each book's chapters:
    # 11 pages (0.2.0 with Sphinx's right-hand openings and a blank after each part: 21).
    assert pages <= 12, texts


def test_conf_py_sectioning_is_kept(tmp_path: Path) -> None:
    srcdir = copy_root("layout-basic", tmp_path)
    overrides = {"latex_toplevel_sectioning": "chapter"}
    outdir, _ = build(srcdir, tmp_path / "latex", "latex", confoverrides=overrides)
    divisions = DIVISION.findall(latex_of(outdir))
    assert ("chapter", "Getting started") in divisions
    assert not [d for d in divisions if d[0] == "part"]


@dataclass(frozen=True)
class CorpusLatex:
    srcdir: Path
    outdir: Path
    warnings: str


@pytest.fixture(scope="module")
def corpus_latex(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], CorpusLatex]:
    """A corpus tree's LaTeX build (pdflatex, Sphinx's default engine), made once for the two
    tests that read it: one checks its pages, the other compiles it."""
    made: dict[str, CorpusLatex] = {}

    def get(tree: str) -> CorpusLatex:
        if tree not in made:
            tmp = tmp_path_factory.mktemp("corpus-latex")
            srcdir = tmp / "src"
            shutil.copytree(CORPUS / tree, srcdir)
            (srcdir / "conf.py").write_text('extensions = ["myst_parser", "sphinx_mosaic"]\n')
            overrides = {"latex_engine": "pdflatex"}
            latex = build(srcdir, tmp / "pdflatex", "latex", confoverrides=overrides)
            made[tree] = CorpusLatex(srcdir, latex.outdir, latex.warnings)
        return made[tree]

    return get


@pytest.mark.slow
@pytest.mark.parametrize("tree", ["docs", "_old/docs"])
def test_every_html_page_of_the_corpus_is_in_the_pdf(
    tmp_path: Path, corpus_latex: Callable[[str], CorpusLatex], tree: str
) -> None:
    """The corpus's two trees: numbered pages in unnumbered folders, and no numbers at all."""
    latex = corpus_latex(tree)
    srcdir = latex.srcdir
    html, warnings = build(srcdir, tmp_path / "html", "html")
    assert "isn't included in any toctree" not in warnings
    pages = {
        path.relative_to(html).with_suffix("").as_posix()
        for path in html.rglob("*.html")
        if not path.relative_to(html).parts[0].startswith("_")
    } - {"genindex", "search"}
    in_pdf = set(DOCUMENT_LABEL.findall(latex_of(latex.outdir)))
    root = "README" if (srcdir / "README.md").is_file() else next(iter(sorted(pages)))
    # The root page is the PDF's front matter (Sphinx labels it as the document, not a page).
    assert sorted(pages - in_pdf - {root}) == []
    assert len(pages) > 9


@pytest.mark.slow
@pytest.mark.latex
@pytest.mark.parametrize(
    ("tree", "engines"), [("docs", ("pdflatex", "lualatex")), ("_old/docs", ("pdflatex",))]
)
def test_the_corpus_pdf_is_complete(
    tmp_path: Path,
    corpus_latex: Callable[[str], CorpusLatex],
    tree: str,
    engines: tuple[str, ...],
) -> None:
    """Both corpus trees compile, every page is in the PDF and every character drawn (emoji
    as images: no placeholder and no mosaic.character warning)."""
    shared = corpus_latex(tree)
    outdirs: dict[str, Path] = {}
    for engine in engines:
        if engine == "pdflatex":
            latex, warnings = shared.outdir, shared.warnings
        else:
            overrides = {"latex_engine": engine}
            latex, warnings = build(
                shared.srcdir, tmp_path / engine, "latex", confoverrides=overrides
            )
        outdirs[engine] = latex
        assert "mosaic.character" not in warnings
        documents = set(DOCUMENT_LABEL.findall(latex_of(latex)))
        text = compile_pdf(latex, engine)
        assert not re.search(r"\[U\+[0-9A-F]{4,6}\]", text), engine
        pages = text.count("\f")
        assert pages > len(documents), (engine, pages, len(documents))
    emoji = list((outdirs["pdflatex"] / "mosaic-emoji").glob("*.png"))
    assert emoji, "the corpus's emoji are images"
