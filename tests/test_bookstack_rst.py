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
from sphinx.util.console import strip_colors
from test_bookstack import build, copy_root


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
    tmp = tmp_path_factory.mktemp(f"rst-{request.param}")
    if request.param == "alongside":
        outdir, warnings = build(
            copy_root("bookstack-rst", tmp),
            tmp / "_build",
            "html",
            confoverrides={"mosaic_bookstack_alongside": True},
        )
        outdir = outdir / "bookstack"
    else:
        outdir, warnings = build(copy_root("bookstack-rst", tmp), tmp / "_build")
    return pages_of(outdir), strip_colors(warnings)


def test_glob_images_are_shown(built: Any) -> None:
    """``.. image:: pic.*`` takes the file BookStack shows as it is (the PNG before
    the SVG beside it); ``drawing.*``, an SVG alone, is drawn as PNG."""
    pages, warnings = built
    assert "cannot read" not in warnings
    page = pages["Pictures"]
    images = {image["name"]: image for image in page["images"]}
    assert sorted(images) == ["drawing.svg", "pic.png"]
    root = Path(__file__).parent / "roots" / "test-bookstack-rst"
    assert page["files"][f"files/{images['pic.png']['file']}"] == (root / "pic.png").read_bytes()
    assert images["drawing.svg"]["file"].endswith(".png")
    shown = [
        (img["alt"], img["src"])
        for img in BeautifulSoup(page["html"], "html.parser").find_all("img")
    ]
    assert shown == [
        ("a picture", f"[[bsexport:image:{images['pic.png']['id']}]]"),
        ("a drawing", f"[[bsexport:image:{images['drawing.svg']['id']}]]"),
    ]
