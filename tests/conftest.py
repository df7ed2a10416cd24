"""Shared test set-up: Sphinx's testing fixtures with our test roots.

Tests that need an external program carry a marker: ``latex`` (pdflatex and
latexmk), ``browser`` (Debian's chromium), ``graphviz`` (``dot``) or ``mermaid``
(the Mermaid CLI ``mmdc`` and chromium).  Without the program they are
skipped on a developer's machine, with the reason, but **fail** in CI (the
``CI`` environment variable is set), where ``.ci/run`` installs them: a
missing dependency is never hidden there.

Tests marked ``slow`` build a whole real project (the sample corpus with every
builder, its PDFs, real projects' docs): about a quarter of the suite's
time.  They run in CI (``CI`` set) and with ``--slow``; elsewhere they are
skipped, with that reason.  The suite runs in parallel (pytest-xdist's ``-n auto``,
set below); ``-n 0`` runs it in one process.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import jsonschema
import pytest
from helpers.pdf import require_programs, require_tex

import sphinx_mosaic

pytest_plugins = ("sphinx.testing.fixtures",)

collect_ignore = ["roots"]

#: marker -> programs it needs on PATH
REQUIRED_PROGRAMS = {
    "latex": ("pdflatex", "latexmk", "pdftotext", "pdfimages"),
    "browser": ("chromium",),
    "graphviz": ("dot",),
    "mermaid": ("mmdc", "chromium"),
}


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """In parallel by default: ``-n auto --dist loadfile`` unless ``-n`` or ``--dist`` is given
    (``-n 0`` or ``-p no:xdist`` runs in one process).  Set here rather than in ``addopts``,
    where ``-p no:xdist`` would make ``-n`` an unknown option.  ``loadfile`` keeps a test
    file in one worker, so a module-scoped build is built once, not once per worker."""
    if not config.pluginmanager.hasplugin("xdist") or hasattr(config, "workerinput"):
        return
    if config.option.numprocesses is None:
        config.option.numprocesses = "auto"
    if config.option.dist == "no" and not config.option.distload:
        config.option.dist = "loadfile"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--slow",
        action="store_true",
        help="also run the tests marked slow (whole real projects), which CI runs",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow") or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="slow (a whole real project): CI runs it; --slow runs it here")
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """``@pytest.mark.sphinx(testroot="x")`` uses ``tests/roots/test-x``."""
    return Path(__file__).parent / "roots"


MANIFEST_SCHEMA = json.loads(
    (Path(__file__).parents[1] / "docs/2-user-guide/4-bookstack/manifest.schema.json").read_text(
        encoding="utf-8"
    )
)


def manifest_problems(path: Path) -> list[str]:
    """Where the manifest at *path* departs from the documented JSON Schema."""
    validator = jsonschema.Draft202012Validator(MANIFEST_SCHEMA)
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        f"{path}: {'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(data)
    ]


def written_by_the_builder(path: Path) -> bool:
    """Whether *path* is a manifest the builder wrote (publisher tests also fabricate some,
    over BookStack's limits on purpose, to see the server refuse them)."""
    try:
        generator = json.loads(path.read_text(encoding="utf-8")).get("generator")
    except (OSError, ValueError, AttributeError):
        return True  # unreadable: let the schema check say so
    return bool(generator == f"sphinx-mosaic {sphinx_mosaic.__version__}")


@pytest.fixture(scope="module", autouse=True)
def _manifests_follow_the_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every manifest.json the builder writes in a test module fits the documented schema."""
    started = time.time() - 1
    yield
    base = tmp_path_factory.getbasetemp()
    written = [p for p in base.rglob("manifest.json") if p.stat().st_mtime >= started]
    problems = [
        problem
        for path in written
        if written_by_the_builder(path)
        for problem in manifest_problems(path)
    ]
    assert not problems, "\n".join(problems[:20])


@pytest.fixture(autouse=True)
def _require_programs(request: pytest.FixtureRequest) -> None:
    for marker, programs in REQUIRED_PROGRAMS.items():
        if request.node.get_closest_marker(marker) is not None:
            require_programs(*programs)
            if marker == "latex":
                require_tex("pdflatex")


@pytest.fixture
def one_book(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Writes a shelf with one book, ``1-book``, holding *pages* (path in the book -> text);
    returns the source folder (conf.py enables MyST and sphinx_mosaic)."""

    def write(pages: dict[str, str]) -> Path:
        src = tmp_path / "src"
        (src / "1-book").mkdir(parents=True)
        (src / "conf.py").write_text('extensions = ["myst_parser", "sphinx_mosaic"]\n')
        (src / "README.md").write_text("# Shelf\n\ntext\n")
        (src / "1-book/README.md").write_text("# Book\n\ntext\n")
        for name, text in pages.items():
            (src / "1-book" / name).write_text(text)
        return src

    return write
