"""The real projects whose docs the tests and benchmarks build: pinned sdists from PyPI.

Each project's source distribution is downloaded once (``pip download``, no
dependencies, no wheel) into a cache folder and unpacked there; its docs
folder is built with the project's own ``conf.py``.  Used by
``tests/whole/test_real_projects.py`` and ``python -m benchmarks.bookstack_write
--subject real`` (which loads this file by path).

Each conf.py needs its extensions installed (our ``test`` extra), and some
import the project itself: Flask's reads its version from the installed
distribution, pytest's from ``pytest``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    """A pinned sdist and where its docs are."""

    #: the requirement pip downloads (pinned)
    requirement: str
    #: the folder the sdist unpacks to
    folder: str
    #: the docs folder inside it (its conf.py's folder)
    docs: str = "docs"


#: Short name -> project.
PROJECTS = {
    # MyST Markdown, autodoc of click, sphinx-tabs, a theme's own 404 page.
    "click": Project("click==8.5.1", "click-8.5.1"),
    # reStructuredText, autodoc of jinja2, pallets' theme.
    "jinja2": Project("jinja2==3.1.6", "jinja2-3.1.6"),
    # MyST Markdown with inline tabs on Furo, and a README included from outside docs/.
    "sphinx-inline-tabs": Project(
        "sphinx-inline-tabs==2025.12.21.14", "sphinx_inline_tabs-2025.12.21.14"
    ),
    # 76 reST pages: autodoc of flask, sphinx-tabs, pallets' theme, images in _static/,
    # orphan pages without toctree entries (left out on purpose, named in one warning).
    "flask": Project("flask==3.1.3", "flask-3.1.3"),
    # About 250 reST pages on Furo: glob images (``.. image:: /example/fixtures/x.*``),
    # crossref types made with app.add_crossref_type (fixture, hook), an :orphan:
    # contents.rst holding the full table of contents beside the landing index.rst,
    # autodoc, viewcode, sphinx-issues, towncrier drafts, pygments-pytest.
    "pytest": Project("pytest==9.2.0", "pytest-9.2.0", "doc/en"),
}

CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "sphinx-mosaic-tests"


class Unavailable(Exception):
    """The sdist could not be downloaded (no PyPI)."""


def sdist_docs(project: Project) -> Path:
    """The docs folder of *project*'s sdist, downloaded once into the cache."""
    unpacked = CACHE / project.folder
    docs = unpacked / project.docs
    if not (docs / "conf.py").is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "-q", "--no-deps"]
        command += ["--no-binary", ":all:", "-d", str(CACHE), project.requirement]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        archives = sorted(CACHE.glob(f"{project.folder}.tar.gz")) + sorted(
            CACHE.glob(f"{project.folder.replace('_', '-')}.tar.gz")
        )
        if done.returncode or not archives:
            message = done.stderr.strip()[-300:]
            raise Unavailable(f"needs PyPI to download {project.requirement}: {message}")
        with tarfile.open(archives[0]) as archive:
            if hasattr(tarfile, "data_filter"):  # Python 3.10.12 and later
                archive.extractall(CACHE, filter="data")
            else:  # pragma: no cover
                archive.extractall(CACHE)  # a pinned sdist from PyPI
    return docs
