"""A plain reStructuredText project in BookStack: what Sphinx does by default
must reach the wiki (issue #30).

The root ``test-bookstack-rst`` is laid out as ``sphinx-quickstart`` would: no
``highlight_language``, images named by glob (``pic.*``) beside their files.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from helpers.build import build, copy_root
from sphinx.util.console import strip_colors

from sphinx_mosaic.bookstack.translate.languages import highlighted_as


def pages_of(outdir: Path) -> dict[str, dict[str, Any]]:
    """Every page of every ZIP, by name, with the ZIP's files beside it."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted((outdir / "books").glob("*.zip")):
        with zipfile.ZipFile(path) as archive:
            book = json.loads(archive.read("data.json"))["book"]
            files = {name: archive.read(name) for name in archive.namelist()}
        stack = [book]
        while stack:
            node = stack.pop()
            stack.extend(node.get("chapters", []))
            for page in node.get("pages", []):
                found[page["name"]] = {**page, "files": files}
    return found


@pytest.fixture(scope="module", params=["bookstack", "alongside"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The pages, the warnings and (alongside) the html folder."""
    tmp = tmp_path_factory.mktemp(f"rst-{request.param}")
    if request.param == "alongside":
        outdir, warnings = build(
            copy_root("bookstack-rst", tmp),
            tmp / "_build",
            "html",
            confoverrides={"mosaic_bookstack_alongside": True},
        )
        return pages_of(outdir / "bookstack"), strip_colors(warnings), outdir
    outdir, warnings = build(copy_root("bookstack-rst", tmp), tmp / "_build")
    return pages_of(outdir), strip_colors(warnings), None


def test_glob_images_are_shown(built: Any) -> None:
    """``.. image:: pic.*`` takes the file BookStack shows as it is (the PNG before
    the SVG beside it); ``drawing.*``, an SVG alone, is drawn as PNG; ``both.*`` takes
    the SVG, not the PDF beside it (made for LaTeX)."""
    pages, warnings, _ = built
    assert "cannot read" not in warnings
    page = pages["Pictures"]
    images = {image["name"]: image for image in page["images"]}
    assert sorted(images) == ["both.svg", "drawing.svg", "pic.png"]  # not both.pdf
    root = Path(__file__).parents[1] / "roots" / "test-bookstack-rst"
    assert page["files"][f"files/{images['pic.png']['file']}"] == (root / "pic.png").read_bytes()
    assert images["drawing.svg"]["file"].endswith(".png")
    shown = [
        (img["alt"], img["src"])
        for img in BeautifulSoup(page["html"], "html.parser").find_all("img")
    ]
    assert shown == [
        ("a picture", f"[[bsexport:image:{images['pic.png']['id']}]]"),
        ("a drawing", f"[[bsexport:image:{images['drawing.svg']['id']}]]"),
        ("both", f"[[bsexport:image:{images['both.svg']['id']}]]"),
    ]
    assert not page["attachments"]


def code_languages(html: str) -> list[str | None]:
    """The language class of each code block of a BookStack page, in order."""
    soup = BeautifulSoup(html, "html.parser")
    return [
        next((name for name in code.get("class", []) if name.startswith("language-")), None)
        for code in soup.select("pre > code")
    ]


def coloured_by_sphinx(html_file: Path) -> list[bool]:
    """Whether Sphinx's HTML builder coloured each code block (any Pygments token)."""
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    return [
        bool(block.select("pre span[class]")) for block in soup.select("div[class^='highlight-']")
    ]


def test_code_language_follows_sphinx(built: Any) -> None:
    """Blocks without a language take Sphinx's default: Python where it lexes as
    Python (a ``>>>`` session too), plain text where it does not; ``.. highlight::``
    and ``:force:`` count, and a language named outright stays."""
    pages, _, html = built
    assert code_languages(pages["Code"]["html"]) == [
        "language-python",  # :: that lexes
        None,  # :: with a shell line: Python's lexer stops at "$"
        "language-python",  # >>> session
        "language-python",  # code-block without an argument
        "language-python",  # code-block:: python, named outright
        None,  # after .. highlight:: none
        "language-c",  # after .. highlight:: c
        "language-python",  # after .. highlight:: default
        "language-python",  # .. highlight:: python with :force:
    ]
    assert code_languages(pages["Fences"]["html"]) == ["language-python", None]
    if html is not None:
        # The same blocks as Sphinx's own HTML colours (or leaves plain).
        for name, page in (("Code", "code.html"), ("Fences", "fences.html")):
            named = [language is not None for language in code_languages(pages[name]["html"])]
            assert named == coloured_by_sphinx(html / page)


@pytest.mark.parametrize(
    ("source", "language", "force", "expected"),
    [
        ("x = 1\n", "default", False, "python"),
        (">>> x = 1\n", "default", False, "pycon"),
        ("$ ls -l\n", "default", False, "none"),
        ("$ ls -l\n", "default", True, "python"),
        ("$ ls -l\n", "python3", False, "python"),
        (">>> x\n1\n", "pycon3", False, "pycon"),
        ("#!/bin/bash\necho hi\n", "guess", False, "bash"),
        ("SELECT 1;\n", "sql", False, "sql"),
    ],
)
def test_highlighted_as(source: str, language: str, force: bool, expected: str) -> None:
    assert highlighted_as(source, language, force=force) == expected
