"""Building a test project and reading what the bookstack builder wrote."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from io import StringIO
from pathlib import Path
from typing import Any

from sphinx.testing.util import SphinxTestApp

TESTS = Path(__file__).resolve().parents[1]
ROOTS = TESTS / "roots"
#: A real, messy docs tree (MIT-licensed; where it comes from: ``tests/corpus/README.md``).
CORPUS = TESTS / "corpus" / "mosaic-sdk-docs"
#: The configuration the corpus is built with (it ships no ``conf.py`` of ours).
CORPUS_CONFIG = {
    "extensions": ["myst_parser", "sphinx_mosaic"],
    "project": "mosaic-sdk",
    "copyright": "MosAIc Stack Contributors",
    "version": "1.0",
    "mosaic_unnumbered_folders": "books",
}


def build(
    srcdir: Path, builddir: Path, buildername: str = "bookstack", **kwargs: Any
) -> tuple[Path, str]:
    """Build *srcdir*; returns the output folder and the warnings."""
    warning = StringIO()
    app = SphinxTestApp(
        buildername, srcdir=srcdir, builddir=builddir, status=StringIO(), warning=warning, **kwargs
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return Path(app.outdir), warning.getvalue()


def copy_root(name: str, target: Path) -> Path:
    """A copy of ``tests/roots/test-<name>`` at ``target/src``, for tests that change it."""
    srcdir = target / "src"
    shutil.copytree(ROOTS / f"test-{name}", srcdir)
    return srcdir


def read_book(path: Path) -> dict[str, Any]:
    """The ``data.json`` of a book's ZIP."""
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("data.json"))  # type: ignore[no-any-return]


def all_pages(book: dict[str, Any]) -> list[dict[str, Any]]:
    """A book's pages, in chapters or not, in id order."""
    pages = list(book["pages"])
    for chapter in book["chapters"]:
        pages.extend(chapter["pages"])
    return sorted(pages, key=lambda page: page["id"])


def output_files(outdir: Path) -> dict[str, bytes]:
    """Every file of the BookStack output (ZIPs, browsable copy, manifest)."""
    return {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.is_file() and ".doctrees" not in path.parts
    }


def fragment_times(builddir: Path) -> dict[str, int]:
    """When each page's translated fragment was last written (a rewrite changes it)."""
    fragments = builddir / "doctrees" / "bookstack" / "fragments"
    return {
        path.relative_to(fragments).as_posix(): path.stat().st_mtime_ns
        for path in fragments.rglob("*.json")
    }


def warning_texts(warnings: str) -> list[str]:
    """Each warning's message, colours and location cut off."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", warnings)
    return [line.split("WARNING: ", 1)[1] for line in text.splitlines() if "WARNING" in line]
