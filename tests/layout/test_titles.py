"""Sphinx and MyST own titles; the layout only adds front matter titles, number stripping
and fallbacks, and the html and BookStack outputs name every page alike."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup
from helpers.build import build


def page_names(outdir: Path) -> dict[str, str]:
    manifest = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
    names: dict[str, str] = {}
    for book in manifest["books"]:
        for entry in book["contents"]:
            for page in entry["pages"] if entry["type"] == "chapter" else [entry]:
                names[page["docname"]] = page["name"]
    return names


def test_titles_are_sphinx_own(one_book: Callable[[dict[str, str]], Path], tmp_path: Path) -> None:
    src = one_book(
        {
            # A role in the heading: Sphinx renders it, a reading of the Markdown text would
            # keep "{kbd}".
            "1-keys.md": "# Press {kbd}`Ctrl` and Caf&eacute;\n\ntext\n",
            "2-named.md": "---\ntitle: From front matter\n---\n# The heading\n\ntext\n",
            "3-plain.md": "no heading here\n",
        }
    )
    html, warnings = build(src, tmp_path / "html", "html")
    assert [line for line in warnings.splitlines() if "3-plain" not in line] == []
    titles = {
        name: BeautifulSoup((html / f"1-book/{name}.html").read_text(), "html.parser")
        .title.get_text()
        .split(" — ")[0]  # the theme adds " — <project>"
        for name in ("1-keys", "2-named", "3-plain")
    }
    assert titles == {
        "1-keys": "Press Ctrl and Café",
        "2-named": "From front matter",
        "3-plain": "Plain",
    }
    bookstack, _ = build(src, tmp_path / "bookstack", "bookstack")
    names = page_names(bookstack)
    assert names["1-book/1-keys"] == "Press Ctrl and Café"
    assert names["1-book/2-named"] == "From front matter"
    assert names["1-book/3-plain"] == "Plain"


def test_stripped_numbers_start_from_sphinx_title(
    one_book: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    src = one_book({"1-setup.md": "# 01 Setting *up*\n\ntext\n"})
    overrides = {"mosaic_strip_title_numbers": True}
    bookstack, _ = build(src, tmp_path / "bookstack", "bookstack", confoverrides=overrides)
    assert page_names(bookstack)["1-book/1-setup"] == "Setting up"
