"""Trample protection: a page edited in the wiki since the last publish is kept and reported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from helpers.fake_bookstack.editor import render_filter, tinymce_save
from helpers.fake_bookstack.fixtures import PNG, ShelfSpec, run_publish, small_shelf, write_output
from helpers.fake_bookstack.server import FakeBookStack

from sphinx_mosaic.cli import main
from sphinx_mosaic.publish.wiki_edits import (
    edited,
    fingerprint,
    import_fingerprint,
    legacy_fingerprint,
)

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


#: A page as the builder writes it, with what BookStack's editors and filter rewrite.
RICH = (
    '<p id="bkmrk-see">See <a href="https://example.com/guide?a=1&amp;b=2" rel="noopener">'
    "the guide</a>, <code>pip install</code> and &#x27;quotes&#x27;.</p>\n"
    '<pre id="bkmrk-code"><code class="language-python">def f():\n    return 1\n</code></pre>\n'
    '<table id="bkmrk-t"><thead><tr><th>Key</th><th>Value</th></tr></thead>'
    "<tbody><tr><td>a</td><td>1</td></tr></tbody></table>\n"
    '<ul id="bkmrk-l"><li>one</li><li>two</li></ul>\n'
    '<h2 id="bkmrk-more">More</h2>\n'
    '<p id="bkmrk-img"><img src="https://example.com/i.png" alt="Diagram"/> '
    '<a href="https://example.com/q?[x]" title="It&#x27;s" target="_self">q</a></p>\n'
    '<div class="mosaic-badge" data-mosaic="badge" style="color: red; position: absolute">'
    "<span>Draft</span></div>\n"
    '<style>.x { color: red }</style><svg viewBox="0 0 1 1"><path d="M0"/></svg>\n'
    '<p id="bkmrk-dup">A</p><p id="bkmrk-dup">B</p>\n'
    '<p id="bkmrk-last-updated"><span>Last updated: 2026-12-06</span> · '
    "<span>Version: 0.0.1</span></p>\n"
)


def test_the_fingerprint_is_what_a_reader_sees() -> None:
    # Measured on BookStack v24.10: TinyMCE unwraps the footer's spans on an unchanged save.
    sent = '<p id="x"><span>Last updated: 2026-12-06</span> · <span>Version: 0.0.1</span></p>\n'
    saved = '<p id="x">Last updated: 2026-12-06 · Version: 0.0.1</p>'
    assert fingerprint("P", sent, False) == fingerprint("P", saved, False)
    assert tinymce_save(sent) == saved
    ours = fingerprint("P", RICH, False)
    assert ours.startswith("2-")
    for rewrite in (tinymce_save, render_filter, lambda h: tinymce_save(render_filter(h))):
        assert rewrite(RICH) != RICH
        assert fingerprint("P", rewrite(RICH), False) == ours, rewrite
    encoded = RICH.replace("q?[x]", "q?%5Bx%5D")
    assert fingerprint("P", encoded, False) == ours
    assert fingerprint("P", RICH.replace('alt="Diagram"', 'alt="i.png"'), False) != ours
    assert fingerprint("P", RICH.replace(' alt="Diagram"', ""), False) == fingerprint(
        "P", RICH.replace('alt="Diagram"', 'alt="i.png"'), False
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("the guide", "the user guide"),  # a word
        ("guide?a=1", "guide?a=2"),  # a link's target
        ("i.png", "j.png"),  # an image
        ("    return 1", "    return 2"),  # a code line
        ("    return 1", "  return 1"),  # indentation in code
        ("<td>1</td>", "<td>2</td>"),  # a table cell
        ("<li>one</li><li>two</li>", "<li>one two</li>"),  # a list's structure
        ("<h2 ", "<h3 "),  # a heading's level (both tags: a lone </h3> closes the <h2> in
        # an HTML5 parser, as in BookStack's filter and every browser: nothing to see)
        ("Draft", "Final"),  # text in a span
        ("<code>pip install</code>", "pip install"),  # markup around text
        ('class="mosaic-badge"', 'class="mosaic-note"'),
    ],
)
def test_any_visible_change_changes_the_fingerprint(old: str, new: str) -> None:
    assert old in RICH
    changed = RICH.replace(old, new, 1)
    if old == "<h2 ":
        changed = changed.replace("</h2>", "</h3>")
    ours = fingerprint("P", RICH, False)
    assert fingerprint("P", changed, False) != ours
    # ...also once a person's editor or the filter has rewritten the rest of the page.
    assert fingerprint("P", tinymce_save(render_filter(changed)), False) != ours


def test_a_body_tag_written_by_the_old_version_is_judged_the_old_way() -> None:
    detail = {
        "name": "P",
        "raw_html": tinymce_save(RICH),
        "revision_count": 5,
        "created_by": 3,
        "updated_by": 3,
    }
    old = legacy_fingerprint("P", RICH, False)
    assert "-" not in old and len(old) == 20  # sphinx-mosaic 0.1's tag values
    unchanged = {**detail, "raw_html": RICH.rstrip("\n")}
    assert not edited(unchanged, {"mosaic-revision": "4", "mosaic-body": old})
    assert edited({**detail, "raw_html": "<p>x</p>"}, {"mosaic-revision": "4", "mosaic-body": old})
    new = fingerprint("P", RICH, False)
    assert not edited(detail, {"mosaic-revision": "4", "mosaic-body": new})
    assert edited({**detail, "raw_html": "<p>x</p>"}, {"mosaic-revision": "4", "mosaic-body": new})


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


def _rich_shelf(tmp_path: Path) -> tuple[ShelfSpec, Path]:
    spec = small_shelf()
    spec.page(KEY).html = RICH
    return spec, write_output(spec, tmp_path)


@pytest.mark.parametrize("use_import", [True, False], ids=["imported", "page-by-page"])
@pytest.mark.parametrize("filtered", [False, True], ids=["tinymce", "v25.12.4-filtered"])
def test_an_unchanged_save_in_the_editor_never_blocks_a_run(
    server: FakeBookStack, tmp_path: Path, filtered: bool, use_import: bool
) -> None:
    spec, out = _rich_shelf(tmp_path)
    spec.page(KEY).links.append("reference/api")  # a ZIP reference the importer resolves
    spec.page(KEY).images = [("diagram.png", PNG)]
    write_output(spec, out)
    run_publish(server, out, use_import=use_import)
    page = _page(server)
    before = page["html"]
    saved = server.save_in_editor(page["id"], filtered=filtered)
    assert saved["html"] != before and saved["updated_by"]["name"] == "Jane Doe"
    _changed(spec, out)
    report, lines = run_publish(server, out, use_import=use_import)
    assert report.ok, report.result.errors
    assert "Changed in Git." in _page(server)["html"]
    assert not any("edited" in line for line in lines)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("the guide", "the user guide"),
        ("guide?a=1", "guide?a=3"),
        ("return 1", "return 42"),
        ("<td>1</td>", "<td>7</td>"),
    ],
    ids=["word", "link", "code-line", "table-cell"],
)
@pytest.mark.parametrize("use_import", [True, False], ids=["imported", "page-by-page"])
def test_a_real_change_in_the_editor_is_still_reported_and_kept(
    server: FakeBookStack, tmp_path: Path, old: str, new: str, use_import: bool
) -> None:
    spec, out = _rich_shelf(tmp_path)
    run_publish(server, out, use_import=use_import)
    page = _page(server)
    saved = server.save_in_editor(page["id"], filtered=True, change=lambda h: h.replace(old, new))
    assert new in saved["html"]
    _changed(spec, out)
    server.reset_counts()
    report, lines = run_publish(server, out, use_import=use_import)
    assert not report.ok and server.writes == 0
    assert _page(server)["html"] == saved["html"]
    assert any("edited in the wiki by Jane Doe" in line for line in lines)


def test_pages_published_by_the_old_version_keep_working(
    server: FakeBookStack, tmp_path: Path
) -> None:
    spec, out = _rich_shelf(tmp_path)
    run_publish(server, out, use_import=False)
    # As sphinx-mosaic 0.1 left them: mosaic-body holds the format-1 fingerprint.
    for page in server.tagged("pages", "mosaic-project", "Demo"):
        for tag in page["tags"]:
            if tag["name"] == "mosaic-body":
                tag["value"] = legacy_fingerprint(page["name"], page["html"], False)
                assert "-" not in tag["value"]
    server.reset_counts()
    assert run_publish(server, out, use_import=False)[0].ok
    assert server.writes == 0  # the new fingerprint alone rewrites nothing
    page = _page(server)
    server.edit_in_wiki(page["id"])  # an identical save: judged by the old fingerprint
    _changed(spec, out)
    report, _ = run_publish(server, out, use_import=False)
    assert report.ok, report.result.errors
    body = next(t["value"] for t in _page(server)["tags"] if t["name"] == "mosaic-body")
    assert body.startswith("2-")  # written again: the new format from now on


def test_an_imported_page_is_fingerprinted_without_the_addresses_the_importer_writes() -> None:
    sent = (
        '<p><a href="[[bsexport:page:3]]#bkmrk-intro">Intro</a> '
        '<img src="[[bsexport:image:1]]" alt="Diagram"/> <a href="https://example.com/x">x</a></p>'
    )
    stored = (
        '<p><a href="http://wiki.local/books/guide/page/intro#bkmrk-intro">Intro</a> '
        '<img alt="Diagram" src="http://wiki.local/uploads/images/gallery/2026-12/a.png"> '
        '<a href="https://example.com/x">x</a></p>'
    )
    ours = import_fingerprint("P", sent)
    assert ours.startswith("2i-")
    assert import_fingerprint("P", tinymce_save(render_filter(stored))) == ours
    detail = {"name": "P", "raw_html": stored, "revision_count": 2, "created_by": 3}
    assert not edited({**detail, "updated_by": 9}, {"mosaic-body": ours})
    for old, new in [("Intro<", "Outro<"), ("#bkmrk-intro", "#bkmrk-other"), ("/x", "/y")]:
        changed = {**detail, "raw_html": stored.replace(old, new), "updated_by": 9}
        assert edited(changed, {"mosaic-body": ours}), new
