"""Fuzzing front matter and top field lists: any value, any type, any broken YAML.

``title``, ``status``, ``status_badge``, ``page_footer``, ``last_updated``,
``audience`` and unknown keys get YAML's special spellings, wrong types
(``status: [a, b]``, ``title: 123``, ``audience: {x: 1}``), dates that are not
dates, and malformed or unclosed blocks.  The fuzzed page can be a book's
index page, whose status stands for the whole book in the status table.

Same promises as ``test_fuzz_directives``: no exception, the page's content
in the output, a location and a type on every warning.  Same switches:
``MOSAIC_FUZZ_EXAMPLES`` and ``MOSAIC_FUZZ_RANDOM``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers.fuzz_project import MYST_PAGE, RST_PAGE, SENTINEL, FuzzProject, check, fuzz_settings
from helpers.fuzz_strategies import myst_page, rst_page
from hypothesis import given
from hypothesis import strategies as st


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzProject]:
    yield FuzzProject(tmp_path_factory.mktemp("fuzz-front-matter"))


@st.composite
def pages(draw: st.DrawFn) -> dict[str, str]:
    myst = draw(myst_page(front_matter=True, body=False))
    rst = draw(rst_page(front_matter=True, body=False))
    if draw(st.booleans()):
        return {MYST_PAGE: myst, RST_PAGE: rst}
    # The book's index page: its status is the book's status set by hand.
    return {"1-book/README.md": myst, RST_PAGE: rst, MYST_PAGE: f"# Page\n\n{SENTINEL}\n"}


@pytest.mark.parametrize("builder", ["html", "text", "latex", "bookstack"])
def test_front_matter_with_hostile_values(project: FuzzProject, builder: str) -> None:
    @fuzz_settings(builder)
    @given(pages=pages())
    def run(pages: dict[str, str]) -> None:
        check(project, pages, builder)

    run()


@pytest.mark.parametrize("builder", ["text"])
def test_front_matter_changed_between_incremental_builds(
    project: FuzzProject, builder: str
) -> None:
    """Hostile front matter replaced by other hostile front matter, without a fresh
    environment: the collectors' snapshots and comparisons meet both."""

    @fuzz_settings(builder)
    @given(before=pages(), after=pages())
    def run(before: dict[str, str], after: dict[str, str]) -> None:
        check(project, before, builder)
        check(project, after, builder, fresh=False)

    run()
