"""The permission race of a real BookStack served by two PHP workers, and how we publish through it.

Every page or chapter create or update rebuilds the permission rows of its whole
book in two transactions: two writes in one book at the same time fail with a 404,
or with a 500 whose entity was saved but is invisible until a later write in that
book.  The fake server does the same in race mode; the publisher must never overlap
two writes in one book, and must settle an ambiguous create from the parent.
"""

from __future__ import annotations

import collections
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from helpers.fake_bookstack.fixtures import (
    big_shelf,
    run_publish,
    small_shelf,
    snapshot,
    write_output,
)
from helpers.fake_bookstack.race import build_docs, manifest_keys
from helpers.fake_bookstack.server import FakeBookStack

from sphinx_mosaic.publish.plan import Kind


def api(server: FakeBookStack, method: str, path: str, body: Any = None) -> requests.Response:
    return requests.request(
        method,
        server.url + path,
        json=body,
        headers={"Authorization": f"Token {server.token_id}:{server.token_secret}"},
        timeout=5,
    )


def owned_keys(server: FakeBookStack, table: str, project: str) -> collections.Counter[str]:
    return collections.Counter(
        next(t["value"] for t in e["tags"] if t["name"] == "mosaic-key")
        for e in server.tagged(table, "mosaic-project", project)
    )


# -- the fake server's race ---------------------------------------------------------------


@pytest.fixture
def racing() -> Iterator[FakeBookStack]:
    with FakeBookStack(workers=2, race=True, race_window=0.3) as server:
        yield server


def test_two_writes_in_one_book_at_once_make_one_fail(racing: FakeBookStack) -> None:
    book = racing.create("books", name="B")
    chapter = racing.create("chapters", name="C", book_id=book["id"])
    answers: list[requests.Response] = []

    def create(name: str) -> None:
        answers.append(
            api(racing, "POST", "/api/pages", {"name": name, "html": "<p/>", "chapter_id": 1})
        )

    assert chapter["id"] == 1
    threads = [threading.Thread(target=create, args=(n,)) for n in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(a.status_code for a in answers)
    assert statuses in ([200, 404], [200, 500])
    failed = next(a for a in answers if a.status_code != 200).json()["error"]["message"]
    if statuses[1] == 404:
        assert failed == "No query results for model [BookStack\\Entities\\Models\\Chapter] 1"
    else:
        assert "Integrity constraint violation: 1062 Duplicate entry '1-book-1'" in failed
    assert len(racing.live("pages")) == (2 if statuses[1] == 500 else 1)


def test_writes_in_two_books_at_once_both_succeed(racing: FakeBookStack) -> None:
    books = [racing.create("books", name=name)["id"] for name in ("A", "B")]
    answers: list[int] = []

    def create(book_id: int) -> None:
        body = {"name": "P", "html": "<p/>", "book_id": book_id}
        answers.append(api(racing, "POST", "/api/pages", body).status_code)

    threads = [threading.Thread(target=create, args=(b,)) for b in books]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200, 200] and racing.races == {}


@pytest.mark.parametrize("workers", [1, 2])
def test_the_server_serves_as_many_requests_at_once_as_it_has_workers(workers: int) -> None:
    with FakeBookStack(workers=workers, race=True, race_window=0.5) as server:
        books = [server.create("books", name=name)["id"] for name in ("A", "B")]

        def create(book_id: int) -> None:
            body = {"name": "P", "html": "<p/>", "book_id": book_id}
            assert api(server, "POST", "/api/pages", body).status_code == 200

        threads = [threading.Thread(target=create, args=(b,)) for b in books]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        # Each write holds its worker for its permission rebuild (0.5 s).
        assert (elapsed >= 0.9) is (workers == 1), elapsed


def test_a_500_of_the_race_saves_an_invisible_page_until_the_next_write_in_its_book() -> None:
    with FakeBookStack() as server:
        book = server.create("books", name="B")
        other = server.create("books", name="Other")
        server.race_next("500", method="POST", path="/api/pages$")
        answer = api(server, "POST", "/api/pages", {"name": "P", "html": "<p/>", "book_id": 1})
        assert answer.status_code == 500
        assert "Integrity constraint violation" in answer.json()["error"]["message"]
        [page] = server.live("pages")  # saved...
        # ... but no read, listing or search shows it.
        assert api(server, "GET", f"/api/pages/{page['id']}").status_code == 404
        assert api(server, "GET", "/api/pages").json()["data"] == []
        assert api(server, "GET", f"/api/books/{book['id']}").json()["contents"] == []
        assert api(server, "GET", "/api/search?query={type:page}").json()["data"] == []
        # A write in another book does not rebuild this book's rows; one in this book does.
        api(server, "PUT", f"/api/books/{other['id']}", {"name": "Other"})
        assert server.hidden == {("pages", page["id"])}
        api(server, "PUT", f"/api/books/{book['id']}", {"name": "B"})
        assert server.hidden == set()
        assert api(server, "GET", f"/api/pages/{page['id']}").status_code == 200


def test_dropping_every_nth_write_answer_after_doing_it() -> None:
    with FakeBookStack(drop_every=3) as server:
        book = server.create("books", name="B")
        statuses = []
        for n in range(6):
            try:
                body = {"name": f"P{n}", "html": "<p/>", "book_id": book["id"]}
                statuses.append(api(server, "POST", "/api/pages", body).status_code)
            except requests.ConnectionError:
                statuses.append(0)
        assert statuses == [200, 200, 0, 200, 200, 0]
        assert len(server.live("pages")) == 6


def test_v25_11_answers_null_relations_and_shares_one_id_sequence() -> None:
    with FakeBookStack(version="v25.11.0") as server:
        book = api(server, "POST", "/api/books", {"name": "B"}).json()
        chapter = api(server, "POST", "/api/chapters", {"name": "C", "book_id": book["id"]})
        page = api(server, "POST", "/api/pages", {"name": "P", "html": "<p/>", "book_id": 1})
        assert [book["id"], chapter.json()["id"], page.json()["id"]] == [1, 2, 3]
        assert page.json()["chapter_id"] is None
        [row] = api(server, "GET", "/api/pages").json()["data"]
        assert row["chapter_id"] is None
        [child] = [
            c for c in api(server, "GET", "/api/books/1").json()["contents"] if c["type"] == "page"
        ]
        assert child["chapter_id"] is None


# -- the publisher in race mode -------------------------------------------------------------


@pytest.fixture(scope="module")
def docs_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our own docs, built with ``-b bookstack`` (as the real-server measurement used)."""
    return build_docs(tmp_path_factory.mktemp("docs") / "bookstack")


@pytest.mark.parametrize(
    ("version", "drop_every"),
    [("v24.10", None), ("v24.10", 7), ("v25.07.2", None), ("v25.11.0", 7)],
    ids=["v24.10", "v24.10-drop-every-7th", "v25.07-imports", "v25.11-drop-every-7th"],
)
def test_our_docs_publish_cleanly_to_a_two_worker_server(
    docs_output: Path, version: str, drop_every: int | None
) -> None:
    wanted = manifest_keys(docs_output)
    project = json.loads((docs_output / "manifest.json").read_text())["project"]
    with FakeBookStack(version=version, workers=2, race=True, drop_every=drop_every) as server:
        report, lines = run_publish(server, docs_output)  # default options: concurrency 4
        assert report.result.errors == [], lines
        assert server.races == {} and server.hidden == set()
        for table, keys in wanted.items():
            assert owned_keys(server, table, project) == collections.Counter(keys), table
        server.reset_counts()
        again, _ = run_publish(server, docs_output)
        assert again.ok and server.writes == 0


def test_writes_in_one_book_never_overlap_but_books_go_in_parallel(tmp_path: Path) -> None:
    out = write_output(big_shelf(pages=80, books=4, chapters_per_book=2), tmp_path)
    with FakeBookStack(version="v24.10", race=True, race_window=0.01) as server:
        report, _ = run_publish(server, out, settings={"concurrency": 4})
        assert report.ok, report.result.errors
        assert server.races == {}
        assert server.peak_rebuilds >= 2  # several books were written at the same time
        assert sum(owned_keys(server, "pages", "Big").values()) == 80


def test_an_ambiguous_create_is_found_in_its_parent_even_when_hidden(tmp_path: Path) -> None:
    out = write_output(small_shelf(), tmp_path)
    with FakeBookStack(version="v24.10") as server:
        # Another client's write overlapped our create: saved, but invisible.
        server.race_next("500", method="POST", path="/api/chapters$")
        report, lines = run_publish(server, out)
        assert report.ok, report.result.errors
        assert server.log.count(("POST", "/api/chapters")) == 1  # never sent twice
        assert owned_keys(server, "chapters", "Demo") == {"getting-started/setup": 1}
        assert server.hidden == set()
        assert any("found it in book #" in line for line in lines)
        assert snapshot(server, "Demo")["getting-started"][2][1][2] == [
            "getting-started/setup/install",
            "getting-started/setup/configure",
        ]


def test_a_create_left_invisible_is_reported_then_adopted(tmp_path: Path) -> None:
    out = write_output(small_shelf(), tmp_path)
    with FakeBookStack(version="v24.10") as server:
        server.race_next("500", method="POST", path="/api/pages$")
        # Rewriting the book would show it again: here that fails too (another client).
        server.race_next("404", count=10, method="PUT", path=r"/api/books/\d+$")
        report, _ = run_publish(server, out, settings={"concurrency": 1})
        [error] = report.result.errors
        assert "HTTP 500" in error and "php artisan bookstack:regenerate-permissions" in error
        assert server.log.count(("POST", "/api/pages")) == 5  # not created twice
        server.faults.clear()
        server.hidden.clear()  # an admin regenerated the permissions
        again, _ = run_publish(server, out)
        assert again.ok, again.result.errors
        assert not [a for a in again.plan.pages if a.kind is Kind.CREATE]  # adopted
        assert set(owned_keys(server, "pages", "Demo").values()) == {1}
        with FakeBookStack(version="v24.10") as clean:
            run_publish(clean, out)
            assert snapshot(server, "Demo") == snapshot(clean, "Demo")


def test_a_404_on_a_write_is_tried_again(tmp_path: Path) -> None:
    spec = small_shelf()
    out = write_output(spec, tmp_path)
    with FakeBookStack(version="v24.10") as server:
        run_publish(server, out)
        spec.page("reference/api").text = "Changed."
        write_output(spec, tmp_path)
        server.race_next("404", count=2, method="PUT", path=r"/api/pages/\d+$")
        server.reset_counts()
        report, _ = run_publish(server, out)
        assert report.ok, report.result.errors
        assert server.counts["PUT"] == 3 + 1  # two 404s, the write, one book rewrite
        [page] = [p for p in server.live("pages") if p["name"] == "API"]
        assert "Changed." in page["html"]


def test_an_update_saved_but_hidden_by_the_race_is_shown_again(tmp_path: Path) -> None:
    spec = small_shelf()
    out = write_output(spec, tmp_path)
    with FakeBookStack(version="v24.10") as server:
        run_publish(server, out)
        spec.page("reference/api").text = "Changed."
        write_output(spec, tmp_path)
        # Saved, hidden, 500; the client sends the PUT again, which finds nothing (404).
        server.race_next("500", method="PUT", path=r"/api/pages/\d+$")
        report, _ = run_publish(server, out)
        assert report.ok, report.result.errors
        assert server.races["500"] == 1 and server.hidden == set()
        [page] = [p for p in server.live("pages") if p["name"] == "API"]
        assert "Changed." in page["html"]
        server.reset_counts()
        again, _ = run_publish(server, out)
        assert again.ok and again.wiki_edits == [] and server.writes == 0


def test_pages_moving_between_two_books_both_ways_at_once(tmp_path: Path) -> None:
    spec = small_shelf()
    out = write_output(spec, tmp_path)
    with FakeBookStack(version="v24.10", workers=2, race=True, race_window=0.05) as server:
        run_publish(server, out)
        overview = spec.page("getting-started/overview")
        glossary = spec.page("reference/glossary")
        spec.books[0].contents.remove(overview)
        spec.books[1].contents.remove(glossary)
        spec.books[0].contents.append(glossary)
        spec.books[1].contents.append(overview)
        write_output(spec, tmp_path)
        report, lines = run_publish(server, out, settings={"concurrency": 4})
        assert report.ok, report.result.errors
        moves = [line for line in lines if line.startswith("  ") and "moved" in line]
        assert len(moves) == 2 and server.races == {}
        books = {b["id"]: b["name"] for b in server.live("books")}
        placed = {p["name"]: books[p["book_id"]] for p in server.live("pages")}
        assert placed["Overview"] == "Reference" and placed["Glossary"] == "Getting Started"


def test_a_404_on_a_create_is_tried_again_and_the_book_rewritten(tmp_path: Path) -> None:
    out = write_output(small_shelf(), tmp_path)
    with FakeBookStack(version="v24.10") as server:
        # Another client's write made the parent unreadable for a moment: nothing saved.
        server.race_next("404", count=2, method="POST", path="/api/pages$")
        report, _ = run_publish(server, out, settings={"concurrency": 1})
        assert report.ok, report.result.errors
        assert server.log.count(("POST", "/api/pages")) == 5 + 2
        assert server.counts["PUT"] == 2 + 1  # the two placeholders filled, one book rewrite
        assert set(owned_keys(server, "pages", "Demo").values()) == {1}
