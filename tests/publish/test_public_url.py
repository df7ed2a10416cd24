"""Links in pages use the wiki's own public URL, not the address the publisher reached it by.

Measured on a real v24.10: publishing through ``http://localhost:8095`` to a server whose
``APP_URL`` is ``http://127.0.0.1:8095`` wrote 127 ``localhost`` links, while image URLs
(from BookStack's upload answers) used ``APP_URL``.  The fake server listens on 127.0.0.1
and calls itself so; the tests reach it as ``localhost``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.fake_bookstack.fixtures import run_publish, small_shelf, write_output
from helpers.fake_bookstack.server import FakeBookStack

from sphinx_mosaic.cli import main
from sphinx_mosaic.publish.public_url import base_of_entity, choose_public_url, same_url


@pytest.fixture
def server() -> Iterator[FakeBookStack]:
    with FakeBookStack() as fake:
        yield fake


def _through_localhost(server: FakeBookStack) -> str:
    return server.url.replace("127.0.0.1", "localhost")


def _hosts(server: FakeBookStack) -> set[str]:
    """The hosts every absolute link and image of every page points at."""
    found: set[str] = set()
    for page in server.live("pages"):
        found |= set(re.findall(r'(?:href|src)="https?://([^/":]+)', page["html"]))
    return found


def test_the_server_s_own_url_wins_over_the_address_used_to_reach_it(
    server: FakeBookStack, tmp_path: Path
) -> None:
    out = write_output(small_shelf(), tmp_path)
    reached = _through_localhost(server)
    report, lines = run_publish(server, out, use_import=False, settings={"url": reached})
    assert report.ok, report.result.errors
    assert _hosts(server) == {"127.0.0.1"}
    [warning] = [line for line in lines if line.startswith("warning: the server is reached")]
    assert reached in warning and f"calls itself {server.url}" in warning
    assert "/api/system" in warning and "--public-url" in warning


def test_an_old_server_s_url_is_learnt_from_its_answers(
    server: FakeBookStack, tmp_path: Path
) -> None:
    server.version = "v24.10"  # no /api/system
    spec = small_shelf()
    out = write_output(spec, tmp_path)
    reached = _through_localhost(server)
    # A first publish knows nothing else: links use --url, and the image upload answers
    # show the server's own URL, which a warning names.
    report, lines = run_publish(server, out, use_import=False, settings={"url": reached})
    assert report.ok, report.result.errors
    assert _hosts(server) == {"localhost", "127.0.0.1"}
    [warning] = [line for line in lines if "gives uploaded images the address" in line]
    assert f"--public-url {server.url}" in warning
    # Later runs read it in the URLs of the search results: rewritten pages link right.
    report, lines = run_publish(
        server, out, use_import=False, force=True, settings={"url": reached}
    )
    assert report.ok, report.result.errors
    assert _hosts(server) == {"127.0.0.1"}
    assert any("the URLs its search returns" in line for line in lines)


def test_an_explicit_public_url_is_used_and_a_difference_is_named(
    server: FakeBookStack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = write_output(small_shelf(), tmp_path)
    monkeypatch.setenv("BOOKSTACK_URL", server.url)
    monkeypatch.setenv("BOOKSTACK_TOKEN_ID", server.token_id)
    monkeypatch.setenv("BOOKSTACK_TOKEN_SECRET", server.token_secret)
    lines: list[str] = []
    monkeypatch.setattr("builtins.print", lambda *a, **k: lines.append(" ".join(map(str, a))))
    args = ["publish", str(out), "--no-import", "--public-url", "https://wiki.example.com/"]
    assert main(args) == 0
    links = "".join(p["html"] for p in server.live("pages"))
    assert 'href="https://wiki.example.com/link/' in links
    assert f'href="{server.url}/link/' not in links
    [warning] = [line for line in lines if "(--public-url)" in line]
    assert "https://wiki.example.com" in warning and f"calls itself {server.url}" in warning
    # A server that calls itself so: no warning (its image URLs agree too).
    with FakeBookStack(app_url="https://wiki.example.com") as same:
        monkeypatch.setenv("BOOKSTACK_URL", same.url)
        lines.clear()
        assert main(args) == 0
        assert not [line for line in lines if line.startswith("warning:")]
        assert 'href="https://wiki.example.com/link/' in "".join(
            page["html"] for page in same.live("pages")
        )


def test_public_url_rules() -> None:
    assert same_url("https://Wiki.example.com:443/", "https://wiki.example.com")
    assert not same_url("http://localhost:8095", "http://127.0.0.1:8095")
    assert same_url("http://w/wiki/", "http://w/wiki")
    assert base_of_entity("https://w.example/wiki/books/guide/page/setup") == (
        "https://w.example/wiki"
    )
    assert base_of_entity("https://w.example/shelves/docs") == "https://w.example"
    assert base_of_entity("https://w.example/link/3") is None
    assert choose_public_url("", "http://a", None, "x") == ("http://a", [])
    assert choose_public_url("", "http://a/", "http://a", "x") == ("http://a", [])
    public, [warning] = choose_public_url("", "http://a", "http://b", "its search")
    assert public == "http://b" and "http://a (--url)" in warning and "its search" in warning
    assert choose_public_url("http://c/", "http://a", "http://c", "x") == ("http://c", [])
