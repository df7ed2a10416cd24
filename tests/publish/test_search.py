"""Tag search as a real BookStack runs it (loose), and the exact re-check on every use of it."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from helpers.fake_bookstack.fixtures import (
    FakeClock,
    run_publish,
    settings_for,
    small_shelf,
    write_output,
)
from helpers.fake_bookstack.server import FakeBookStack

from sphinx_mosaic.publish.bundle import load_bundle
from sphinx_mosaic.publish.client import BookStackClient
from sphinx_mosaic.publish.imports import run_import
from sphinx_mosaic.publish.state import find_owned, search_owned


def _search(server: FakeBookStack, query: str, **params: object) -> requests.Response:
    return requests.get(
        f"{server.url}/api/search",
        params={"query": query, **params},
        headers={"Authorization": f"Token {server.token_id}:{server.token_secret}"},
        timeout=5,
    )


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("[Mosaic-Project=demo]", {"Demo", "demo ", "DEMO"}),  # case and a trailing space
        ("[mosaic-project=Dem]", set()),  # no prefix match
        ("[tp=2024]", {"2024-docs", "2024", "2024.0"}),  # numbers compare as numbers
        ("[tz=0]", {"anything"}),  # the value 0 is ignored
        ('[mosaic-project="My Docs"]', set()),  # a quoted value with a space: nothing
        ("[mosaic-project=My Docs]", {"My Docs"}),
    ],
)
def test_tag_search_matches_loosely(query: str, found: set[str]) -> None:
    with FakeBookStack() as server:
        for value in ("Demo", "demo ", "DEMO", "Demonstration", "My Docs"):
            server.create("books", name=value, tags=[{"name": "mosaic-project", "value": value}])
        for value in ("2024-docs", "2024", "2024.0", "2025"):
            server.create("books", name=value, tags=[{"name": "tp", "value": value}])
        server.create("books", name="anything", tags=[{"name": "tz", "value": "anything"}])
        names = {item["name"] for item in _search(server, query).json()["data"]}
    assert names == {name.strip() for name in found}


def test_search_pages_each_entity_type_and_caps_count() -> None:
    with FakeBookStack() as server:
        tag = [{"name": "t", "value": "x"}]
        book = server.create("books", name="B", tags=tag)
        for n in range(3):
            server.create("chapters", book_id=book["id"], name=f"C{n}", tags=tag)
            server.create("pages", book_id=book["id"], name=f"P{n}", html="<p>x</p>", tags=tag)
        first = _search(server, "[t=x]", count=2, page=1).json()
        second = _search(server, "[t=x]", count=2, page=2).json()
        assert first["total"] == second["total"] == 7
        types = [item["type"] for item in first["data"]]
        assert sorted(types) == ["book", "chapter", "chapter", "page", "page"]
        assert len(second["data"]) == 2  # the last chapter and the last page
        assert _search(server, "[t=x]", count=101).status_code == 422
        client = BookStackClient(settings_for(server))
        try:
            assert len(search_owned(client, "[t=x]")) == 7
        finally:
            client.close()


def _foreign_twin(server: FakeBookStack, table: str, key: str, **fields: object) -> dict:
    """Content of project 'demo' (another team) with one of our keys: the search finds it."""
    tags = [{"name": "mosaic-project", "value": "demo"}, {"name": "mosaic-key", "value": key}]
    return server.create(table, tags=tags, **fields)


def test_find_owned_rechecks_the_exact_tags() -> None:
    with FakeBookStack() as server:
        twin = _foreign_twin(server, "books", "reference", name="Theirs")
        client = BookStackClient(settings_for(server))
        try:
            assert find_owned(client, "Demo", "reference", "book") is None
            ours = server.create(
                "books",
                name="Ours",
                tags=[
                    {"name": "mosaic-project", "value": "Demo"},
                    {"name": "mosaic-key", "value": "reference"},
                ],
            )
            found = find_owned(client, "Demo", "reference", "book")
            assert found is not None and found["id"] == ours["id"] != twin["id"]
        finally:
            client.close()


def test_a_lost_create_answer_never_adopts_another_projects_page(tmp_path: Path) -> None:
    out = write_output(small_shelf(), tmp_path)
    spec = small_shelf()
    with FakeBookStack() as server:
        other_book = server.create("books", name="Their book")
        twins = [
            _foreign_twin(
                server,
                "pages",
                page.key,
                book_id=other_book["id"],
                name=f"Their {page.name}",
                html="<p>theirs</p>",
            )
            for book in spec.books
            for page in book.all_pages()
        ]
        # The server creates the first page, but its answer never arrives: the publisher
        # looks for it in its parent and adopts it (a tag search would find the twins too).
        server.drop(count=1, method="POST", path=r"^/api/pages$", after=True)
        report, _ = run_publish(server, out, use_import=False)
        assert report.ok, report.result.errors
        assert len(server.tagged("pages", "mosaic-project", "Demo")) == 5
        assert all(server.tables["pages"][t["id"]]["html"] == "<p>theirs</p>" for t in twins)


def test_a_lost_import_answer_finds_our_book_not_a_look_alike(tmp_path: Path) -> None:
    out = write_output(small_shelf(), tmp_path)
    bundle = load_bundle(out)
    book = next(b for b in bundle.books if b.key == "reference")
    with FakeBookStack() as server:
        twin = _foreign_twin(server, "books", "reference", name="Reference")
        server.drop(count=1, method="POST", path=r"^/api/imports/\d+$", after=True)
        client = BookStackClient(settings_for(server), clock=FakeClock())
        try:
            book_id = int(run_import(client, book, "Demo")["id"])
        finally:
            client.close()
        assert book_id != twin["id"]
        assert {"name": "mosaic-project", "value": "Demo"} in server.tables["books"][book_id][
            "tags"
        ]


def test_projects_with_numeric_names_stay_apart(tmp_path: Path) -> None:
    with FakeBookStack() as server:
        for index, project in enumerate(("2024", "2024-docs")):
            spec = small_shelf(project)
            out = write_output(spec, tmp_path / str(index))
            report, _ = run_publish(server, out)
            assert report.ok, report.result.errors
        assert len(server.live("pages")) == 10
        server.reset_counts()
        again, _ = run_publish(server, tmp_path / "0")
        assert again.ok and server.writes == 0
