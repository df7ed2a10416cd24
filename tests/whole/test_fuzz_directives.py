"""Fuzzing our directives and roles: hostile arguments, options and bodies never break a build.

For every generated pair of pages (one MyST, one reStructuredText) the project
builds from scratch and must:

* finish without an exception, with status 0 and no traceback in the log;
* keep each fuzzed page: its sentinel paragraph is in the output;
* give every warning a location in the source folder and a type (and, for
  ``mosaic`` warnings, a subtype from our catalogue).

Examples are derandomized (see helpers.fuzz_project.fuzz_settings), so CI runs the same
inputs every time and a failure reproduces. ``MOSAIC_FUZZ_EXAMPLES=500`` runs more
examples per test and ``MOSAIC_FUZZ_RANDOM=1`` draws new ones (fuzzing sessions).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.fuzz_project import MYST_PAGE, RST_PAGE, FuzzProject, check, fuzz_settings
from helpers.fuzz_strategies import myst_page, rst_page
from hypothesis import given
from hypothesis import strategies as st


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzProject]:
    yield FuzzProject(tmp_path_factory.mktemp("fuzz-directives"))


PAGES = st.fixed_dictionaries(
    {
        MYST_PAGE: myst_page(front_matter=False, body=True),
        RST_PAGE: rst_page(front_matter=False, body=True),
    }
)


@pytest.mark.parametrize("builder", ["html", "text", "latex", "bookstack"])
def test_directives_and_roles_with_hostile_input(project: FuzzProject, builder: str) -> None:
    @fuzz_settings(builder)
    @given(pages=PAGES)
    def run(pages: dict[str, str]) -> None:
        check(project, pages, builder)

    run()


def test_fixed_pages_build_clean(project: FuzzProject) -> None:
    """The template itself gives no warning, so every warning a fuzz build gives
    comes from the fuzzed pages."""
    build = project.build(
        {
            MYST_PAGE: "# Page\n\nSentinelparagraph\n",
            RST_PAGE: "Rst page\n========\n\nSentinelparagraph\n",
        }
    )
    assert build.warnings == []
    assert build.problems() == []
    assert (Path(build.outdir) / "1-book/1-page.html").is_file()
