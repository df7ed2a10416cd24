"""End to end: ``-b bookstack`` on a test root, then publish the output to the fake server."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from helpers.fake_bookstack.fixtures import run_publish
from helpers.fake_bookstack.server import FakeBookStack
from sphinx.testing.util import SphinxTestApp

import sphinx_mosaic.publish.after_build  # noqa: F401 - declares the mosaic_publish* options
from sphinx_mosaic.publish.after_build import publish_after_build, setup_publish


@pytest.fixture
def server() -> Iterator[FakeBookStack]:
    with FakeBookStack() as fake:
        yield fake


def owned_pages(server: FakeBookStack, project: str) -> dict[str, dict]:
    return {
        next(t["value"] for t in p["tags"] if t["name"] == "mosaic-key"): p
        for p in server.tagged("pages", "mosaic-project", project)
    }


@pytest.mark.parametrize(
    ("version", "use_import"),
    [("v25.07.2", True), ("v25.07.2", False), ("v24.12", True)],
    ids=["imports-api", "page-by-page", "v24.12-no-system-no-imports"],
)
@pytest.mark.sphinx("bookstack", testroot="bookstack")
def test_build_then_publish(
    app: SphinxTestApp, server: FakeBookStack, version: str, use_import: bool
) -> None:
    server.version = version
    app.build()
    manifest = json.loads((app.outdir / "manifest.json").read_text())
    keys = {
        page["key"]
        for book in manifest["books"]
        for item in book["contents"]
        for page in (item["pages"] if item["type"] == "chapter" else [item])
    }
    report, lines = run_publish(server, app.outdir, use_import=use_import)
    assert report.ok, report.result.errors
    assert ("page by page" in lines[-1]) is (not use_import or version == "v24.12")
    pages = owned_pages(server, manifest["project"])
    assert set(pages) == keys
    html = "\n".join(p["html"] for p in pages.values())
    # Predicted cross-book URLs are gone: links point at the server's real pages and shelf.
    assert "bsexport" not in html  # not even URL-encoded
    assert 'href="/books/' not in html and 'href="/shelves/' not in html
    target = pages["other/target"]["id"]
    links = pages["guide/basics/links"]["html"]
    assert f'href="{server.url}/link/{target}#bkmrk-a-section"' in links
    # The root document is the shelf page's content, the first page of the first book.
    assert f'href="{server.url}/link/{pages["README"]["id"]}"' in links
    images = [
        i
        for i in server.live("image-gallery")
        if i["uploaded_to"] == pages["guide/basics/links"]["id"]
    ]
    assert len(images) == 2 and all(i["url"] in links for i in images)
    attachment = next(a for a in server.live("attachments"))
    assert re.search(rf'href="{server.url}/attachments/{attachment["id"]}"', links)
    # Publishing the same build again writes nothing.
    server.reset_counts()
    report, _ = run_publish(server, app.outdir, use_import=use_import)
    assert report.ok and server.writes == 0


@pytest.mark.sphinx("bookstack", testroot="bookstack")
def test_publish_after_build_is_opt_in(
    app: SphinxTestApp, server: FakeBookStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.build()
    publish_after_build(app, app.outdir)  # mosaic_publish is off: nothing is sent
    assert server.log == []
    monkeypatch.setenv("BOOKSTACK_TOKEN_SECRET", server.token_secret)
    app.config.mosaic_publish = True
    app.config.mosaic_publish_url = server.url
    app.config.mosaic_publish_token_id = server.token_id
    publish_after_build(app, app.outdir)
    assert len(owned_pages(server, app.config.project)) > 3
    assert "publish:" in app.status.getvalue()
    monkeypatch.setenv("BOOKSTACK_TOKEN_SECRET", "bad-secret-7731")
    publish_after_build(app, app.outdir)
    warnings = app.warning.getvalue()
    assert "publishing to BookStack failed" in warnings and "[mosaic.publish]" in warnings
    assert "bad-secret-7731" not in warnings and server.token_secret not in warnings


@pytest.mark.sphinx("bookstack", testroot="bookstack")
def test_build_finished_hook_publishes(
    app: SphinxTestApp, server: FakeBookStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup_publish(app)  # what sphinx_mosaic.setup() calls
    monkeypatch.setenv("BOOKSTACK_URL", server.url)
    monkeypatch.setenv("BOOKSTACK_TOKEN_ID", server.token_id)
    monkeypatch.setenv("BOOKSTACK_TOKEN_SECRET", server.token_secret)
    app.config.mosaic_publish = True
    app.build()
    assert len(owned_pages(server, app.config.project)) > 3
    assert app.warning.getvalue().count("mosaic.publish") == 0
