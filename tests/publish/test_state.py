"""Reading the server state: what it costs, and that it still sees every drift.

The state comes from a tag search plus two listings (``/api/chapters`` and
``/api/pages`` over the span of our book ids), or one ``GET /api/books/{id}``
per book when that is cheaper.  The oracle here is the fake server's own
tables, never the publisher's code.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.fake_bookstack.fixtures import (
    BookSpec,
    FakeClock,
    PageSpec,
    run_publish,
    settings_for,
    small_shelf,
    snapshot,
    state_reads,
    write_output,
)
from helpers.fake_bookstack.server import FakeBookStack

from sphinx_mosaic.publish.client import BookStackClient
from sphinx_mosaic.publish.state import ServerState, read_state

BOOK_READ = re.compile(r"^/api/books/\d+$")


def book_reads(server: FakeBookStack) -> int:
    return sum(1 for method, path in server.log if method == "GET" and BOOK_READ.match(path))


def listing_reads(server: FakeBookStack, table: str) -> int:
    return server.log.count(("GET", f"/api/{table}"))


def check_state(server: FakeBookStack, state: ServerState, project: str) -> None:
    """*state* agrees with the server's tables on every owned row and all foreign content."""
    ours = {b["id"] for b in server.tagged("books", "mosaic-project", project)}
    assert {b.id for b in state.books.values()} == ours
    for table, found in (("chapters", state.chapters), ("pages", state.pages)):
        rows = server.tagged(table, "mosaic-project", project)
        assert {e.id for e in found.values()} == {r["id"] for r in rows}
        by_id = {e.id: e for e in found.values()}
        for row in rows:
            entity = by_id[row["id"]]
            assert entity.book_id == row["book_id"]
            assert entity.priority == row["priority"], (table, row["id"])
            if table == "pages":
                assert entity.chapter_id == (row["chapter_id"] or None)
    owned_ids = {
        table: {r["id"] for r in server.tagged(table, "mosaic-project", project)}
        for table in ("chapters", "pages")
    }
    for book_id in ours:
        expected = {
            (table[:-1], e["id"])
            for table in ("chapters", "pages")
            for e in server.live(table)
            if e["book_id"] == book_id and e["id"] not in owned_ids[table]
        }
        assert state.foreign_in_book.get(book_id, set()) == expected
    for chapter in server.live("chapters"):
        if chapter["book_id"] not in ours:
            continue
        expected = {
            ("page", p["id"])
            for p in server.live("pages")
            if p["chapter_id"] == chapter["id"] and p["id"] not in owned_ids["pages"]
        }
        assert state.foreign_in_chapter.get(chapter["id"], set()) == expected


def tags(key: str, project: str = "Demo") -> list[dict[str, str]]:
    return [
        {"name": "mosaic-project", "value": project},
        {"name": "mosaic-key", "value": key},
        {"name": "mosaic-hash", "value": "1-x"},
    ]


def owned_book(server: FakeBookStack, key: str, pages: int, chapters: int = 2) -> dict[str, Any]:
    """An owned book: *chapters* chapters holding half the pages, the rest at book level."""
    book = server.create("books", name=key.title(), tags=tags(key))
    made = [
        server.create(
            "chapters", book_id=book["id"], name=f"{key} c{c}", tags=tags(f"{key}/c{c}"), priority=c
        )
        for c in range(chapters)
    ]
    for n in range(pages):
        home: dict[str, Any] = {"book_id": book["id"]}
        if made and n < pages // 2:
            home = {"chapter_id": made[n % len(made)]["id"]}
        server.create(
            "pages",
            name=f"{key} p{n}",
            html="<p>x</p>",
            tags=tags(f"{key}/p{n}"),
            priority=(n * 7) % 11,  # not in id order: the order must come from the server
            **home,
        )
    return book


def foreign_book(server: FakeBookStack, pages: int = 0, chapters: int = 0) -> dict[str, Any]:
    book = server.create("books", name="Their Book")
    for n in range(chapters):
        server.create("chapters", book_id=book["id"], name=f"their c{n}")
    for n in range(pages):
        server.create("pages", book_id=book["id"], name=f"their p{n}", html="<p>t</p>")
    return book


@pytest.fixture
def server() -> Iterator[FakeBookStack]:
    with FakeBookStack() as fake:
        yield fake


@pytest.fixture
def client(server: FakeBookStack) -> Iterator[BookStackClient]:
    client = BookStackClient(settings_for(server), clock=FakeClock())
    yield client
    client.close()


# -- the fake server's listings behave as BookStack's ------------------------------------------


def test_listing_filters_sort_and_paging_follow_bookstack(
    server: FakeBookStack, client: BookStackClient
) -> None:
    a = server.create("books", name="A")
    b = server.create("books", name="B")
    for n in range(6):
        server.create("pages", book_id=(a, b)[n % 2]["id"], name=f"Page {n}", html="<p>x</p>")

    def ids(**params: Any) -> tuple[list[int], int]:
        answer = client.get("/api/pages", params)
        return [row["id"] for row in answer["data"]], answer["total"]

    assert ids(**{"filter[book_id]": b["id"]}) == ([2, 4, 6], 3)
    assert ids(**{"filter[book_id:ne]": b["id"]}) == ([1, 3, 5], 3)
    assert ids(**{"filter[id:gt]": 2, "filter[id:lte]": 5}) == ([3, 4, 5], 3)
    assert ids(**{"filter[id:gte]": 5}) == ([5, 6], 2)
    assert ids(**{"filter[id:lt]": 3}) == ([1, 2], 2)
    assert ids(**{"filter[name:like]": "page 3%"}) == ([4], 1)  # names count from 0
    # Unlisted fields are ignored, an unknown operator means eq (ListingResponseBuilder).
    assert ids(**{"filter[tags]": "nothing"}) == ([1, 2, 3, 4, 5, 6], 6)
    assert ids(**{"filter[id:about]": 4}) == ([4], 1)
    assert ids(sort="-id", count=2) == ([6, 5], 6)
    assert ids(sort="+nonsense", count=2, offset=3) == ([4, 5], 6)
    assert ids(sort="-book_id", count=3)[0] == [2, 4, 6]
    answer = client.get("/api/chapters", {"count": 9999})
    assert answer == {"data": [], "total": 0}


# -- cost --------------------------------------------------------------------------------------


def test_listings_page_through_more_than_500_rows(
    server: FakeBookStack, client: BookStackClient
) -> None:
    first = owned_book(server, "one", pages=560)
    foreign_book(server, pages=30, chapters=2)  # between ours: listed, yet not inside ours
    last = owned_book(server, "two", pages=520)
    # Four books would cost four reads; the listings cost 3 + 1 here, so they are used.
    owned_book(server, "three", pages=3, chapters=0)
    owned_book(server, "four", pages=3, chapters=1)
    foreign_book(server, pages=5)  # after ours: not listed at all
    # Drift a user made in the UI: a foreign page in our chapter, a foreign chapter in our book.
    chapter = server.tagged("chapters", "mosaic-key", "one/c1")[0]
    server.create("pages", chapter_id=chapter["id"], name="Their notes", html="<p>n</p>")
    theirs = server.create("chapters", book_id=last["id"], name="Their chapter")
    server.create("pages", chapter_id=theirs["id"], name="Inside", html="<p>i</p>")
    server.reset_counts()
    state = read_state(client, "Demo")
    check_state(server, state, "Demo")
    assert state.foreign_in_chapter[chapter["id"]] and state.foreign_in_book[last["id"]]
    assert not state.foreign_in_book[first["id"]] - state.foreign_in_chapter[chapter["id"]]
    in_range = 560 + 30 + 520 + 2 + 6
    assert listing_reads(server, "pages") == math.ceil(in_range / 500) == 3
    assert listing_reads(server, "chapters") == 1
    assert book_reads(server) == 0
    assert server.reads == state_reads(server, "Demo")


def test_a_single_book_is_read_whole(server: FakeBookStack, client: BookStackClient) -> None:
    owned_book(server, "only", pages=12)
    server.reset_counts()
    state = read_state(client, "Demo")
    check_state(server, state, "Demo")
    assert book_reads(server) == 1
    assert listing_reads(server, "pages") == listing_reads(server, "chapters") == 0
    assert server.reads == state_reads(server, "Demo") == 1 + 1 + 1


@pytest.mark.parametrize(
    ("pages", "chapters", "listings"),
    [(1001, 0, 1), (0, 1501, 2)],
    ids=["many-foreign-pages", "many-foreign-chapters"],
)
def test_many_foreign_books_between_ours_fall_back_to_reading_each_book(
    server: FakeBookStack, client: BookStackClient, pages: int, chapters: int, listings: int
) -> None:
    owned_book(server, "one", pages=6)
    foreign_book(server, pages=pages, chapters=chapters)
    owned_book(server, "two", pages=4)
    server.reset_counts()
    state = read_state(client, "Demo")
    check_state(server, state, "Demo")
    # Two books cost two reads; the listings would have cost more, so they stop at once.
    assert book_reads(server) == 2
    assert listing_reads(server, "pages") + listing_reads(server, "chapters") == listings


@pytest.mark.parametrize(
    ("ignored", "trusted"),
    [("filter[id:gt]", False), ("sort", False), ("filter[book_id:gte]", True)],
)
def test_a_server_that_ignores_a_parameter_still_gives_the_right_state(
    server: FakeBookStack,
    client: BookStackClient,
    monkeypatch: pytest.MonkeyPatch,
    ignored: str,
    trusted: bool,
) -> None:
    foreign_book(server, pages=40)  # below our books: only listed when the filter is ignored
    owned_book(server, "one", pages=600)
    owned_book(server, "two", pages=10)
    listing = server._list

    def careless(table: str, query: dict[str, str]) -> dict[str, Any]:
        answer = listing(table, {k: v for k, v in query.items() if k != ignored})
        if ignored == "sort":  # rows in whatever order the database keeps them
            answer["data"] = answer["data"][::-1]
        return answer

    monkeypatch.setattr(server, "_list", careless)
    server.reset_counts()
    state = read_state(client, "Demo")
    check_state(server, state, "Demo")
    assert listing_reads(server, "pages") <= 2  # no runaway loop on a repeating page
    # Repeated or unsorted rows are not trusted: each book is read instead.
    assert book_reads(server) == (0 if trusted else 2)


# -- drift made in the BookStack UI is still seen ----------------------------------------------


def test_pages_moved_or_reordered_in_the_ui_are_put_back(
    server: FakeBookStack, tmp_path: Path
) -> None:
    spec = small_shelf()
    out = write_output(spec, tmp_path)
    assert run_publish(server, out)[0].ok
    before = snapshot(server, "Demo")
    pages = {
        next(t["value"] for t in p["tags"] if t["name"] == "mosaic-key"): p
        for p in server.tagged("pages", "mosaic-project", "Demo")
    }
    install = pages["getting-started/setup/install"]
    configure = pages["getting-started/setup/configure"]
    install["priority"], configure["priority"] = configure["priority"] + 1, install["priority"]
    glossary = pages["reference/glossary"]  # dragged into the other book's chapter
    glossary.update(book_id=install["book_id"], chapter_id=install["chapter_id"], priority=0)
    server.reset_counts()
    report, lines = run_publish(server, out)
    assert report.ok, report.result.errors
    assert any(line.split()[:2] == ["move", "page"] and "glossary" in line for line in lines)
    assert any(line.split()[:2] == ["reorder", "page"] for line in lines)
    # The state came from the listings; each book whose order is set is read once, for its
    # sort rule (a rule would override the order).
    assert book_reads(server) == 2
    assert snapshot(server, "Demo") == before
    server.reset_counts()
    assert run_publish(server, out)[0].ok and server.writes == 0


def test_foreign_content_inside_our_books_is_seen_and_kept(
    server: FakeBookStack, tmp_path: Path
) -> None:
    spec = small_shelf()
    out = write_output(spec, tmp_path)
    assert run_publish(server, out)[0].ok
    # A foreign book between our book ids, with content of its own.
    theirs = foreign_book(server, pages=3, chapters=1)
    spec.books.append(BookSpec("appendix", "Appendix", [PageSpec("appendix/notes", "Notes")]))
    assert run_publish(server, write_output(spec, out))[0].ok
    books = {
        next(t["value"] for t in b["tags"] if t["name"] == "mosaic-key"): b["id"]
        for b in server.tagged("books", "mosaic-project", "Demo")
    }
    assert books["getting-started"] < theirs["id"] < books["appendix"]
    setup = server.tagged("chapters", "mosaic-key", "getting-started/setup")[0]
    note = server.create("pages", chapter_id=setup["id"], name="Team notes", html="<p>n</p>")
    # The sources drop the chapter and the whole reference book; pruning is on.
    spec.books[0].contents.pop(1)
    spec.page("getting-started/overview").links = []
    spec.books = [b for b in spec.books if b.key != "reference"]
    write_output(spec, out)
    server.reset_counts()
    _, lines = run_publish(server, out, prune=True, dry_run=True)
    assert book_reads(server) == 0 and server.writes == 0
    keep = [line for line in lines if "holds content sphinx-mosaic did not create" in line]
    assert len(keep) == 1 and "getting-started/setup" in keep[0]
    assert any(line.split()[:2] == ["delete", "book"] and "reference" in line for line in lines)
    assert run_publish(server, out, prune=True)[0].ok
    assert setup["id"] in server.tables["chapters"] and note["id"] in server.tables["pages"]
    assert books["reference"] not in server.tables["books"]
    assert len([p for p in server.live("pages") if p["book_id"] == theirs["id"]]) == 3


def test_no_change_reads_cost_what_the_docstring_says(
    server: FakeBookStack, tmp_path: Path
) -> None:
    out = write_output(small_shelf(), tmp_path)
    assert run_publish(server, out)[0].ok
    server.reset_counts()
    report, _ = run_publish(server, out)
    assert report.ok and server.writes == 0
    assert server.reads == state_reads(server, "Demo") == 1 + 1 + 2 + 1
