"""Building a test project and reading what the bookstack builder wrote."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

from sphinx.testing.util import SphinxTestApp

from sphinx_mosaic.bookstack.translate.fragment import fragment_folder

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


@dataclass(frozen=True)
class Built:
    """What one build left: the output folder, Sphinx's status and warning output, and the
    application (cleaned up; its ``env``, ``config`` and ``builder`` can still be read).

    Reads as the pair ``(outdir, warnings)`` that most tests want (``outdir, warnings =
    build(...)``, ``built[0]``)."""

    app: SphinxTestApp
    outdir: Path
    status: str
    warnings: str

    @property
    def statuscode(self) -> int:
        return int(self.app.statuscode)

    def __iter__(self) -> Iterator[Any]:
        return iter((self.outdir, self.warnings))

    def __getitem__(self, index: int) -> Any:
        return (self.outdir, self.warnings)[index]


def build(
    srcdir: Path,
    builddir: Path | None = None,
    buildername: str = "bookstack",
    *,
    connect: Iterable[tuple[str, Callable[..., Any]]] = (),
    **options: Any,
) -> Built:
    """Build *srcdir* with *buildername* into *builddir* (``_build`` beside the sources by
    default), one Sphinx application per call, cleaned up after the build so the next one
    starts afresh.  *options* go to Sphinx's test application (``confoverrides``,
    ``parallel``, ``freshenv``, ...); *connect* lists ``(event, handler)`` pairs connected
    after every handler of ours, to observe a build."""
    status, warning = StringIO(), StringIO()
    app = SphinxTestApp(
        buildername,
        srcdir=srcdir,
        builddir=builddir if builddir is not None else srcdir.parent / "_build",
        status=status,
        warning=warning,
        **options,
    )
    for event, handler in connect:
        app.connect(event, handler, priority=999)
    try:
        app.build()
    finally:
        app.cleanup()
    return Built(app, Path(app.outdir), status.getvalue(), warning.getvalue())


class SavedBuild:
    """Sources and their build folder saved as a build left them, and put back at the same paths
    before each use, so several tests edit and rebuild incrementally from one first build.  A
    copy elsewhere would not do: Sphinx starts a fresh environment when the source folder
    moved."""

    def __init__(self, first: Built, src: Path, builddir: Path) -> None:
        self.first, self.src, self.builddir = first, src, builddir
        self.saved = builddir.parent / f"saved-{builddir.name}"
        for folder in (src, builddir):
            shutil.copytree(folder, self.saved / folder.name)

    def restore(self) -> Path:
        """Put the sources and the build folder back; returns the source folder."""
        for folder in (self.src, self.builddir):
            shutil.rmtree(folder, ignore_errors=True)
            # copytree keeps modification times: no source looks edited since the build.
            shutil.copytree(self.saved / folder.name, folder)
        return self.src

    @property
    def outdir(self) -> Path:
        """The first build's output, as saved (the live one changes with each rebuild)."""
        return self.saved / self.builddir.name / self.first.outdir.relative_to(self.builddir)


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
    fragments = fragment_folder(builddir / "doctrees" / "bookstack")
    return {
        path.relative_to(fragments).as_posix(): path.stat().st_mtime_ns
        for path in fragments.rglob("*.json")
    }


def warning_texts(warnings: str) -> list[str]:
    """Each warning's message, colours and location cut off."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", warnings)
    return [line.split("WARNING: ", 1)[1] for line in text.splitlines() if "WARNING" in line]
