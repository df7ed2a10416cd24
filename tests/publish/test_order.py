"""Order on the server: the importer's own numbering, and books that BookStack sorts itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.fake_bookstack.fixtures import (
    BookSpec,
    ChapterSpec,
    PageSpec,
    run_publish,
    settings_for,
    small_shelf,
    write_output,
)
from helpers.fake_bookstack.server import FakeBookStack

from sphinx_mosaic.publish.bundle import load_bundle
from sphinx_mosaic.publish.client import BookStackClient
from sphinx_mosaic.publish.imports import run_import


def _mixed_book() -> BookSpec:
    """Book-level pages between chapters, as layouts have them."""
    one, two = PageSpec("mixed/a/one", "One"), PageSpec("mixed/a/two", "Two")
    return BookSpec(
        "mixed",
        "Mixed",
        [
            PageSpec("mixed/intro", "Intro"),
            ChapterSpec("mixed/a", "A", [one, two]),
            PageSpec("mixed/middle", "Middle"),
            ChapterSpec("mixed/b", "B", [PageSpec("mixed/b/three", "Three")]),
            ChapterSpec("mixed/c", "C", [PageSpec("mixed/c/four", "Four")]),
        ],
    )  # fmt: skip


def _order(server: FakeBookStack, book_name: str) -> list:
    book = next(b for b in server.live("books") if b["name"] == book_name)
    return [
        (child["name"], [p["name"] for p in child.get("pages", [])])
        for child in server._contents(book["id"])
    ]


def test_the_importer_numbers_children_its_own_way(tmp_path: Path) -> None:
    spec = small_shelf()
    spec.books = [_mixed_book()]
    out = write_output(spec, tmp_path)
    with FakeBookStack() as server:
        # The ZIP through the importer alone, with nothing set afterwards.
        client = BookStackClient(settings_for(server))
        try:
            run_import(client, load_bundle(out).books[0], "Demo")
        finally:
            client.close()
        chapters = {c["name"]: c["priority"] for c in server.live("chapters")}
        pages = {p["name"]: p["priority"] for p in server.live("pages")}
    assert chapters == {"A": 2, "B": 3, "C": 4}
    assert pages == {"Intro": 2, "Middle": 3, "One": 1, "Two": 2, "Three": 1, "Four": 1}


@pytest.mark.parametrize("use_import", [True, False], ids=["imports-api", "page-by-page"])
def test_the_layout_order_holds_and_a_rerun_writes_nothing(
    tmp_path: Path, use_import: bool
) -> None:
    spec = small_shelf()
    spec.books.append(_mixed_book())
    out = write_output(spec, tmp_path)
    with FakeBookStack() as server:
        report, _ = run_publish(server, out, use_import=use_import)
        assert report.ok, report.result.errors
        assert _order(server, "Mixed") == [
            ("Intro", []),
            ("A", ["One", "Two"]),
            ("Middle", []),
            ("B", ["Three"]),
            ("C", ["Four"]),
        ]
        assert _order(server, "Getting Started") == [
            ("Overview", []),
            ("Setup", ["Install", "Configure"]),
        ]
        server.reset_counts()
        again, _ = run_publish(server, out, use_import=use_import)
        assert again.ok and server.writes == 0


@pytest.mark.parametrize("use_import", [True, False], ids=["imports-api", "page-by-page"])
def test_an_instance_default_sort_rule_is_warned_once_per_book(
    tmp_path: Path, use_import: bool
) -> None:
    out = write_output(small_shelf(), tmp_path)
    with FakeBookStack(default_sort_rule=1) as server:
        report, lines = run_publish(server, out, use_import=use_import)
        assert report.ok, report.result.errors
        warnings = [line for line in lines if line.startswith("warning:")]
        assert len(warnings) == 2
        assert any("book 'Getting Started'" in w for w in warnings)
        assert any("book 'Reference'" in w for w in warnings)
        assert all(
            "sort rule (#1" in w and "set the book's sort rule to none" in w for w in warnings
        )
        # The rule sorts by name, so BookStack keeps 'Configure' before 'Install'; fighting
        # it would rewrite the priorities on every run.
        server.reset_counts()
        again, lines = run_publish(server, out, use_import=use_import)
        assert again.ok and server.writes == 0


def test_a_sort_rule_on_one_book_is_warned_and_its_order_left_to_it(tmp_path: Path) -> None:
    spec = small_shelf()
    out = write_output(spec, tmp_path)
    with FakeBookStack() as server:
        assert run_publish(server, out)[0].ok
        reference = next(b for b in server.live("books") if b["name"] == "Reference")
        server.set_sort_rule(reference["id"], 4)
        spec.books[1].contents.reverse()  # Glossary before API: not what a name sort gives
        spec.books[0].contents.reverse()  # Setup before Overview, in a book without a rule
        write_output(spec, out)
        server.reset_counts()
        report, lines = run_publish(server, out, dry_run=True)
        [warning] = [line for line in lines if line.startswith("warning:")]
        assert "book 'Reference'" in warning and "sort rule (#4" in warning
        report, lines = run_publish(server, out)
        assert report.ok, report.result.errors
        assert _order(server, "Getting Started")[0][0] == "Setup"
        assert [name for name, _ in _order(server, "Reference")] == ["API", "Glossary"]
        server.reset_counts()
        assert run_publish(server, out)[0].ok and server.writes == 0
