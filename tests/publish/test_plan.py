"""The planner on its own: a bundle and a hand-made server state, no HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.fake_bookstack.fixtures import small_shelf, write_output

from sphinx_mosaic.publish.bundle import Bundle, load_bundle
from sphinx_mosaic.publish.plan import Kind, PlanOptions, make_plan
from sphinx_mosaic.publish.state import RemoteEntity, ServerState, stamp


def tags(key: str, hash_: str) -> list[dict[str, str]]:
    return [
        {"name": "mosaic-project", "value": "Demo"},
        {"name": "mosaic-key", "value": key},
        {"name": "mosaic-hash", "value": stamp(hash_)},
    ]


def mirrored(bundle: Bundle, offset: int = 10) -> ServerState:
    """A server holding exactly *bundle*, with priorities shifted as an import leaves them."""
    state = ServerState(base_url="https://wiki.example", version=(25, 7))
    ids = iter(range(1, 1000))
    state.shelf = RemoteEntity(
        "bookshelf", next(ids), "Demo Docs", "demo-docs", tags("@shelf", bundle.shelf.hash)
    )
    for book in bundle.books:
        remote_book = RemoteEntity(
            "book", next(ids), book.name, book.key, tags(book.key, book.hash)
        )
        state.books[book.key] = remote_book
        state.shelf_book_ids.append(remote_book.id)
        for chapter in book.chapters:
            state.chapters[chapter.key] = RemoteEntity(
                "chapter",
                next(ids),
                chapter.name,
                "c",
                tags(chapter.key, chapter.hash),
                book_id=remote_book.id,
                priority=chapter.priority + offset,
            )
        for page in book.pages:
            chapter_id = state.chapters[page.chapter_key].id if page.chapter_key else None
            state.pages[page.key] = RemoteEntity(
                "page",
                next(ids),
                page.name,
                "p",
                tags(page.key, page.hash),
                book_id=remote_book.id,
                chapter_id=chapter_id,
                priority=page.priority + offset,
            )
    return state


@pytest.fixture
def bundle(tmp_path: Path) -> Bundle:
    return load_bundle(write_output(small_shelf(), tmp_path))


def test_same_relative_order_needs_no_reorder(bundle: Bundle) -> None:
    plan = make_plan(bundle, mirrored(bundle), PlanOptions())
    assert not plan.writes
    assert plan.summary() == "9 unchanged"


def test_swapped_pages_reorder_their_container_only(bundle: Bundle) -> None:
    state = mirrored(bundle)
    install = state.pages["getting-started/setup/install"]
    configure = state.pages["getting-started/setup/configure"]
    install.priority, configure.priority = configure.priority, install.priority
    plan = make_plan(bundle, state, PlanOptions())
    changed = {(a.kind, a.key) for a in plan.actions() if a.kind is not Kind.UNCHANGED}
    assert changed == {
        (Kind.REORDER, "getting-started/setup/install"),
        (Kind.REORDER, "getting-started/setup/configure"),
    }


def test_content_change_and_links_to_new_pages(bundle: Bundle) -> None:
    state = mirrored(bundle)
    state.pages["reference/glossary"].tags = tags("reference/glossary", "old")
    del state.pages["getting-started/setup/configure"]  # deleted by hand on the wiki
    plan = make_plan(bundle, state, PlanOptions())
    kinds = {a.key: a.kind for a in plan.pages}
    assert kinds["reference/glossary"] is Kind.UPDATE
    assert kinds["getting-started/setup/configure"] is Kind.CREATE
    # reference/api links to configure, which gets a new id: its link must be rewritten.
    assert kinds["reference/api"] is Kind.RELINK


def test_removals_respect_pruning_duplicates_and_foreign_content(bundle: Bundle) -> None:
    state = mirrored(bundle)
    state.pages["old/page"] = RemoteEntity(
        "page", 900, "Old", "old", tags("old/page", "x"), book_id=state.books["reference"].id
    )
    state.chapters["old/chapter"] = RemoteEntity(
        "chapter", 901, "Old", "old", tags("old/chapter", "x"), book_id=1
    )
    state.foreign_in_chapter[901] = {("page", 5000)}
    twin = RemoteEntity("page", 902, "API", "api", tags("reference/api", "x"))
    state.duplicates.append(twin)
    kept = make_plan(bundle, state, PlanOptions())
    pruned = make_plan(bundle, state, PlanOptions(prune=True))
    assert {(a.kind, a.key) for a in kept.removals} == {
        (Kind.DELETE, "reference/api"),  # the duplicate goes anyway
        (Kind.KEEP, "old/page"),
        (Kind.KEEP, "old/chapter"),
    }
    assert {(a.kind, a.key) for a in pruned.removals} == {
        (Kind.DELETE, "reference/api"),
        (Kind.DELETE, "old/page"),
        (Kind.KEEP, "old/chapter"),  # holds a page sphinx-mosaic did not create
    }
    assert next(a for a in pruned.removals if a.key == "reference/api").remote_id == 902


def test_import_only_for_books_with_nothing_on_the_server(bundle: Bundle) -> None:
    empty = ServerState(base_url="https://wiki.example", version=(25, 7))
    assert {a.kind for a in make_plan(bundle, empty, PlanOptions()).books} == {Kind.IMPORT}
    old = ServerState(base_url="https://wiki.example", version=(25, 2))
    assert {a.kind for a in make_plan(bundle, old, PlanOptions()).books} == {Kind.CREATE}
    no_import = make_plan(bundle, empty, PlanOptions(use_import=False))
    assert {a.kind for a in no_import.books} == {Kind.CREATE}


def test_a_new_publish_format_rewrites_everything_once(bundle: Bundle) -> None:
    state = mirrored(bundle)
    for page in state.pages.values():
        value = next(t for t in page.tags if t["name"] == "mosaic-hash")
        value["value"] = "0-" + value["value"].split("-", 1)[1]
    plan = make_plan(bundle, state, PlanOptions())
    assert {a.kind for a in plan.pages} == {Kind.UPDATE}
    assert {a.kind for a in plan.books + plan.chapters} == {Kind.UNCHANGED}
