"""Paths in every output: warning-free builds, and the steps and boxes in each format."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from helpers.build import Built, build
from helpers.builders import ALL_BUILDERS
from helpers.pdf import compile_pdf
from sphinx.testing.util import SphinxTestApp

ROOTS = Path(__file__).parents[1] / "roots"
BUILDERS = ALL_BUILDERS
LOCAL_SETUP_LINE = "For New Users — step 2 of 4: ← Quick Start | Environment Configuration →"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Built]:
    """test-paths built with a builder and configuration values, once per module for each
    pair: several tests read the same build.  Every build is warning-free."""
    root = tmp_path_factory.mktemp("paths-builders")
    srcdir = root / "src"
    shutil.copytree(ROOTS / "test-paths", srcdir)
    made: dict[str, Built] = {}

    def get(buildername: str, **conf: object) -> Built:
        key = f"{buildername} {sorted(conf.items())!r}"
        if key not in made:
            result = build(srcdir, root / f"build-{len(made)}", buildername, confoverrides=conf)
            assert result.statuscode == 0
            assert result.warnings == ""
            made[key] = result
        return made[key]

    return get


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("buildername", BUILDERS)
def test_every_builder_without_warnings(built: Callable[..., Built], buildername: str) -> None:
    app = built(buildername)
    assert any(Path(app.outdir).iterdir())


def test_furo(built: Callable[..., Built]) -> None:
    app = built("html", html_theme="furo")
    page = BeautifulSoup(
        (Path(app.outdir) / "1-getting-started/2-local-setup.html").read_text(), "html.parser"
    )
    box = page.select_one("article .mosaic-path-nav")
    assert box is not None and squash(box.get_text()) == LOCAL_SETUP_LINE
    # Colours follow Furo's variables, which Furo switches for dark mode.
    css = (Path(app.outdir) / "_static/mosaic-paths.css").read_text()
    assert "var(--color-background-secondary" in css
    assert "var(--color-foreground-muted" in css


def test_dirhtml_links(built: Callable[..., Built]) -> None:
    app = built("dirhtml")
    page = BeautifulSoup(
        (Path(app.outdir) / "1-getting-started/2-local-setup/index.html").read_text(),
        "html.parser",
    )
    line = page.select_one(".mosaic-path-nav-line")
    assert line is not None and squash(line.get_text()) == LOCAL_SETUP_LINE
    assert [a["href"] for a in line.select("a")] == [
        "../../README/#path-new-users",
        "../1-quick-start/",
        "../3-environment-configuration/",
    ]


def test_singlehtml_keeps_one_box_per_page(built: Callable[..., Built]) -> None:
    app = built("singlehtml")
    page = BeautifulSoup((Path(app.outdir) / "README.html").read_text(), "html.parser")
    lines = [squash(p.get_text()) for p in page.select(".mosaic-path-nav-line")]
    assert lines == [
        "For New Users — step 1 of 4: Local Setup →",
        LOCAL_SETUP_LINE,
        "For New Users — step 4 of 4: ← Local Setup",
        "For Developers — step 1 of 3: Testing →",
        "For Developers — step 2 of 3: ← Branching Strategy | Type Sharing →",
        "For Architects — step 2 of 3",
        "For Developers — step 3 of 3: ← Testing",
    ]
    hrefs = [a["href"] for a in page.select(".mosaic-path-nav-line")[1].select("a")]
    # One anchor per link (no "#document-README#path-new-users").
    assert hrefs == [
        "#path-new-users",
        "#document-1-getting-started/1-quick-start",
        "#document-1-getting-started/3-environment-configuration",
    ]
    steps = page.select("ol.mosaic-path-steps")[0]
    assert [a["href"] for a in steps.select("a")] == [
        "#document-1-getting-started/1-quick-start",
        "#document-1-getting-started/2-local-setup",
        "#document-1-getting-started/3-environment-configuration",
    ]


def test_epub(built: Callable[..., Built]) -> None:
    app = built("epub")
    outdir = Path(app.outdir)
    page = (outdir / "1-getting-started/2-local-setup.xhtml").read_text()
    assert LOCAL_SETUP_LINE in squash(BeautifulSoup(page, "html.parser").get_text(" "))
    # The stylesheet is in the package manifest, not only on disk.
    assert "_static/mosaic-paths.css" in (outdir / "content.opf").read_text()


def test_text(built: Callable[..., Built]) -> None:
    app = built("text")
    outdir = Path(app.outdir)
    page = squash((outdir / "1-getting-started/2-local-setup.txt").read_text())
    assert "[Partial] **For New Users** — step 2 of 4: ← Quick Start | Environment " in page
    readme = (outdir / "README.txt").read_text()
    assert "1. Quick Start [Complete]" in readme
    assert "3. Troubleshooting [Planned]" in readme
    assert "2. Type Sharing — shared types" in readme


def test_latex(built: Callable[..., Built]) -> None:
    app = built("latex")
    outdir = Path(app.outdir)
    tex = (outdir / "paths.tex").read_text()
    assert r"\usepackage{sphinxmosaicpaths}" in tex
    assert (outdir / "sphinxmosaicpaths.sty").is_file()
    # Steps: an enumerated list whose linked steps carry their page.
    steps = tex[tex.index(r"\sphinxstylestrong{For New Users}") :]
    steps = steps[steps.index(r"\begin{enumerate}") : steps.index(r"\end{enumerate}")]
    assert steps.count(r"\item") == 4
    assert steps.count(r"\autopageref*") == 3  # not on the planned step
    assert r"\autopageref*{\detokenize{1-getting-started/1-quick-start::doc}}" in steps
    # Navigation: the framed-line environment, per page, with its links.
    assert tex.count(r"\begin{sphinxuseclass}{mosaic-path-nav}") == 6
    assert "step 2 of 4" in tex
    assert r"\hyperref[\detokenize{README:path-new-users}]" in tex


def test_man(built: Callable[..., Built]) -> None:
    man = built("man")
    page = next(Path(man.outdir).glob("*.1")).read_text()
    assert "step 2 of 4" in page
    assert "Environment Configuration →" in page


def test_texinfo(built: Callable[..., Built]) -> None:
    info = built("texinfo")
    texi = next(Path(info.outdir).glob("*.texi")).read_text()
    assert "step 2 of 4" in texi
    assert "@enumerate" in texi


@pytest.mark.latex
def test_pdf_shows_steps_and_navigation(built: Callable[..., Built]) -> None:
    app = built("latex")
    text = compile_pdf(Path(app.outdir), layout=True)
    lines = [squash(line) for line in text.splitlines()]
    assert any(re.fullmatch(r"1\. Quick Start \(page \d+\) Complete", line) for line in lines)
    assert any(re.fullmatch(r"3\. Troubleshooting Planned", line) for line in lines)
    assert any(
        re.fullmatch(r"2\. Type Sharing \(page \d+\) — shared types", line) for line in lines
    )
    assert LOCAL_SETUP_LINE in lines
    assert "For Architects — step 2 of 3" in lines
    assert "For Developers — step 3 of 3: ← Testing" in lines


def test_bookstack_content(built: Callable[..., Built]) -> None:
    app = built("bookstack")
    book = json.loads(
        zipfile.ZipFile(Path(app.outdir) / "books/2-development.zip").read("data.json")
    )["book"]
    pages = {page["name"]: page for page in book["pages"]}
    ids = {name: page["id"] for name, page in pages.items()}
    index = BeautifulSoup(pages["Development"]["html"], "html.parser")
    # The path: plain BookStack content, its anchor kept as a bkmrk- id.
    assert index.select_one("p#bkmrk-path-developers").get_text() == "For Developers"
    steps = index.select_one("ol")
    assert [squash(li.get_text()) for li in steps.select("li")] == [
        "Branching Strategy",
        "Testing",
        "Type Sharing — read last",
    ]
    assert [a["href"] for a in steps.select("a")] == [
        f"[[bsexport:page:{ids['Branching Strategy']}]]",
        f"[[bsexport:page:{ids['Testing Requirements']}]]",
        f"[[bsexport:page:{ids['Type Sharing']}]]",
    ]
    # The navigation box: a paragraph whose links are ZIP references.
    page = BeautifulSoup(pages["Testing Requirements"]["html"], "html.parser")
    line = next(p for p in page.select("p") if "step 2 of 3" in p.get_text())
    assert squash(line.get_text()) == (
        "For Developers — step 2 of 3: ← Branching Strategy | Type Sharing →"
    )
    assert [a["href"] for a in line.select("a")] == [
        f"[[bsexport:page:{ids['Development']}]]#bkmrk-path-developers",
        f"[[bsexport:page:{ids['Branching Strategy']}]]",
        f"[[bsexport:page:{ids['Type Sharing']}]]",
    ]
    # No styling that BookStack would strip: no classes of ours survive.
    assert "mosaic-path" not in pages["Testing Requirements"]["html"]


def test_text_snapshot(built: Callable[..., Built], file_regression: Any) -> None:
    """The whole text output of the pages with paths, pinned (footer dates left out)."""
    app = built("text", mosaic_page_footer=False)
    outdir = Path(app.outdir)
    pages = [
        "README.txt",
        "1-getting-started/1-quick-start.txt",
        "1-getting-started/2-local-setup.txt",
        "1-getting-started/3-environment-configuration.txt",
        "1-getting-started/4-faq.txt",
        "2-development/README.txt",
        "2-development/3-type-sharing.txt",
    ]
    text = "".join(f"===== {page}\n{(outdir / page).read_text()}\n" for page in pages)
    file_regression.check(text, extension=".txt")


@pytest.mark.parametrize("buildername", ["text", "html", "latex"])
def test_project_without_the_layout(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path, buildername: str
) -> None:
    """Paths need no numbered layout; a page without a title keeps its front matter out."""
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-paths-plain", srcdir)
    app = make_app(buildername, srcdir=srcdir)
    app.build()
    assert app.warning.getvalue() == ""
    if buildername == "text":
        outdir = Path(app.outdir)
        assert (
            (outdir / "b.txt")
            .read_text()
            .startswith(
                "**The tour** — step 2 of 2: ← Page A\n\nPage B has front matter and no title.\n"
            )
        )
        assert "**The tour** — step 1 of 2: B →" in (outdir / "guide/a.txt").read_text()
