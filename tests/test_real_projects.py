"""Real projects nobody here wrote, built with ``-b bookstack``: the docs their sdists ship.

Each project's source distribution is downloaded from PyPI (pinned, so the
test sees the same sources every run; cached between runs), its ``docs/`` is
built as html and as bookstack with its own ``conf.py``, and
:func:`check_project.check` asserts that every ZIP keeps BookStack's import
rules and that every html page made from a document is in exactly one
BookStack page.  The extensions those ``conf.py`` files load are in our
``test`` extra.

Not here: sphinx-design and MyST-Parser ship no docs in their sdists (their
flit sdists hold the package only); sphinx-copybutton's docs need myst-nb and
IPython (a Jupyter kernel); Furo's own docs stop Sphinx itself with current
MyST-Parser (``furo.sphinxext``: "Expected separator line containing only
'+++'"), with any builder.

Marked ``network``: without PyPI the test is skipped on a developer's machine
and fails in CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from check_project import check
from pdf_tools import skip_or_fail

#: (sdist on PyPI, what the docs hold)
PROJECTS = {
    # MyST Markdown, autodoc of click, sphinx-tabs, a theme's own 404 page.
    "click==8.5.1": "click-8.5.1",
    # reStructuredText, autodoc of jinja2, pallets' theme.
    "jinja2==3.1.6": "jinja2-3.1.6",
    # MyST Markdown with inline tabs on Furo, and a README included from outside docs/.
    "sphinx-inline-tabs==2025.12.21.14": "sphinx_inline_tabs-2025.12.21.14",
}

CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "sphinx-mosaic-tests"


def sdist_docs(requirement: str, folder: str) -> Path:
    """The ``docs/`` folder of *requirement*'s sdist, downloaded once into the cache."""
    unpacked = CACHE / folder
    if not (unpacked / "docs" / "conf.py").is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "-q", "--no-deps"]
        command += ["--no-binary", ":all:", "-d", str(CACHE), requirement]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        archives = sorted(CACHE.glob(f"{folder}.tar.gz")) + sorted(
            CACHE.glob(f"{folder.replace('_', '-')}.tar.gz")
        )
        if done.returncode or not archives:
            skip_or_fail(f"needs PyPI to download {requirement}: {done.stderr.strip()[-300:]}")
        with tarfile.open(archives[0]) as archive:
            if hasattr(tarfile, "data_filter"):  # Python 3.10.12 and later
                archive.extractall(CACHE, filter="data")
            else:  # pragma: no cover
                archive.extractall(CACHE)  # a pinned sdist from PyPI
    return unpacked / "docs"


@pytest.mark.slow
@pytest.mark.network
@pytest.mark.parametrize("requirement", sorted(PROJECTS))
def test_a_real_project_becomes_books(requirement: str, tmp_path: Path) -> None:
    docs = sdist_docs(requirement, PROJECTS[requirement])
    # A page in no toctree is in a book only with extras = "books" (see check_project).
    result = check(docs, tmp_path, ["-D", "mosaic_bookstack_extras=books"])
    for builder, (status, stderr) in result.builds.items():
        assert status == 0, f"{builder}: {stderr[-2000:]}"
        assert "Traceback" not in stderr and "Exception occurred" not in stderr
    assert result.books, "no book"
    assert {name: found for name, found in result.problems.items() if found} == {}
    assert result.html_pages, "no html page"
    assert result.missing == [] and result.twice == []
    assert result.ok
