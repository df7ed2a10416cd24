"""Publishing scenarios against the fake BookStack: what changes on the server, and how much."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.fake_bookstack.fixtures import (
    PNG,
    BookSpec,
    ChapterSpec,
    PageSpec,
    ShelfSpec,
    run_publish,
    small_shelf,
    snapshot,
    state_reads,
    write_output,
)
from helpers.fake_bookstack.server import FakeBookStack

from sphinx_mosaic.publish.plan import Kind


@pytest.fixture
def server() -> Iterator[FakeBookStack]:
    with FakeBookStack() as fake:
        yield fake


@pytest.fixture
def spec() -> ShelfSpec:
    return small_shelf()


def owned(server: FakeBookStack, table: str) -> dict[str, dict]:
    """Owned entities by key; fails on a duplicate key."""
    found: dict[str, dict] = {}
    for entity in server.tagged(table, "mosaic-project", "Demo"):
        key = next(t["value"] for t in entity["tags"] if t["name"] == "mosaic-key")
        assert key not in found, f"duplicate {table} {key}"
        found[key] = entity
    return found


def read_budget(server: FakeBookStack, books: int) -> int:
    """What reading the state costs (``state_reads``); *books* on the shelf."""
    assert len(server.tagged("books", "mosaic-project", "Demo")) == books
    return state_reads(server, "Demo")


def publish_again(server: FakeBookStack, spec: ShelfSpec, out: Path, **options: object):
    write_output(spec, out)
    server.reset_counts()
    return run_publish(server, out, **options)


def test_first_publish_uses_the_import_api(
    server: FakeBookStack, spec: ShelfSpec, tmp_path: Path
) -> None:
    report, lines = run_publish(server, write_output(spec, tmp_path))
    assert report.ok, report.result.errors
    # Two books: one upload + one run each, no page-by-page POST /api/pages.
    assert server.log.count(("POST", "/api/imports")) == 2
    assert ("POST", "/api/pages") not in server.log
    assert "  import    book    getting-started 'Getting Started'" in lines
    pages, chapters, _books = (
        owned(server, "pages"),
        owned(server, "chapters"),
        owned(server, "books"),
    )
    assert sorted(pages) == sorted(p.key for b in spec.books for p in b.all_pages())
    assert list(chapters) == ["getting-started/setup"]
    shelf = server.tagged("shelves", "mosaic-project", "Demo")
    assert [b["name"] for b in (server.tables["books"][i] for i in shelf[0]["books"])] == [
        "Getting Started",
        "Reference",
    ]
    # The link across books was rewritten from the predicted URL to the real page.
    target = pages["getting-started/setup/configure"]["id"]
    assert f'href="{server.url}/link/{target}#bkmrk-intro"' in pages["reference/api"]["html"]
    # Images and attachments came with the import and are named by content.
    image = next(i for i in server.live("image-gallery"))
    assert image["name"].endswith("-diagram.png")
    assert image["url"] in pages["getting-started/setup/install"]["html"]
    # The importer numbers the chapter and the page of 'Getting Started' both 2: the tie is
    # settled in the same run (1 reorder), so the next run finds the book in order.
    assert lines[-1].startswith("publish: 2 import, 1 create, 1 reorder, 2 relink")


def test_first_publish_page_by_page(server: FakeBookStack, spec: ShelfSpec, tmp_path: Path) -> None:
    report, _ = run_publish(server, write_output(spec, tmp_path), use_import=False)
    assert report.ok, report.result.errors
    assert not any(path.startswith("/api/imports") for _, path in server.log)
    pages = owned(server, "pages")
    setup = owned(server, "chapters")["getting-started/setup"]
    install, configure = (
        pages["getting-started/setup/install"],
        pages["getting-started/setup/configure"],
    )
    assert install["chapter_id"] == configure["chapter_id"] == setup["id"]
    assert install["priority"] < configure["priority"]
    # Same-book links point at the permalink of the real page, with the anchor.
    assert (
        f'href="{server.url}/link/{install["id"]}#bkmrk-intro"'
        in pages["getting-started/overview"]["html"]
    )
    image = next(i for i in server.live("image-gallery"))
    assert image["uploaded_to"] == install["id"] and image["url"] in install["html"]
    attachment = next(a for a in server.live("attachments"))
    assert attachment["uploaded_to"] == configure["id"]
    assert f"{server.url}/attachments/{attachment['id']}" in configure["html"]
    assert "[[bsexport" not in "".join(p["html"] for p in pages.values())
    # One create per entity plus the placeholder PUTs of the two pages with files.
    assert server.counts["POST"] == 1 + 2 + 1 + 5 + 2  # shelf, books, chapter, pages, files
    assert server.counts["PUT"] == 2


@pytest.mark.parametrize("use_import", [True, False])
def test_second_run_without_changes_writes_nothing(
    server: FakeBookStack, spec: ShelfSpec, tmp_path: Path, use_import: bool
) -> None:
    run_publish(server, write_output(spec, tmp_path), use_import=use_import)
    before = snapshot(server, "Demo")
    report, lines = publish_again(server, spec, tmp_path, use_import=use_import)
    assert report.ok
    assert server.writes == 0
    assert server.reads <= read_budget(server, books=2)
    assert lines[-2] == "plan: 9 unchanged"
    assert snapshot(server, "Demo") == before


def test_one_changed_page_costs_one_write(
    server: FakeBookStack, spec: ShelfSpec, tmp_path: Path
) -> None:
    run_publish(server, write_output(spec, tmp_path))
    revisions = owned(server, "pages")["reference/glossary"]["revision_count"]
    spec.page("reference/glossary").text = "A changed paragraph."
    report, _ = publish_again(server, spec, tmp_path)
    assert report.ok
    glossary = owned(server, "pages")["reference/glossary"]
    assert "A changed paragraph." in glossary["html"]
    assert glossary["revision_count"] == revisions + 1
    assert server.counts["PUT"] == 1 and server.writes == 1
    # The page is read once before it is rewritten: was it edited in the wiki meanwhile?
    assert server.reads <= read_budget(server, books=2) + 1


def test_changed_page_with_an_image_reuses_the_upload(
    server: FakeBookStack, spec: ShelfSpec, tmp_path: Path
) -> None:
    run_publish(server, write_output(spec, tmp_path), use_import=False)
    spec.page("getting-started/setup/install").text = "New text, same picture."
    report, _ = publish_again(server, spec, tmp_path, use_import=False)
    assert report.ok
    assert len(server.live("image-gallery")) == 1
    # Reads: the page (was it edited in the wiki?) and its images.
    assert server.writes == 1 and server.reads <= read_budget(server, books=2) + 2
    # A new picture replaces the old one, which is deleted once the page no longer shows it.
    spec.page("getting-started/setup/install").images = [("other.png", PNG + b"2")]
    report, _ = publish_again(server, spec, tmp_path, use_import=False)
    assert [i["name"][13:] for i in server.live("image-gallery")] == ["other.png"]
    install = owned(server, "pages")["getting-started/setup/install"]
    assert server.live("image-gallery")[0]["url"] in install["html"]


def test_renamed_page_updates_the_same_page(
    server: FakeBookStack, spec: ShelfSpec, tmp_path: Path
) -> None:
    run_publish(server, write_output(spec, tmp_path))
    before = owned(server, "pages")["reference/api"]
    spec.page("reference/api").name = "API Reference"
    report, lines = publish_again(server, spec, tmp_path)
    assert report.ok
    after = owned(server, "pages")["reference/api"]
    assert after["id"] == before["id"]
    assert (after["name"], after["slug"]) == ("API Reference", "api-reference")
    assert any("update    page    reference/api" in line and "(renamed)" in line for line in lines)
    assert server.counts["POST"] == 0 and len(server.live("pages")) == 5


def test_moved_page_keeps_its_id(server: FakeBookStack, spec: ShelfSpec, tmp_path: Path) -> None:
    run_publish(server, write_output(spec, tmp_path))
    before = owned(server, "pages")["reference/glossary"]
    glossary = spec.page("reference/glossary")
    spec.books[1].contents.remove(glossary)
    setup = spec.books[0].contents[1]
    assert isinstance(setup, ChapterSpec)
    setup.pages.insert(0, glossary)
    report, lines = publish_again(server, spec, tmp_path)
    assert report.ok
    after = owned(server, "pages")["reference/glossary"]
    chapter = owned(server, "chapters")["getting-started/setup"]
    assert after["id"] == before["id"]
    assert (after["book_id"], after["chapter_id"]) == (chapter["book_id"], chapter["id"])
    assert next(p["id"] for p in server._pages_of(chapter_id=chapter["id"])) == after["id"]
    assert any(line.startswith("  move      page    reference/glossary") for line in lines)
    assert server.counts["POST"] == 0 and server.counts["DELETE"] == 0


def test_renumbered_chapter_is_reordered_not_recreated(
    server: FakeBookStack, spec: ShelfSpec, tmp_path: Path
) -> None:
    run_publish(server, write_output(spec, tmp_path))
    ids = {k: e["id"] for k, e in owned(server, "pages").items()}
    book = spec.books[0]
    setup = book.contents.pop(1)
    assert isinstance(setup, ChapterSpec)
    setup.docname = "1-getting-started/1-setup"  # was 2-setup: now first
    book.contents.insert(0, setup)
    report, _ = publish_again(server, spec, tmp_path)
    assert report.ok
    assert server.counts["POST"] == 0 and server.counts["DELETE"] == 0
    assert {k: e["id"] for k, e in owned(server, "pages").items()} == ids
    book_id = owned(server, "books")["getting-started"]["id"]
    contents = server._contents(book_id)
    assert [(c["type"], c["name"]) for c in contents] == [
        ("chapter", "Setup"),
        ("page", "Overview"),
    ]
    chapter = owned(server, "chapters")["getting-started/setup"]
    assert {"name": "mosaic-source", "value": "1-getting-started/1-setup/README.md"} in chapter[
        "tags"
    ]


def test_removed_page_is_kept_unless_pruning(
    server: FakeBookStack, spec: ShelfSpec, tmp_path: Path
) -> None:
    run_publish(server, write_output(spec, tmp_path))
    glossary = spec.page("reference/glossary")
    spec.books[1].contents.remove(glossary)
    report, lines = publish_again(server, spec, tmp_path)
    assert report.ok and server.writes == 0
    assert "reference/glossary" in owned(server, "pages")
    assert any(
        "keep      page    reference/glossary" in line and "--prune" in line for line in lines
    )
    report, lines = publish_again(server, spec, tmp_path, prune=True)
    assert report.ok
    assert "reference/glossary" not in owned(server, "pages")
    assert server.counts["DELETE"] == 1 and server.writes == 1
    assert [(t, e["name"]) for t, e in server.recycle_bin] == [("pages", "Glossary")]


def test_pruning_a_chapter_and_a_book(
    server: FakeBookStack, spec: ShelfSpec, tmp_path: Path
) -> None:
    run_publish(server, write_output(spec, tmp_path))
    spec.books.pop(1)  # the Reference book
    spec.books[0].contents.pop(1)  # the Setup chapter
    spec.page("getting-started/overview").links = []
    report, _ = publish_again(server, spec, tmp_path, prune=True)
    assert report.ok, report.result.errors
    assert list(owned(server, "books")) == ["getting-started"]
    assert list(owned(server, "pages")) == ["getting-started/overview"]
    assert owned(server, "chapters") == {}
    shelf = server.tagged("shelves", "mosaic-project", "Demo")[0]
    assert shelf["books"] == [owned(server, "books")["getting-started"]["id"]]


def test_foreign_content_is_left_alone(
    server: FakeBookStack, spec: ShelfSpec, tmp_path: Path
) -> None:
    run_publish(server, write_output(spec, tmp_path))
    chapter = owned(server, "chapters")["getting-started/setup"]
    ours = owned(server, "pages")["getting-started/overview"]
    # A user adds a page to our chapter, a same-named page elsewhere, and a book on our shelf.
    theirs = server.create(
        "pages", chapter_id=chapter["id"], name="Team notes", html="<p>ours, not yours</p>"
    )
    other_book = server.create("books", name="Getting Started")
    twin = server.create("pages", book_id=other_book["id"], name="Overview", html="<p>twin</p>")
    shelf = server.tagged("shelves", "mosaic-project", "Demo")[0]
    shelf["books"].append(other_book["id"])
    # The sources drop the chapter, change a page and rename the book.
    spec.books[0].contents.pop(1)
    spec.books[0].name = "Start Here"
    spec.page("getting-started/overview").links = []
    spec.page("reference/api").links = []
    report, lines = publish_again(server, spec, tmp_path, prune=True)
    assert report.ok, report.result.errors
    assert server.tables["pages"][theirs["id"]]["html"] == "<p>ours, not yours</p>"
    assert server.tables["pages"][twin["id"]]["html"] == "<p>twin</p>"
    assert server.tables["books"][other_book["id"]]["name"] == "Getting Started"
    # The chapter holds a foreign page, so it is kept even with pruning on.
    assert chapter["id"] in server.tables["chapters"]
    assert any(
        "keep" in line and "holds content sphinx-mosaic did not create" in line for line in lines
    )
    assert owned(server, "pages")["getting-started/overview"]["id"] == ours["id"]
    assert server.tagged("shelves", "mosaic-project", "Demo")[0]["books"][-1] == other_book["id"]


def test_dry_run_writes_nothing(server: FakeBookStack, spec: ShelfSpec, tmp_path: Path) -> None:
    out = write_output(spec, tmp_path)
    report, lines = run_publish(server, out, dry_run=True)
    assert server.writes == 0 and server.live("pages") == []
    assert report.ok and report.result.done == []
    assert lines[-2] == "plan: 2 import, 7 create"
    assert "dry run, nothing written" in lines[-1]
    run_publish(server, out)
    spec.page("reference/glossary").text = "changed"
    spec.books[1].contents.pop(0)
    spec.page("getting-started/setup/install").links = []
    _report, lines = publish_again(server, spec, tmp_path, dry_run=True, prune=True)
    assert server.writes == 0
    assert any(line.startswith("  update    page    reference/glossary") for line in lines)
    assert any(line.startswith("  delete    page    reference/api") for line in lines)
    assert "Some text." in owned(server, "pages")["reference/glossary"]["html"]


def test_duplicates_left_by_an_older_run_are_removed(
    server: FakeBookStack, spec: ShelfSpec, tmp_path: Path
) -> None:
    run_publish(server, write_output(spec, tmp_path))
    original = owned(server, "pages")["reference/glossary"]
    server.create(
        "pages",
        book_id=original["book_id"],
        name="Glossary",
        html="<p>copy</p>",
        tags=original["tags"],
    )
    report, lines = publish_again(server, spec, tmp_path)
    assert report.ok
    assert owned(server, "pages")["reference/glossary"]["id"] == original["id"]
    assert any("delete" in line and "(duplicate)" in line for line in lines)


def test_a_new_page_with_links_both_ways(
    server: FakeBookStack, spec: ShelfSpec, tmp_path: Path
) -> None:
    run_publish(server, write_output(spec, tmp_path), use_import=False)
    # Two new pages linking to each other (a cycle) and an old page linking to one of them.
    spec.books[1].contents += [
        PageSpec("reference/a", "A", links=["reference/b"]),
        PageSpec("reference/b", "B", links=["reference/a"]),
    ]
    spec.page("reference/glossary").links = ["reference/a"]
    report, _ = publish_again(server, spec, tmp_path, use_import=False)
    assert report.ok, report.result.errors
    pages = owned(server, "pages")
    a, b = pages["reference/a"], pages["reference/b"]
    assert f"/link/{b['id']}#" in a["html"] and f"/link/{a['id']}#" in b["html"]
    assert f"/link/{a['id']}#" in pages["reference/glossary"]["html"]
    assert "being published" not in a["html"] + b["html"]


def test_a_book_added_later_is_imported_unless_it_takes_over_pages(
    server: FakeBookStack, spec: ShelfSpec, tmp_path: Path
) -> None:
    run_publish(server, write_output(spec, tmp_path))
    spec.books.append(BookSpec("faq", "FAQ", [PageSpec("faq/general", "General")]))
    report, lines = publish_again(server, spec, tmp_path)
    assert report.ok and "  import    book    faq 'FAQ'" in lines
    assert server.log.count(("POST", "/api/imports")) == 1
    # A new book that takes over an existing page cannot be imported (it would copy the page):
    # it is created, and the page moves into it with its id.
    glossary = spec.page("reference/glossary")
    spec.books[1].contents.remove(glossary)
    spec.books.append(BookSpec("terms", "Terms", [glossary]))
    before = owned(server, "pages")["reference/glossary"]["id"]
    report, lines = publish_again(server, spec, tmp_path)
    assert report.ok and "  create    book    terms 'Terms'" in lines
    assert ("POST", "/api/imports") not in server.log
    terms = owned(server, "books")["terms"]
    glossary_page = owned(server, "pages")["reference/glossary"]
    assert (glossary_page["id"], glossary_page["book_id"]) == (before, terms["id"])


def test_missing_permissions_are_reported_per_page(spec: ShelfSpec, tmp_path: Path) -> None:
    with FakeBookStack(denied={"page-delete", "image-create-all"}) as server:
        report, _ = run_publish(server, write_output(spec, tmp_path), use_import=False)
        assert [e.split(":")[0] for e in report.result.errors] == [
            "page 'Install' (getting-started/setup/install.md)"
        ]
        assert (
            "HTTP 403" in report.result.errors[0]
            and "lacks a permission" in report.result.errors[0]
        )
        glossary = spec.page("reference/glossary")
        spec.books[1].contents.remove(glossary)
        spec.books[0].contents.append(glossary)
        report, _ = publish_again(server, spec, tmp_path, use_import=False)
        moved = [e for e in report.result.errors if e.startswith("page 'Glossary'")]
        assert moved and "You do not have permission to move this page" in moved[0]


def test_writes_keep_the_wiki_readable_in_between(
    server: FakeBookStack, spec: ShelfSpec, tmp_path: Path
) -> None:
    run_publish(server, write_output(spec, tmp_path), use_import=False)
    writes = [entry for entry in server.log if entry[0] != "GET"]
    install = owned(server, "pages")["getting-started/setup/install"]["id"]
    # The page exists (placeholder), then its image, then its content; the shelf comes last.
    upload = writes.index(("POST", "/api/image-gallery"))
    assert writes.index(("PUT", f"/api/pages/{install}")) > upload
    assert max(i for i, w in enumerate(writes) if w == ("POST", "/api/pages")) < len(writes) - 1
    assert writes[-1] == ("POST", "/api/shelves")
    assert writes.index(("POST", "/api/chapters")) > max(
        i for i, w in enumerate(writes) if w == ("POST", "/api/books")
    )
    # Removals come after every page write.
    glossary = spec.page("reference/glossary")
    spec.books[1].contents.remove(glossary)
    spec.page("reference/api").text = "Changed."
    publish_again(server, spec, tmp_path, use_import=False, prune=True)
    writes = [entry for entry in server.log if entry[0] != "GET"]
    assert [w[0] for w in writes] == ["PUT", "DELETE"]


def test_relinking_imported_pages_keeps_the_order(
    server: FakeBookStack, spec: ShelfSpec, tmp_path: Path
) -> None:
    # The second page of the chapter links across books, so it is rewritten after the import.
    spec.page("getting-started/setup/configure").links.append("reference/glossary")
    spec.page("getting-started/setup/install").links = []
    run_publish(server, write_output(spec, tmp_path))
    chapter = owned(server, "chapters")["getting-started/setup"]
    assert [p["name"] for p in server._pages_of(chapter_id=chapter["id"])] == [
        "Install",
        "Configure",
    ]
    report, _ = publish_again(server, spec, tmp_path)
    assert report.ok and server.writes == 0


def test_page_moved_to_another_folder_keeps_its_id_and_takes_its_new_key(
    server: FakeBookStack, spec: ShelfSpec, tmp_path: Path
) -> None:
    """Moving reference/glossary.md into getting-started/setup/ changes its key; the
    planner pairs the vanished key with the new one (same last part, no rival), so the
    server page is updated and moved, not created anew."""
    run_publish(server, write_output(spec, tmp_path))
    before = owned(server, "pages")["reference/glossary"]
    glossary = spec.page("reference/glossary")
    spec.books[1].contents.remove(glossary)
    setup = spec.books[0].contents[1]
    assert isinstance(setup, ChapterSpec)
    glossary.key = "getting-started/setup/glossary"
    glossary.docname = None
    setup.pages.insert(0, glossary)
    report, lines = publish_again(server, spec, tmp_path, prune=True)
    assert report.ok
    pages = owned(server, "pages")
    assert "reference/glossary" not in pages
    after = pages["getting-started/setup/glossary"]
    chapter = owned(server, "chapters")["getting-started/setup"]
    assert after["id"] == before["id"]
    assert (after["book_id"], after["chapter_id"]) == (chapter["book_id"], chapter["id"])
    assert server.counts["POST"] == 0 and server.counts["DELETE"] == 0
    assert any("was reference/glossary" in line for line in lines)
    # A second run finds it under its new key: nothing to write.
    report, _ = publish_again(server, spec, tmp_path, prune=True)
    assert report.ok and server.writes == 0


def test_pruning_never_deletes_a_chapter_that_holds_a_kept_page(
    server: FakeBookStack, spec: ShelfSpec, tmp_path: Path
) -> None:
    run_publish(server, write_output(spec, tmp_path), use_import=False)
    chapter = owned(server, "chapters")["getting-started/setup"]
    # A duplicate of the chapter (left by an older run) holds one of our pages.
    twin = server.create("chapters", book_id=chapter["book_id"], name="Setup", tags=chapter["tags"])
    page = owned(server, "pages")["getting-started/setup/configure"]
    page["chapter_id"] = twin["id"]
    # Moving the page back fails this time.
    server.fail(422, count=1, method="PUT", path=rf"/api/pages/{page['id']}$")
    report, lines = publish_again(server, spec, tmp_path)
    assert len(report.result.errors) == 1
    # Deleting the twin would have sent the page to the recycle bin (a new id if restored).
    assert server.tables["pages"][page["id"]]["chapter_id"] == twin["id"]
    assert twin["id"] in server.tables["chapters"]
    assert any(
        "not deleted: it still holds page getting-started/setup/configure" in line for line in lines
    )
    # The next run moves the page out, then deletes the twin.
    report, _ = publish_again(server, spec, tmp_path)
    assert report.ok, report.result.errors
    assert twin["id"] not in server.tables["chapters"]
    assert server.tables["pages"][page["id"]]["chapter_id"] == chapter["id"]


def test_a_foreign_book_on_the_shelf_is_kept_when_a_page_with_its_id_is_pruned(
    server: FakeBookStack, spec: ShelfSpec, tmp_path: Path
) -> None:
    # Ids are per type before v25.11: a page and a book may share one.
    run_publish(server, write_output(spec, tmp_path))
    glossary = owned(server, "pages")["reference/glossary"]
    assert glossary["id"] not in server.tables["books"]
    server.next_id["books"] = glossary["id"] - 1
    theirs = server.create("books", name="Their book")
    assert theirs["id"] == glossary["id"]
    shelf = server.tagged("shelves", "mosaic-project", "Demo")[0]
    shelf["books"].append(theirs["id"])
    spec.books[1].contents.pop()  # reference/glossary
    report, _ = publish_again(server, spec, tmp_path, prune=True)
    assert report.ok, report.result.errors
    assert report.plan.shelf.kind is Kind.UNCHANGED  # no book left the shelf
    assert glossary["id"] not in server.tables["pages"]
    assert server.tagged("shelves", "mosaic-project", "Demo")[0]["books"][-1] == theirs["id"]


def revision_tag(page: dict) -> str | None:
    return next((t["value"] for t in page["tags"] if t["name"] == "mosaic-revision"), None)


def test_moves_and_new_priorities_keep_mosaic_revision_current(
    server: FakeBookStack, spec: ShelfSpec, tmp_path: Path
) -> None:
    run_publish(server, write_output(spec, tmp_path), use_import=False)
    # A move (glossary into Setup) and a new priority (API after Glossary... now alone).
    glossary = spec.page("reference/glossary")
    spec.books[1].contents.remove(glossary)
    setup = spec.books[0].contents[1]
    assert isinstance(setup, ChapterSpec)
    setup.pages.append(glossary)
    setup.pages.reverse()
    report, lines = publish_again(server, spec, tmp_path, use_import=False)
    assert report.ok, report.result.errors
    moved = [line.split()[2] for line in lines if line.startswith(("  move", "  reorder"))]
    assert "reference/glossary" in moved and len(moved) >= 2
    for key, page in owned(server, "pages").items():
        assert revision_tag(page) == str(page["revision_count"]), key
    # A person's unchanged save after our moves is still told apart from an edit.
    server.reset_counts()
    again, _ = run_publish(server, tmp_path, use_import=False)
    assert again.ok and server.writes == 0


def test_the_summary_counts_every_kind_of_the_plan(
    server: FakeBookStack, spec: ShelfSpec, tmp_path: Path
) -> None:
    run_publish(server, write_output(spec, tmp_path))
    glossary = owned(server, "pages")["reference/glossary"]
    server.edit_in_wiki(glossary["id"], html="<p>Fixed in the wiki.</p>")
    spec.page("reference/glossary").text = "Changed."
    spec.books[0].contents.pop(0)  # getting-started/overview, kept (no --prune)
    spec.page("getting-started/setup/configure").links = []
    _, lines = publish_again(server, spec, tmp_path)
    summary = lines[-1]
    assert "1 edited" in summary and "1 keep" in summary and "1 update" in summary, summary


def test_pages_linking_to_a_removed_duplicate_link_to_the_kept_one(
    server: FakeBookStack, spec: ShelfSpec, tmp_path: Path
) -> None:
    # A copy of Configure (left invisible by the permission race, then created again: the
    # copy has the higher id) that API's links point at.
    run_publish(server, write_output(spec, tmp_path), use_import=False)
    kept = owned(server, "pages")["getting-started/setup/configure"]
    copy = server.create(
        "pages", chapter_id=kept["chapter_id"], name="Configure", html="<p>c</p>", tags=kept["tags"]
    )
    api = next(p for p in server.live("pages") if p["name"] == "API")
    api["html"] = api["html"].replace(f"/link/{kept['id']}", f"/link/{copy['id']}")
    assert f"/link/{copy['id']}" in api["html"]
    report, lines = publish_again(server, spec, tmp_path, use_import=False)
    assert report.ok, report.result.errors
    assert copy["id"] not in server.tables["pages"]
    assert any(line.startswith("  relink    page    reference/api") for line in lines)
    html = server.tables["pages"][api["id"]]["html"]
    assert f"/link/{kept['id']}" in html and f"/link/{copy['id']}" not in html
