"""Diagrams and formulas as PNG images (issue #14).

The root ``test-diagrams`` has a page with a Graphviz diagram, an inheritance
diagram of its own ``shapes`` module, a Mermaid fence and a broken one, and a
page with inline and display maths.  Tests needing ``dot`` are marked
``graphviz``, those needing the Mermaid CLI and chromium ``mermaid``; the
maths ones need only Python (ziamath and resvg).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from helpers.build import all_pages, build, copy_root, output_files, read_book
from PIL import Image
from sphinx.util.console import strip_colors

from sphinx_mosaic.diagrams import renderers

BOOK = "books/1-drawings.zip"
GRAPHVIZ = "digraph flow { build -> publish; }"
MERMAID = "graph TD\n  Read --> Write"
BROKEN = "graph TD\n  A-->>>B(("
INLINE = r"e^{i\pi} + 1 = 0"
DISPLAY = r"\int_0^1 x^2 \, dx = \frac{1}{3}"
LABELLED = "a^2 + b^2 = c^2"
ALIGNED = "x &= 1 + 1 \\\\\n  &= 2"
FORMULAS = {INLINE, DISPLAY, LABELLED, ALIGNED}
#: Renderers that cannot be found, for the maths-only builds.
NO_PROGRAMS = {"graphviz_dot": "no-such-dot", "mosaic_mermaid_command": "no-such-mmdc"}


def images_by_alt(outdir: Path) -> dict[str, bytes]:
    """alt text -> PNG bytes of every image of the book's pages."""
    with zipfile.ZipFile(outdir / BOOK) as archive:
        book = read_book(outdir / BOOK)["book"]
        files = {
            image["id"]: archive.read(f"files/{image['file']}")
            for page in all_pages(book)
            for image in page["images"]
        }
        found: dict[str, bytes] = {}
        for page in all_pages(book):
            for img in BeautifulSoup(page["html"], "html.parser").find_all("img"):
                token = re.fullmatch(r"\[\[bsexport:image:(\d+)\]\]", img["src"])
                if token is not None:
                    found[img["alt"]] = files[int(token[1])]
    return found


def code_blocks(outdir: Path) -> list[str]:
    book = read_book(outdir / BOOK)["book"]
    return [
        pre.get_text()
        for page in all_pages(book)
        for pre in BeautifulSoup(page["html"], "html.parser").find_all("pre")
    ]


def inline_code(outdir: Path) -> list[str]:
    book = read_book(outdir / BOOK)["book"]
    return [
        code.get_text()
        for page in all_pages(book)
        for code in BeautifulSoup(page["html"], "html.parser").find_all("code")
        if code.parent.name != "pre"
    ]


def is_png(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        image.load()
        return image.size


def renderer_warnings(warnings: str) -> list[str]:
    return [line for line in warnings.splitlines() if line.endswith("[mosaic.renderer]")]


# -- maths (Python only) ------------------------------------------------------


@pytest.fixture(scope="module")
def maths_only(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("maths")
    outdir, warnings = build(copy_root("diagrams", tmp), tmp / "_build", confoverrides=NO_PROGRAMS)
    return outdir, strip_colors(warnings)


def test_formulas_become_png_images_with_their_latex_as_alt(maths_only: tuple[Path, str]) -> None:
    images = images_by_alt(maths_only[0])
    assert set(images) == FORMULAS
    inline, display = is_png(images[INLINE]), is_png(images[DISPLAY])
    assert display[1] > inline[1]  # a fraction and an integral are taller than one line
    aligned, labelled = is_png(images[ALIGNED]), is_png(images[LABELLED])
    assert aligned[1] > 1.5 * labelled[1]  # two lines, aligned at "="
    book = read_book(maths_only[0] / BOOK)["book"]
    html = next(page["html"] for page in all_pages(book) if page["name"] == "Maths")
    # Inline maths stays in its sentence; the image is drawn at 2x and shown at 1x.
    paragraph = BeautifulSoup(html, "html.parser").find("img", alt=INLINE).parent
    assert paragraph.get_text().startswith("Euler says")
    assert int(paragraph.img["width"]) * 2 == pytest.approx(inline[0], abs=1)
    # A labelled equation keeps its anchor, and {eq} links to it.
    page = BeautifulSoup(html, "html.parser")
    anchor = page.find("img", alt=LABELLED)["id"]
    assert page.find("a", href=f"#{anchor}") is not None


def test_missing_renderers_keep_code_blocks_with_one_warning_each(
    maths_only: tuple[Path, str],
) -> None:
    outdir, warnings = maths_only
    found = renderer_warnings(warnings)
    # One warning at each diagram shown as code: the Graphviz diagram, the inheritance
    # diagram and the two Mermaid diagrams, each with its file and line.
    assert [re.search(r"(1-drawings/[^:]+:\d+): ", line)[1] for line in found] == [
        "1-drawings/1-diagrams.md:18",
        "1-drawings/1-diagrams.md:25",
        "1-drawings/1-diagrams.md:5",
        "1-drawings/1-diagrams.md:13",
    ], found
    assert all("npm install -g @mermaid-js/mermaid-cli" in line for line in found[:2])
    assert all("install Graphviz" in line for line in found[2:])
    assert all("leave 'graphviz' out of mosaic_diagrams" in line for line in found[2:])
    blocks = code_blocks(outdir)
    assert GRAPHVIZ in [block.strip() for block in blocks]
    assert any("Shape" in block and "digraph" in block for block in blocks)  # inheritance's dot
    assert [block.strip() for block in blocks].count(MERMAID) == 1
    assert "[mosaic.drawing]" not in warnings


def test_missing_renderers_warn_once_per_diagram_in_a_parallel_build(tmp_path: Path) -> None:
    outdir, warnings = build(
        copy_root("diagrams", tmp_path),
        tmp_path / "_build",
        confoverrides=NO_PROGRAMS,
        parallel=2,
    )
    assert len(renderer_warnings(strip_colors(warnings))) == 4
    assert set(images_by_alt(outdir)) == FORMULAS


def test_renderer_errors_are_shortened_without_stack_traces() -> None:
    stderr = (
        "Error: Parse error on line 2:\ngraph TD  A-->>>B((\n--------------^\n"
        "Expecting 'AMP', got 'TAGEND'\n    at Parser.parseError (file:///x/node_modules/m.mjs:1:2)\n"
        "Array.forEach (<anonymous>)\n"
    )
    assert renderers.short_error(stderr) == (
        "Error: Parse error on line 2: | graph TD  A-->>>B(( | --------------^"
    )
    assert renderers.short_error("") == "no error message"
    assert renderers.short_error("x" * 500).endswith("…")


def test_display_maths_of_several_lines_is_aligned_as_sphinx_does() -> None:
    assert renderers.display_latex("a = b") == "a = b"
    assert (
        renderers.display_latex("a &= b \\\\ &= c")
        == "\\begin{aligned}a &= b \\\\ &= c\\end{aligned}"
    )
    assert (
        renderers.display_latex("a = b\n\nc = d")
        == "\\begin{aligned}a = b \\\\ c = d\\end{aligned}"
    )
    cases = "\\begin{cases} 1 & x > 0 \\\\ 0 & x \\le 0 \\end{cases}"
    assert renderers.display_latex(cases) == cases


def test_missing_ziamath_keeps_maths_as_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(latex: str, inline: bool, size: float) -> bytes:
        raise renderers.Missing(f"ziamath is not installed; {renderers.MATH_INSTALL}")

    monkeypatch.setattr(renderers, "math_svg", missing)
    outdir, warnings = build(
        copy_root("diagrams", tmp_path), tmp_path / "_build", confoverrides=NO_PROGRAMS
    )
    found = renderer_warnings(strip_colors(warnings))
    # One warning at each formula shown as code.
    assert len([line for line in found if "pip install ziamath" in line]) == len(FORMULAS), found
    assert INLINE in inline_code(outdir)
    assert DISPLAY in [block.strip() for block in code_blocks(outdir)]


def test_a_formula_ziamath_refuses_is_located(tmp_path: Path) -> None:
    srcdir = copy_root("diagrams", tmp_path)
    page = srcdir / "1-drawings" / "2-maths.md"
    page.write_text(page.read_text() + "\nBroken $\\frac{a$ here.\n")
    line = len(page.read_text().splitlines())
    outdir, warnings = build(srcdir, tmp_path / "_build", confoverrides=NO_PROGRAMS)
    drawing = [w for w in strip_colors(warnings).splitlines() if "[mosaic.drawing]" in w]
    assert len(drawing) == 1, drawing
    assert f"2-maths.md:{line}" in drawing[0]
    assert "\\frac{a" in inline_code(outdir)


@pytest.mark.parametrize("buildername", ["bookstack", "latex"])
def test_a_tree_without_mermaid_never_looks_for_its_cli_or_a_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, buildername: str
) -> None:
    # Looking for the browser searches PATH: a tree with no Mermaid must not pay for it
    # on every page. The same build with the Mermaid page shows the count can be non-zero.
    looked_up: list[str] = []
    real = renderers.MermaidSetup.from_options.__func__  # type: ignore[attr-defined]

    def counted(cls: type[renderers.MermaidSetup], *args: Any) -> renderers.MermaidSetup:
        looked_up.append(args[0])
        return real(cls, *args)  # type: ignore[no-any-return]

    monkeypatch.setattr(renderers.MermaidSetup, "from_options", classmethod(counted))
    srcdir = copy_root("diagrams", tmp_path / "with")
    build(srcdir, tmp_path / "with" / "_build", buildername, confoverrides=NO_PROGRAMS)
    assert looked_up
    looked_up.clear()
    srcdir = copy_root("diagrams", tmp_path / "without")
    (srcdir / "1-drawings/1-diagrams.md").unlink()
    outdir, warnings = build(
        srcdir, tmp_path / "without" / "_build", buildername, confoverrides=NO_PROGRAMS
    )
    assert looked_up == []
    assert "mermaid" not in warnings.lower()
    if buildername == "bookstack":
        assert set(images_by_alt(outdir)) == FORMULAS  # the maths is still drawn


def test_diagrams_off_leaves_everything_as_code(tmp_path: Path) -> None:
    srcdir = copy_root("diagrams", tmp_path)
    # (Without us, an inheritance diagram has no BookStack rendering at all.)
    page = srcdir / "1-drawings/1-diagrams.md"
    page.write_text(page.read_text().replace("{inheritance-diagram}", "text"))
    outdir, warnings = build(srcdir, tmp_path / "_build", confoverrides={"mosaic_diagrams": False})
    assert not {*FORMULAS, MERMAID} & set(images_by_alt(outdir))
    assert INLINE in inline_code(outdir)
    assert {DISPLAY, MERMAID} <= {block.strip() for block in code_blocks(outdir)}
    assert "mosaic.renderer" not in warnings


# -- every renderer -----------------------------------------------------------

everything = [pytest.mark.graphviz, pytest.mark.mermaid]


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, str]:
    tmp = tmp_path_factory.mktemp("drawn")
    srcdir = copy_root("diagrams", tmp)
    outdir, warnings = build(srcdir, tmp / "_build")
    return srcdir, tmp / "_build", outdir, strip_colors(warnings)


@pytest.mark.graphviz
@pytest.mark.mermaid
def test_every_diagram_and_formula_is_a_png_in_the_zip(drawn: tuple[Path, Path, Path, str]) -> None:
    _, _, outdir, warnings = drawn
    images = images_by_alt(outdir)
    assert set(images) == {GRAPHVIZ, "Inheritance diagram of shapes", MERMAID, *FORMULAS}
    for data in images.values():
        is_png(data)
    assert renderer_warnings(warnings) == []
    # A diagram with a caption is a figure: the caption follows its image.
    book = read_book(outdir / BOOK)["book"]
    html = next(page["html"] for page in all_pages(book) if page["name"] == "Diagrams")
    assert html.index(f'alt="{GRAPHVIZ.replace(">", "&gt;")}"') < html.index(
        "From build to publish"
    )


@pytest.mark.graphviz
@pytest.mark.mermaid
def test_a_broken_mermaid_diagram_is_located_and_kept_as_code(
    drawn: tuple[Path, Path, Path, str],
) -> None:
    srcdir, _, outdir, warnings = drawn
    lines = (srcdir / "1-drawings/1-diagrams.md").read_text().splitlines()
    fence = next(n for n, line in enumerate(lines, 1) if "A-->>>B" in line) - 2  # the ```mermaid
    drawing = [w for w in warnings.splitlines() if "[mosaic.drawing]" in w]
    assert len(drawing) == 1, drawing
    assert f"1-diagrams.md:{fence}" in drawing[0]
    assert "Parse error" in drawing[0]
    assert BROKEN in [block.strip() for block in code_blocks(outdir)]


@pytest.mark.graphviz
@pytest.mark.mermaid
def test_a_rebuild_draws_nothing(
    drawn: tuple[Path, Path, Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    srcdir, builddir, outdir, _ = drawn
    before = output_files(outdir)

    def no_programs(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"a renderer ran: {args}")

    monkeypatch.setattr(subprocess, "run", no_programs)
    again, warnings = build(srcdir, builddir, freshenv=True)
    assert output_files(again) == before
    # The refused diagram is remembered: warned about again, without running the CLI.
    assert strip_colors(warnings).count("[mosaic.drawing]") == 1


@pytest.mark.graphviz
@pytest.mark.mermaid
def test_two_builds_and_a_parallel_one_give_the_same_bytes(
    drawn: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    srcdir, _, outdir, _ = drawn
    second, _ = build(srcdir, tmp_path / "second")
    parallel, warnings = build(srcdir, tmp_path / "parallel", parallel=2)
    assert output_files(second) == output_files(outdir)
    assert output_files(parallel) == output_files(outdir)
    assert strip_colors(warnings).count("[mosaic.drawing]") == 1


@pytest.mark.graphviz
@pytest.mark.mermaid
def test_alongside_mode_gets_the_images_too(
    drawn: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    srcdir, _, outdir, _ = drawn
    html, _ = build(
        srcdir, tmp_path / "site", "html", confoverrides={"mosaic_bookstack_alongside": True}
    )
    assert images_by_alt(html / "bookstack") == images_by_alt(outdir)


# -- html and PDF -------------------------------------------------------------


def test_html_shows_mermaid_fences_with_sphinxcontrib_mermaid(tmp_path: Path) -> None:
    pytest.importorskip("sphinxcontrib.mermaid")
    srcdir = copy_root("diagrams", tmp_path)
    conf = srcdir / "conf.py"
    conf.write_text(conf.read_text() + 'extensions.append("sphinxcontrib.mermaid")\n')
    outdir, _ = build(srcdir, tmp_path / "_build", "html")
    page = BeautifulSoup((outdir / "1-drawings/1-diagrams.html").read_text(), "html.parser")
    diagrams = [pre.get_text().strip() for pre in page.find_all("pre", class_="mermaid")]
    assert diagrams == [MERMAID, BROKEN]


def test_html_without_sphinxcontrib_mermaid_is_left_alone(tmp_path: Path) -> None:
    outdir, _ = build(
        copy_root("diagrams", tmp_path), tmp_path / "_build", "html", confoverrides=NO_PROGRAMS
    )
    page = BeautifulSoup((outdir / "1-drawings/1-diagrams.html").read_text(), "html.parser")
    assert page.find("pre", class_="mermaid") is None
    assert "Read --&gt; Write" in str(page) or "Read" in page.get_text()


@pytest.mark.mermaid
def test_the_pdf_gets_mermaid_as_an_image(tmp_path: Path) -> None:
    outdir, _ = build(copy_root("diagrams", tmp_path), tmp_path / "_build", "latex")
    tex = next(outdir.glob("*.tex")).read_text()
    included = re.findall(r"\\sphinxincludegraphics(?:\[[^]]*\])?\{\{([0-9a-f]{64})\}\.png\}", tex)
    assert len(included) == 1, included
    is_png((outdir / f"{included[0]}.png").read_bytes())
    assert "A{-}{-}\\textgreater{}" in tex or "A-->>>B" in tex or "A\\PYGZhy{}" in tex


# -- a real tree --------------------------------------------------------------

CORPUS_DOCS = Path(__file__).parents[1] / "corpus" / "mosaic-sdk-docs" / "_old" / "docs"
#: How the alt text (the source) of a Mermaid diagram begins: its diagram type.
MERMAID_STARTS = (
    "graph",
    "flowchart",
    "sequenceDiagram",
    "classDiagram",
    "stateDiagram",
    "erDiagram",
    "gantt",
    "pie",
    "journey",
    "gitGraph",
    "mindmap",
    "timeline",
    "quadrantChart",
    "C4",
    "%%",
    "---",
    "block",
    "architecture",
    "sankey",
    "xychart",
    "requirementDiagram",
    "kanban",
)
_FENCE = re.compile(r"^[ \t]*```mermaid[ \t]*$", re.MULTILINE)


@pytest.mark.slow
@pytest.mark.mermaid
def test_every_mermaid_fence_of_a_real_tree_becomes_an_image(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(CORPUS_DOCS, srcdir)
    (srcdir / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_mosaic"]\nmosaic_unnumbered_folders = "books"\n'
    )
    fences = {
        path.relative_to(srcdir).as_posix(): len(_FENCE.findall(path.read_text()))
        for path in sorted(srcdir.rglob("*.md"))
    }
    total = sum(fences.values())
    assert total == 58
    outdir, warnings = build(srcdir, tmp_path / "_build")
    refused = [w for w in strip_colors(warnings).splitlines() if "[mosaic.drawing]" in w]
    images = 0
    for path in sorted((outdir / "books").glob("*.zip")):
        with zipfile.ZipFile(path) as archive:
            for page in all_pages(read_book(path)["book"]):
                html = BeautifulSoup(page["html"], "html.parser")
                for img in html.find_all("img"):
                    if img["alt"].lstrip().startswith(MERMAID_STARTS):
                        images += 1
                        image = next(i for i in page["images"] if f":{i['id']}]]" in img["src"])
                        is_png(archive.read(f"files/{image['file']}"))
    # Every fence is an image, but those the CLI refuses, each reported at its line (with
    # mermaid-cli 11.17: 57 images, and one state diagram refused for a parent cycle).
    assert images + len(refused) == total, (images, refused)
    assert all(re.search(r"\.md:\d+: WARNING", line) for line in refused), refused
    assert "[mosaic.renderer]" not in warnings


def test_kinds_left_out_of_mosaic_diagrams_stay_code_without_a_warning(tmp_path: Path) -> None:
    outdir, warnings = build(
        copy_root("diagrams", tmp_path),
        tmp_path / "_build",
        confoverrides={**NO_PROGRAMS, "mosaic_diagrams": ["math"]},
    )
    assert renderer_warnings(strip_colors(warnings)) == []
    blocks = [block.strip() for block in code_blocks(outdir)]
    assert GRAPHVIZ in blocks and MERMAID in blocks
    assert set(images_by_alt(outdir)) == FORMULAS  # maths is still drawn


def test_an_unknown_kind_in_mosaic_diagrams_is_reported(tmp_path: Path) -> None:
    _, warnings = build(
        copy_root("diagrams", tmp_path),
        tmp_path / "_build",
        confoverrides={**NO_PROGRAMS, "mosaic_diagrams": ["maths"]},
    )
    assert "lists ['maths']; the kinds are graphviz, mermaid, math" in strip_colors(warnings)


@pytest.mark.parametrize(("kinds", "expected"), [(True, 2), (["graphviz", "math"], 0)])
def test_html_says_a_mermaid_fence_is_kept_as_code(
    tmp_path: Path, kinds: object, expected: int
) -> None:
    # The root does not load sphinxcontrib.mermaid: html shows both fences as code.
    _, warnings = build(
        copy_root("diagrams", tmp_path),
        tmp_path / "_build",
        "html",
        confoverrides={**NO_PROGRAMS, "mosaic_diagrams": kinds},
    )
    found = [w for w in renderer_warnings(strip_colors(warnings)) if "Mermaid" in w]
    assert len(found) == expected, found
    for line in found:
        assert re.search(r"1-diagrams\.md:(18|25): ", line), line
        assert "sphinxcontrib-mermaid is not loaded" in line
