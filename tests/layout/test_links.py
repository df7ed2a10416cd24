"""Links written relative to the page, number-free, with a suffix: HTML, LaTeX and BookStack.

A book index ``1-guide/README.md`` beside ``1-colors.md`` and ``2-fonts.md``
links its pages the ways writers do (``{doc}`colors```, ``{doc}`./fonts```,
``[fonts](fonts.md)``, from the shelf with ``/``); every builder must link the
right page, with no warning.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers.build import all_pages, read_book
from helpers.build import build as shared_build
from helpers.trees import write_tree

GUIDE_INDEX = """\
# Guide

- {doc}`colors`
- {doc}`./fonts`
- [fonts](fonts.md)
- [Sizes](./2-fonts.md#sizes)
- {doc}`/guide/colors`
- {doc}`Advanced colours <basics/advanced>`
- [Other](../2-other/README.md)
"""

PAGES = {
    "README.md": "# Shelf\n\nSee {doc}`guide/fonts` and [the guide](guide).\n",
    "1-guide/README.md": GUIDE_INDEX,
    "1-guide/1-colors.md": "# Colors\n\nBack to [the fonts](2-fonts.md).\n",
    "1-guide/2-fonts.md": "# Fonts\n\n## Sizes\n\ntext\n",
    "1-guide/3-basics/1-advanced.md": "# Advanced\n\nSee {doc}`../colors` and {doc}`/other/far`.\n",
    "2-other/README.md": "# Other\n\ntext\n",
    "2-other/1-far.md": "# Far\n\nSee [colors](/guide/colors.md).\n",
}


def write_project(srcdir: Path) -> Path:
    write_tree(srcdir, PAGES)
    conf = 'extensions = ["myst_parser", "sphinx_mosaic"]\nproject = "Links"\n'
    (srcdir / "conf.py").write_text(conf + "myst_heading_anchors = 3\n", encoding="utf-8")
    return srcdir


def build(tmp_path: Path, buildername: str) -> tuple[Path, str]:
    outdir, warnings = shared_build(
        write_project(tmp_path / "src"), tmp_path / "_build", buildername
    )
    return outdir, warnings


def test_html_links_each_form(tmp_path: Path) -> None:
    outdir, warnings = build(tmp_path, "html")
    assert warnings == ""
    soup = BeautifulSoup((outdir / "1-guide/README.html").read_text(), "html.parser")
    hrefs = [a["href"] for a in soup.select("div.body a.reference.internal")]
    assert hrefs == [
        "1-colors.html",
        "2-fonts.html",
        "2-fonts.html",
        "2-fonts.html#sizes",
        "1-colors.html",
        "3-basics/1-advanced.html",
        "../2-other/README.html",
    ]
    advanced = BeautifulSoup(
        (outdir / "1-guide/3-basics/1-advanced.html").read_text(), "html.parser"
    )
    assert {a["href"] for a in advanced.select("a.reference.internal")} >= {
        "../1-colors.html",
        "../../2-other/1-far.html",
    }
    shelf = BeautifulSoup((outdir / "README.html").read_text(), "html.parser")
    assert {a["href"] for a in shelf.select("a.reference.internal")} >= {
        "1-guide/2-fonts.html",
        "1-guide/README.html",
    }


def test_latex_links_each_form(tmp_path: Path) -> None:
    outdir, warnings = build(tmp_path, "latex")
    assert warnings == ""
    tex = next(outdir.glob("*.tex")).read_text(encoding="utf-8")
    guide = tex[tex.index(r"\label{\detokenize{1-guide/README::doc}}") :]
    guide = guide[: guide.index(r"\label{\detokenize{1-guide/1-colors::doc}}")]
    targets = re.findall(r"\\hyperref\[\\detokenize\{([^}]*)\}\]", guide)
    assert targets[:7] == [
        "1-guide/1-colors::doc",
        "1-guide/2-fonts::doc",
        "1-guide/2-fonts::doc",
        "1-guide/2-fonts:sizes",
        "1-guide/1-colors::doc",
        "1-guide/3-basics/1-advanced::doc",
        "2-other/README::doc",
    ]


def test_bookstack_links_each_form(tmp_path: Path) -> None:
    outdir, warnings = build(tmp_path, "bookstack")
    assert warnings == ""
    book = read_book(outdir / "books" / "1-guide.zip")["book"]
    pages = {page["name"]: page for page in all_pages(book)}
    colors, fonts = pages["Colors"]["id"], pages["Fonts"]["id"]
    advanced = pages["Advanced"]["id"]
    index = BeautifulSoup(pages["Guide"]["html"], "html.parser")  # the book's index page
    hrefs = [a["href"] for a in index.find_all("a", href=True)]
    assert hrefs[:7] == [
        f"[[bsexport:page:{colors}]]",
        f"[[bsexport:page:{fonts}]]",
        f"[[bsexport:page:{fonts}]]",
        f"[[bsexport:page:{fonts}]]#bkmrk-sizes",
        f"[[bsexport:page:{colors}]]",
        f"[[bsexport:page:{advanced}]]",
        "/books/other",
    ]
    colors_links = BeautifulSoup(pages["Colors"]["html"], "html.parser").find_all("a", href=True)
    assert [a["href"] for a in colors_links] == [f"[[bsexport:page:{fonts}]]"]


@pytest.mark.parametrize("buildername", ["text"])
def test_unknown_relative_name_still_warns(tmp_path: Path, buildername: str) -> None:
    srcdir = write_project(tmp_path / "src")
    page = srcdir / "1-guide/2-fonts.md"
    page.write_text(page.read_text() + "\nSee {doc}`colours`.\n", encoding="utf-8")
    _, warnings = shared_build(srcdir, tmp_path / "_build", buildername)
    assert "1-guide/2-fonts.md:7: WARNING: unknown document: 'colours'" in warnings
