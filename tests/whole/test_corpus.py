"""A real, messy docs tree (208 pages) builds with every builder we support.

The corpus is ``tests/corpus/mosaic-sdk-docs`` (MIT-licensed; where it comes from:
``tests/corpus/README.md``).  It has no numbered folders, duplicate page numbers,
code blocks without a language, broken links and unknown status values: the
build must finish with no exception and the same set of warning subtypes.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from helpers.build import CORPUS, CORPUS_CONFIG
from helpers.builders import ALL_BUILDERS
from helpers.zip_checker import check_package
from sphinx.testing.util import SphinxTestApp

BUILDERS = ALL_BUILDERS
# Every subtype the corpus gives, and why each is a true finding.
EXPECTED_SUBTYPES = {
    "mosaic.code-language",  # fences without a language (149+ in the corpus)
    "mosaic.duplicate-number",  # five chapters reuse page numbers
    "mosaic.no-root",  # the corpus root has NOTICE.md but no README
    "mosaic.too-deep",  # projects/<book>/<chapter>/<topic>/ is four levels deep
    "myst.header",  # skipped heading levels
    "myst.xref_missing",  # links to files that do not exist
    "misc.highlighting_failure",  # two blocks: an invalid "http" and a "json" with # comments
    # 58 Mermaid fences: html shows them as code (sphinxcontrib-mermaid is not loaded), and
    # says so at each; bookstack and latex draw them, or say why not (DRAWING_SUBTYPES).
    "mosaic.renderer",
}

# What the builders that draw diagrams add (bookstack, latex): the corpus has 58 Mermaid
# fences, and the Mermaid CLI refuses one of them (a state diagram whose states would form a
# parent cycle); without the CLI (a developer's machine) each fence says to install it.
DRAWING_SUBTYPES = {"mosaic.drawing", "mosaic.renderer"}

pytestmark = pytest.mark.slow


def subtypes(warnings: str) -> Counter[str]:
    text = re.sub(r"\x1b\[[0-9;]*m", "", warnings)
    return Counter(
        re.findall(r"\[([a-z_]+\.[a-z_-]+)\]$", text, flags=re.MULTILINE)
        + ["untyped" for line in text.splitlines() if "WARNING" in line and not line.endswith("]")]
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the corpus with a conf.py (the corpus has none), and a shared build folder."""
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(CORPUS, root / "src")
    (root / "src" / "conf.py").write_text(
        "\n".join(f"{k} = {v!r}" for k, v in CORPUS_CONFIG.items())
    )
    return root / "src", root / "build"


@pytest.mark.parametrize("buildername", BUILDERS)
def test_corpus_builds_with_every_builder(
    make_app: Callable[..., SphinxTestApp],
    corpus: tuple[Path, Path],
    buildername: str,
) -> None:
    # One environment for all builders (as `make html latexpdf` shares -d), read once.
    srcdir, builddir = corpus
    if buildername == "gettext":
        # gettext keeps an environment of its own (it versions paragraphs).
        builddir = builddir.with_name("build-gettext")
    app = make_app(buildername, srcdir=srcdir, builddir=builddir)
    app.build()
    assert app.statuscode == 0
    found = subtypes(app.warning.getvalue())
    if buildername == BUILDERS[0]:
        # (gettext reads again; its warnings are the same kinds, checked by the subset test.)
        # The full read happens once, in the first build: every expected subtype appears.
        assert set(found) == EXPECTED_SUBTYPES, found
        # html without sphinxcontrib-mermaid shows the 58 Mermaid fences as code, and says
        # so at each of them.
        assert found["mosaic.renderer"] == 58, found
    else:
        assert set(found) <= EXPECTED_SUBTYPES | DRAWING_SUBTYPES, found
    assert any(Path(app.outdir).iterdir())
    if buildername == "bookstack":
        # Every book of the corpus is a ZIP BookStack would import.
        schema = json.loads(
            (
                Path(__file__).parents[1] / "roots/test-bookstack-schema/bookstack-zip-schema.json"
            ).read_text()
        )
        books = sorted(Path(app.outdir).glob("books/*.zip"))
        assert len(books) >= 2
        for path in books:
            with zipfile.ZipFile(path) as archive:
                jsonschema.validate(json.loads(archive.read("data.json")), schema)
            assert check_package(path) == [], path.name
