"""Request budgets on a 1,000-page shelf (10 books, 50 chapters), asserted and reportable.

Run ``PYTHONPATH=tests python tests/publish/test_budget.py [PAGES]`` to print the table that the
docs quote (requests per scenario, and the time they take at 180 requests/minute).
"""

from __future__ import annotations

import math
import re
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.fake_bookstack.fixtures import (
    FakeClock,
    ShelfSpec,
    big_shelf,
    run_publish,
    write_output,
)
from helpers.fake_bookstack.server import FakeBookStack

BOOKS = 10
#: The target for a no-change publish of 1,000 pages (benchmarks/publishing.py).
NO_CHANGE_REQUESTS = 20
BOOK_READ = re.compile(r"^/api/books/\d+$")


@dataclass
class Measure:
    scenario: str
    reads: int
    writes: int
    minutes: float  # at 180 requests per minute, on the publisher's (virtual) clock
    book_reads: int  # GET /api/books/{id}: the state comes from listings instead

    @property
    def total(self) -> int:
        return self.reads + self.writes


def measure(spec: ShelfSpec, out: Path, use_import: bool) -> list[Measure]:
    """First publish, a no-change run and a one-page change, on a fresh fake server."""
    results = []
    with FakeBookStack() as server:
        for scenario in ("first publish", "no change", "one page changed"):
            if scenario == "one page changed":
                spec.books[3].all_pages()[7].text = "Changed."
                write_output(spec, out)
            server.reset_counts()
            clock = FakeClock()
            report, _ = run_publish(
                server,
                out,
                clock=clock,
                use_import=use_import,
                settings={"requests_per_minute": 180},
            )
            assert report.ok, report.result.errors
            book_reads = sum(1 for m, path in server.log if m == "GET" and BOOK_READ.match(path))
            results.append(
                Measure(scenario, server.reads, server.writes, (clock.now - 1000) / 60, book_reads)
            )
        spec.books[3].all_pages()[7].text = "Some text."
        write_output(spec, out)
    return results


@pytest.fixture(scope="module")
def shelf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ShelfSpec, Path]]:
    spec = big_shelf(pages=1000, books=BOOKS)
    yield spec, write_output(spec, tmp_path_factory.mktemp("big"))


@pytest.mark.parametrize("use_import", [True, False], ids=["imports-api", "page-by-page"])
def test_request_budget_for_1000_pages(shelf: tuple[ShelfSpec, Path], use_import: bool) -> None:
    spec, out = shelf
    pages = sum(len(b.all_pages()) for b in spec.books)
    chapters = sum(1 for b in spec.books for c in b.contents if hasattr(c, "pages"))
    entities = 1 + BOOKS + chapters + pages
    first, unchanged, one_change = measure(spec, out, use_import)
    # Reading the state: system, tag search (100 of each type a request), the chapter and
    # page listings (500 a request; no foreign content here), the shelf.
    read_budget = 1 + math.ceil(pages / 100) + math.ceil(chapters / 500)
    read_budget += math.ceil(pages / 500) + 1
    assert unchanged.writes == 0 and unchanged.reads == read_budget
    assert unchanged.total <= NO_CHANGE_REQUESTS and unchanged.book_reads == 0
    # The changed page is read once before it is written (trample protection).
    assert one_change.writes == 1 and one_change.reads == read_budget + 1
    if use_import:
        # Per book: upload + run; one relink per cross-book link; the shelf.  BookStack's
        # importer numbers chapters 2, 3, ... and book-level pages 2, 3, ...: the pages that
        # follow the chapters are renumbered after the import (one write each).
        loose = sum(1 for b in spec.books for item in b.contents if not hasattr(item, "pages"))
        assert first.writes <= 2 * BOOKS + (BOOKS - 1) + 1 + loose
        assert first.total <= 60 + loose
    else:
        # One create per entity: the links form no cycle, so no placeholder is needed.
        assert first.writes == entities
        assert first.minutes >= (first.total / 180 - 1)  # the budget was respected


def main(pages: int = 1000) -> None:
    spec = big_shelf(pages=pages, books=BOOKS)
    with tempfile.TemporaryDirectory() as tmp:
        out = write_output(spec, Path(tmp))
        print(f"{pages} pages, {BOOKS} books, {BOOKS * 5} chapters")
        print(f"{'mode':<14}{'scenario':<18}{'reads':>7}{'writes':>8}{'total':>7}{'min@180':>9}")
        for use_import, mode in ((True, "imports API"), (False, "page by page")):
            for m in measure(spec, out, use_import):
                print(
                    f"{mode:<14}{m.scenario:<18}{m.reads:>7}{m.writes:>8}{m.total:>7}"
                    f"{m.minutes:>9.1f}"
                )
        print(
            f"one request per page: at least {pages} requests every run "
            f"({pages / 180:.1f} min at 180/min)"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
