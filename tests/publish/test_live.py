"""Opt-in: publish to a real BookStack when BOOKSTACK_URL and a token are set.

Set BOOKSTACK_URL, BOOKSTACK_TOKEN_ID and BOOKSTACK_TOKEN_SECRET (a token whose role may
create and delete shelves, books, chapters, pages, images and attachments) to run it.  It
publishes a small shelf under a unique project name, checks a no-change rerun writes nothing,
changes a page, then deletes everything it created (to the recycle bin).  Without the variables
the test is skipped: it is opt-in by design, not for lack of a dependency.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from helpers.fake_bookstack.fixtures import small_shelf, write_output

from sphinx_mosaic.publish.client import BookStackClient
from sphinx_mosaic.publish.publisher import PublishOptions, publish, settings_from
from sphinx_mosaic.publish.state import is_owned, owner_query, search_owned

LIVE = all(
    os.environ.get(name)
    for name in ("BOOKSTACK_URL", "BOOKSTACK_TOKEN_ID", "BOOKSTACK_TOKEN_SECRET")
)

pytestmark = pytest.mark.skipif(
    not LIVE, reason="opt-in: set BOOKSTACK_URL, BOOKSTACK_TOKEN_ID and BOOKSTACK_TOKEN_SECRET"
)


def test_publish_to_a_real_server(tmp_path: Path) -> None:
    project = f"sphinx-mosaic-live-{uuid.uuid4().hex[:8]}"
    spec = small_shelf(project)
    spec.name = f"{project} shelf"
    for book in spec.books:
        book.name = f"{book.name} ({project})"
    out = write_output(spec, tmp_path)
    settings = settings_from(None, None, os.environ, requests_per_minute=60)
    lines: list[str] = []
    try:
        first = publish(out, settings, PublishOptions(), out=lines.append)
        assert first.ok, first.result.errors
        again = publish(out, settings, PublishOptions(), out=lines.append)
        assert again.ok and again.requests.writes == 0
        spec.page("reference/glossary").text = "Changed on a live server."
        write_output(spec, out)
        changed = publish(out, settings, PublishOptions(), out=lines.append)
        assert changed.ok and changed.requests.writes == 1
    finally:
        # Clean up: remove everything this project owns (BookStack keeps it in the recycle bin).
        client = BookStackClient(settings)
        try:
            items = [i for i in search_owned(client, owner_query(project)) if is_owned(i, project)]
            order = {"page": 0, "chapter": 1, "book": 2, "bookshelf": 3}
            for item in sorted(items, key=lambda i: order.get(str(i.get("type")), 9)):
                path = {"bookshelf": "shelves"}.get(str(item["type"]), f"{item['type']}s")
                client.delete(f"/api/{path}/{item['id']}")
        finally:
            client.close()
    assert os.environ["BOOKSTACK_TOKEN_SECRET"] not in "\n".join(lines)
