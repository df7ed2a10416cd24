"""Trample protection: a page edited in the wiki since the last publish is kept and reported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from bookstack_server import FakeBookStack
from publish_fixtures import ShelfSpec, run_publish, small_shelf, write_output

from sphinx_mosaic.cli import main
from sphinx_mosaic.publish.wiki_edits import fingerprint

KEY = "reference/glossary"


@pytest.fixture
def server() -> Iterator[FakeBookStack]:
    with FakeBookStack() as fake:
        yield fake


def _page(server: FakeBookStack, key: str = KEY) -> dict:
    [page] = [
        p
        for p in server.tagged("pages", "mosaic-project", "Demo")
        if {"name": "mosaic-key", "value": key} in p["tags"]
    ]
    return page


def _changed(spec: ShelfSpec, out: Path, text: str = "Changed in Git.") -> None:
    spec.page(KEY).text = text
    write_output(spec, out)


def test_every_put_counts_a_revision_and_stored_html_is_not_rendered_html(
    server: FakeBookStack,
) -> None:
    book = server.create("books", name="B")
    page = server.create(
        "pages", book_id=book["id"], name="P", html='<p><img src="a.png"/></p><script>x</script>'
    )
    auth = {"Authorization": f"Token {server.token_id}:{server.token_secret}"}
    url = f"{server.url}/api/pages/{page['id']}"
    for _ in range(2):  # the same content twice: two more revisions all the same
        requests.put(url, json={"html": page["html"]}, headers=auth, timeout=5)
    read = requests.get(url, headers=auth, timeout=5).json()
    assert read["revision_count"] == 3
    assert read["raw_html"] == '<p><img src="a.png"></p><script>x</script>'
    assert read["html"] == '<p><img src="a.png"></p>'
    assert read["updated_by"]["name"] == "Docs Publisher"


def test_the_fingerprint_ignores_what_bookstack_rewrites_on_save() -> None:
    sent = '<h1 id="intro">Intro</h1>\n<p>Text <img src="a.png" alt="A"/></p>'
    stored = '<h1 id="bkmrk-intro">Intro</h1><p>Text  <img alt="A" src="a.png"></p>'
    assert fingerprint("Intro", sent, False) == fingerprint("Intro", stored, False)
    assert fingerprint("Intro", sent, False) != fingerprint("Intro", sent + "<p>more</p>", False)
    assert fingerprint("Intro", sent, False) != fingerprint("Renamed", sent, False)
    assert fingerprint("M", "# Title\n\ntext  \n", True) == fingerprint(
        "M", "# Title\n\ntext", True
    )


@pytest.mark.parametrize("use_import", [True, False], ids=["imported", "page-by-page"])
def test_a_page_edited_in_the_wiki_survives_a_publish_and_is_reported(
    server: FakeBookStack, tmp_path: Path, use_import: bool
) -> None:
    spec = small_shelf()
    out = write_output(spec, tmp_path)
    run_publish(server, out, use_import=use_import)
    page = _page(server)
    server.edit_in_wiki(page["id"], html="<p>Fixed a typo in the wiki.</p>", user="Jane Doe")
    _changed(spec, out)
    server.reset_counts()
    report, lines = run_publish(server, out, use_import=use_import)
    assert server.tables["pages"][page["id"]]["html"] == "<p>Fixed a typo in the wiki.</p>"
    assert server.writes == 0
    assert not report.ok
    [error] = [line for line in lines if line.startswith("error:")]
    assert error.startswith("error: page 'Glossary' (reference/glossary.md): edited in the wiki")
    assert "by Jane Doe on 2026-12-01T" in error
    assert f"{server.url}/link/{page['id']}" in error
    assert "--overwrite-wiki-edits" in error
    assert any(line.startswith("  edited    page    reference/glossary") for line in lines)
    assert "1 error" in lines[-1]


def test_a_dry_run_shows_the_wiki_edit(server: FakeBookStack, tmp_path: Path) -> None:
    spec = small_shelf()
    out = write_output(spec, tmp_path)
    run_publish(server, out)
    server.edit_in_wiki(_page(server)["id"], html="<p>Wiki text.</p>")
    _changed(spec, out)
    server.reset_counts()
    report, lines = run_publish(server, out, dry_run=True)
    assert server.writes == 0 and not report.ok
    assert any("edited in the wiki by Jane Doe" in line for line in lines)


def test_the_cli_fails_on_a_wiki_edit_unless_told_to_overwrite(
    server: FakeBookStack,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = small_shelf()
    out = write_output(spec, tmp_path)
    monkeypatch.setenv("BOOKSTACK_URL", server.url)
    monkeypatch.setenv("BOOKSTACK_TOKEN_ID", server.token_id)
    monkeypatch.setenv("BOOKSTACK_TOKEN_SECRET", server.token_secret)
    assert main(["publish", str(out)]) == 0
    page = _page(server)
    server.edit_in_wiki(page["id"], html="<p>Wiki text.</p>")
    _changed(spec, out)
    assert main(["publish", str(out)]) == 1
    assert server.tables["pages"][page["id"]]["html"] == "<p>Wiki text.</p>"
    assert main(["publish", str(out), "--overwrite-wiki-edits"]) == 0
    assert "Changed in Git." in server.tables["pages"][page["id"]]["html"]
    assert "overwritten (--overwrite-wiki-edits)" in capsys.readouterr().out
    # Once overwritten, the page is ours again: the next change goes through.
    _changed(spec, out, "Changed again.")
    assert main(["publish", str(out)]) == 0


def test_an_identical_save_in_the_wiki_is_not_an_edit(
    server: FakeBookStack, tmp_path: Path
) -> None:
    spec = small_shelf()
    out = write_output(spec, tmp_path)
    run_publish(server, out, use_import=False)
    page = _page(server)
    server.edit_in_wiki(page["id"])  # opened and saved without a change: one more revision
    _changed(spec, out)
    report, _ = run_publish(server, out, use_import=False)
    assert report.ok, report.result.errors
    assert "Changed in Git." in server.tables["pages"][page["id"]]["html"]


def test_a_rename_in_the_wiki_is_an_edit(server: FakeBookStack, tmp_path: Path) -> None:
    spec = small_shelf()
    out = write_output(spec, tmp_path)
    run_publish(server, out, use_import=False)
    page = _page(server)
    server.edit_in_wiki(page["id"], name="Glossary of terms")
    _changed(spec, out)
    report, _ = run_publish(server, out, use_import=False)
    assert not report.ok and server.tables["pages"][page["id"]]["name"] == "Glossary of terms"


def test_an_unchanged_source_never_reads_or_touches_an_edited_page(
    server: FakeBookStack, tmp_path: Path
) -> None:
    out = write_output(small_shelf(), tmp_path)
    run_publish(server, out)
    page = _page(server)
    server.edit_in_wiki(page["id"], html="<p>Wiki only.</p>")
    server.reset_counts()
    report, _ = run_publish(server, out)
    assert report.ok and server.writes == 0
    assert ("GET", f"/api/pages/{page['id']}") not in server.log


def test_our_own_reorders_and_retries_are_not_taken_for_wiki_edits(
    server: FakeBookStack, tmp_path: Path
) -> None:
    spec = small_shelf()
    out = write_output(spec, tmp_path)
    run_publish(server, out, use_import=False)
    # Swap the two reference pages: a reorder (a PUT without content) bumps their revisions.
    reference = spec.books[1]
    reference.contents.reverse()
    write_output(spec, out)
    assert run_publish(server, out, use_import=False)[0].ok
    # A PUT retried after a lost answer counts two revisions.
    server.drop(count=1, method="PUT", after=True)
    _changed(spec, out)
    assert run_publish(server, out, use_import=False)[0].ok
    _changed(spec, out, "And once more.")
    report, _ = run_publish(server, out, use_import=False)
    assert report.ok, report.result.errors
    assert "And once more." in _page(server)["html"]
