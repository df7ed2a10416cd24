"""An image shown on two pages: each page holds its own copy in BookStack.

In a BookStack ZIP an image belongs to the page whose ``images`` list it; another
page may show it through its ``[[bsexport:image:N]]`` token, but it then depends
on a page that may be deleted or moved to another book later.  So each page that
shows the image lists it (an image entry of its own, the one file in the ZIP), and
both pages show it after an import and after publishing page by page.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.build import ROOTS, all_pages, build, read_book
from helpers.fake_bookstack.fixtures import run_publish
from helpers.fake_bookstack.server import FakeBookStack
from helpers.zip_checker import check_package


@pytest.fixture
def server() -> Iterator[FakeBookStack]:
    with FakeBookStack() as fake:
        yield fake


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("shared") / "src"
    src.mkdir()
    shutil.copy(ROOTS / "test-bookstack-toctree" / "_static" / "picture.png", src / "pic.png")
    (src / "conf.py").write_text('extensions = ["sphinx_mosaic"]\nproject = "Shared"\n')
    (src / "index.rst").write_text("Shared\n======\n\n.. toctree::\n\n   one\n   two\n")
    for name in ("one", "two"):
        (src / f"{name}.rst").write_text(
            f"{name.title()}\n===\n\nText.\n\n.. image:: pic.png\n   :alt: a picture\n"
        )
    outdir, _ = build(src, src.parent / "_build")
    return outdir


def test_each_page_lists_the_image_it_shows(built: Path) -> None:
    (path,) = (built / "books").glob("*.zip")
    assert check_package(path) == []
    pages = {page["name"]: page for page in all_pages(read_book(path)["book"])}
    for name in ("One", "Two"):
        listed = {image["id"] for image in pages[name]["images"]}
        shown = {int(i) for i in re.findall(r"\[\[bsexport:image:(\d+)\]\]", pages[name]["html"])}
        assert shown and shown == listed, name
    files = {image["file"] for page in pages.values() for image in page["images"]}
    assert len(files) == 1  # one file in the ZIP for both
    with zipfile.ZipFile(path) as archive:
        assert [n for n in archive.namelist() if n.startswith("files/")] == [f"files/{files.pop()}"]


@pytest.mark.parametrize("use_import", [True, False], ids=["import", "page-by-page"])
def test_both_pages_show_their_own_copy(
    built: Path, server: FakeBookStack, use_import: bool
) -> None:
    report, _ = run_publish(server, built, use_import=use_import)
    assert report.ok, report.result.errors
    pages = {p["name"]: p for p in server.live("pages")}
    images: dict[int, list[dict[str, Any]]] = {}
    for image in server.live("image-gallery"):
        images.setdefault(image["uploaded_to"], []).append(image)
    for name in ("One", "Two"):
        page = pages[name]
        (own,) = images[page["id"]]
        assert f'src="{own["url"]}"' in page["html"], name
    server.reset_counts()
    report, _ = run_publish(server, built, use_import=use_import)
    assert report.ok and server.writes == 0
    manifest = json.loads((built / "manifest.json").read_text())
    assert manifest["project"] == "Shared"
