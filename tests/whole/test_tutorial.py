"""The Getting started tutorial works as written: its tree is built here, with its commands.

The tutorial's pages (docs/1-getting-started/2-tutorial/) show the files of
``tests/roots/test-tutorial`` through ``literalinclude``, so the files a reader
types are the files built here.  Each command the tutorial tells the reader to
run is run here, in a folder laid out as the reader's (``docs/`` with the tree,
outputs in ``_build/``), with ``-W``: a warning fails the test.  What the
tutorial says the reader will see (the tree, the status table, the path's
"step n of m", one ZIP per book, the dry run's plan) is checked on the outputs,
and each command and quoted output line is checked to be in the tutorial, so
text and test cannot drift apart.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from helpers.fake_bookstack.server import TOKEN_ID, TOKEN_SECRET, FakeBookStack
from helpers.pdf import compile_pdf
from helpers.zip_checker import check_package

import sphinx_mosaic

ROOT = Path(__file__).parents[1] / "roots" / "test-tutorial"
TUTORIAL = Path(__file__).parents[2] / "docs" / "1-getting-started" / "2-tutorial"

HTML = "sphinx-build -W --keep-going -b html docs _build/html"
LATEX = "sphinx-build -W --keep-going -b latex docs _build/latex"
LATEXMK = "latexmk -pdf -interaction=nonstopmode -halt-on-error -cd _build/latex/teamhandbook.tex"
BOOKSTACK = "sphinx-build -W --keep-going -b bookstack docs _build/bookstack"
TREE = "sphinx-mosaic tree docs"
CHECK = "sphinx-mosaic check docs"
DRY_RUN = "sphinx-mosaic publish _build/bookstack --dry-run"

#: How each program of the tutorial runs here: with this interpreter, so with the
#: sphinx-mosaic under test (the console scripts may belong to another install).
PROGRAMS = {
    "sphinx-build": [sys.executable, "-m", "sphinx"],
    "sphinx-mosaic": [sys.executable, "-m", "sphinx_mosaic.cli"],
}


def tutorial_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(TUTORIAL.glob("*.md")))


def promised(text: str) -> str:
    """*text*, after checking that the tutorial shows it (a command or an output line; runs
    of spaces count as one)."""
    shown = " ".join(tutorial_text().split())
    assert " ".join(text.split()) in shown, f"the tutorial no longer shows {text!r}"
    return text


def run(
    project: Path, command: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Runs *command* as the tutorial writes it, in the reader's project folder."""
    program, *args = shlex.split(promised(command))
    source = str(Path(sphinx_mosaic.__file__).parents[1])
    environ = {**os.environ, **(env or {})}
    environ["PYTHONPATH"] = os.pathsep.join(filter(None, [source, environ.get("PYTHONPATH")]))
    return subprocess.run(
        [*PROGRAMS[program], *args],
        cwd=project,
        env=environ,
        capture_output=True,
        text=True,
        timeout=600,
    )


def succeeds(project: Path, command: str, env: dict[str, str] | None = None) -> str:
    """Runs *command*; its output, after checking it exited with 0 and gave no warning."""
    done = run(project, command, env)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "WARNING" not in output, output
    return output


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reader's project folder: ``docs/`` holds the tutorial's tree."""
    folder = tmp_path_factory.mktemp("handbook")
    shutil.copytree(ROOT, folder / "docs")
    return folder


@pytest.fixture(scope="module")
def html(project: Path) -> Path:
    succeeds(project, HTML)
    return project / "_build" / "html"


@pytest.fixture(scope="module")
def bookstack(project: Path) -> tuple[Path, str]:
    output = succeeds(project, BOOKSTACK)
    return project / "_build" / "bookstack", output


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text(node: Tag) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def test_the_tutorial_shows_every_file_of_its_tree() -> None:
    shown = set(re.findall(r"tests/roots/test-tutorial/([^\s`]+)", tutorial_text()))
    files = {p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*") if p.is_file()}
    assert files == shown


def test_the_tree_is_what_the_tutorial_shows(project: Path) -> None:
    output = succeeds(project, TREE)
    lines = output.strip().splitlines()
    assert lines[0] == "Team handbook  [shelf] README.md"
    assert len(lines) == 9
    for line in lines:
        promised(line)


def test_the_html_site(html: Path) -> None:
    shelf = soup(html / "README.html")
    assert shelf.select_one('link[href*="furo"]') is not None, "the Furo theme"
    # The contents list: each book, linked, with its description.
    contents = [text(li) for li in shelf.select("ul.mosaic-contents > li")]
    assert contents == [
        "Getting started Everything a new developer needs on the first day.",
        "Operations Shipping the shop and keeping it running.",
    ]
    # The status table: one row per book, its roll-up and its count of complete pages.
    rows = [
        [text(cell) for cell in row.find_all("td")][:3]
        for row in shelf.select("table.mosaic-status-table tbody tr")
    ]
    assert rows == [
        ["Getting started", "Status: Partial 50 %", promised("1/3")],
        ["Operations", "Status: Partial 75 %", promised("1/2")],
    ]
    promised("Partial 50 %")
    promised("Partial 75 %")
    # The path where it is defined: four steps, the third planned (no link).
    path = shelf.select_one("#path-new-developers")
    assert path is not None and path.parent is not None
    steps = path.parent.select("ol.mosaic-path-steps > li")
    assert [len(li.select("a")) for li in steps] == [1, 1, 0, 1]
    # The badge under a page's title.
    installation = soup(html / "1-getting-started/1-installation.html")
    assert installation.select_one(".mosaic-status-complete") is not None


@pytest.mark.parametrize(
    ("page", "line"),
    [
        ("1-getting-started/1-installation.html", "step 1 of 4: Local setup →"),
        (
            "1-getting-started/2-first-steps/1-local-setup.html",
            "step 2 of 4: ← Installation | Deployment →",
        ),
        ("2-operations/1-deployment.html", "step 4 of 4: ← Local setup"),
    ],
)
def test_each_step_of_the_path_says_where_it_is(html: Path, page: str, line: str) -> None:
    box = soup(html / page).select_one(".mosaic-path-nav")
    assert box is not None
    assert text(box) == f"For new developers — {promised(line)}"


@pytest.mark.latex
def test_the_pdf(project: Path) -> None:
    succeeds(project, LATEX)
    promised(LATEXMK)
    pdf = compile_pdf(project / "_build" / "latex")
    assert (project / "_build/latex/teamhandbook.pdf").is_file()
    words = " ".join(pdf.split())
    for heading in ("Getting started", "First steps", "Local setup", "Operations", "Monitoring"):
        assert heading in words
    assert "Partial 50 %" in words
    assert "For new developers" in words


def test_one_bookstack_zip_per_book(bookstack: tuple[Path, str]) -> None:
    outdir, output = bookstack
    assert promised("bookstack: wrote 2 books, 6 pages, 0 images") in output
    books = sorted(outdir.glob("books/*.zip"))
    assert [promised(f"books/{p.name}") for p in books] == [
        "books/1-getting-started.zip",
        "books/2-operations.zip",
    ]
    for book in books:
        assert check_package(book) == [], book.name


def test_the_publish_dry_run_plans_and_writes_nothing(
    project: Path, bookstack: tuple[Path, str]
) -> None:
    with FakeBookStack() as server:
        env = {
            "BOOKSTACK_URL": server.url,
            "BOOKSTACK_TOKEN_ID": TOKEN_ID,
            "BOOKSTACK_TOKEN_SECRET": TOKEN_SECRET,
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        }
        output = succeeds(project, DRY_RUN, env)
        assert server.writes == 0
    lines = [" ".join(line.split()) for line in output.splitlines()]
    for kind, key, name in [
        ("create shelf", "@shelf", "Team handbook"),
        ("import book", "getting-started", "Getting started"),
        ("import book", "operations", "Operations"),
    ]:
        assert promised(f"{kind} {key} '{name}'") in lines
    assert promised("plan: 2 import, 8 create") in lines
    assert lines[-1].startswith(promised("publish: dry run, nothing written"))


def test_check_says_the_tree_is_clean(project: Path) -> None:
    output = succeeds(project, CHECK)
    assert output.strip().endswith(promised("is clean"))
