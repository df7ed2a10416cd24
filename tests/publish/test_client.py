"""The HTTP client on its own, the plan printout, the command line and the build hook."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.cli import undocumented_options
from helpers.fake_bookstack.fixtures import FakeClock, run_publish, small_shelf, write_output
from helpers.fake_bookstack.server import FakeBookStack

from sphinx_mosaic.bookstack.format.model import Book, Page
from sphinx_mosaic.cli import main
from sphinx_mosaic.publish.bundle import load_bundle
from sphinx_mosaic.publish.client import ClientSettings, RateLimiter, parse_retry_after
from sphinx_mosaic.publish.errors import SettingsError
from sphinx_mosaic.publish.links import render


@pytest.fixture
def server() -> Iterator[FakeBookStack]:
    with FakeBookStack() as fake:
        yield fake


def test_rate_limiter_never_exceeds_the_budget_in_any_minute() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_minute=180, clock=clock)
    sent: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(125):
            limiter.acquire()
            with lock:
                sent.append(clock.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent.sort()
    assert len(sent) == 500
    assert max(sum(1 for t in sent if start <= t < start + 60) for start in sent) <= 180
    assert sent[-1] - sent[0] >= 120  # 500 requests need at least two full waits


def test_pause_holds_every_request() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_minute=1000, clock=clock)
    limiter.pause(7)
    limiter.acquire()
    assert clock.now - 1000 >= 7


def test_retry_after_formats() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert parse_retry_after("soon") is None


def test_settings_are_checked_before_anything_is_sent() -> None:
    with pytest.raises(SettingsError, match="BOOKSTACK_TOKEN_SECRET"):
        ClientSettings("https://wiki.example", "id", "").check()
    with pytest.raises(SettingsError, match="http:// or https://"):
        ClientSettings("wiki.example", "id", "secret").check()
    assert "secret" not in repr(ClientSettings("https://wiki.example", "id", "secret"))


def test_cross_links_keep_their_anchor(tmp_path: Path) -> None:
    bundle = load_bundle(write_output(small_shelf(), tmp_path))
    book = bundle.books[1]
    api = book.pages[0]
    body, unresolved = render(api, book, lambda kind, key: f"https://w/{kind}/{key}", {})
    assert 'href="https://w/page/getting-started/setup/configure#bkmrk-intro"' in body
    assert unresolved == []
    # A target missing from the server: the link's text stays, without a target.
    body, unresolved = render(api, book, lambda kind, key: None, {})
    assert [u.what for u in unresolved] == ["page getting-started/setup/configure"]
    assert "/books/" not in body and "<a " not in body
    assert "<p>to getting-started/setup/configure</p>" in body


def _install_page(tmp_path: Path) -> tuple[Book, Page]:
    spec = small_shelf()
    spec.page("getting-started/setup/install").attachments = [("notes.txt", b"n")]
    spec.page("getting-started/setup/install").links.append("getting-started/overview")
    bundle = load_bundle(write_output(spec, tmp_path))
    book = bundle.books[0]
    return book, next(p for p in book.iter_pages() if p.key == "getting-started/setup/install")


def test_no_zip_reference_is_ever_sent(tmp_path: Path) -> None:
    book, page = _install_page(tmp_path)
    assert page.html.count("[[bsexport:") == 3  # a page, an image, an attachment
    everything = {("image", 1): "https://w/img.png", ("attachment", 1): "https://w/att/1"}
    body, unresolved = render(page, book, lambda kind, key: f"https://w/{kind}/{key}", everything)
    assert unresolved == [] and "bsexport" not in body
    assert '<img src="https://w/img.png" alt="diagram.png">' in body
    # Nothing on the server: the image becomes its alt text, the links their text.
    body, unresolved = render(page, book, lambda kind, key: None, {})
    assert "bsexport" not in body and "<img" not in body and "<a " not in body
    assert "<p>diagram.png</p>" in body and "<p>notes.txt</p>" in body
    assert "<p>to getting-started/overview</p>" in body
    assert sorted(u.what for u in unresolved) == [
        "attachment 'notes.txt'",
        "image 'diagram.png'",
        "page getting-started/overview",
        "page reference/api",
    ]
    # An image without alt text becomes its file name; a reference elsewhere just goes.
    page.html = '<p><img src="[[bsexport:image:1]]"> [[bsexport:page:99]]</p>'
    body, unresolved = render(page, book, lambda kind, key: None, {})
    assert body == "<p>diagram.png </p>" and len(unresolved) == 2


def test_no_zip_reference_is_sent_in_markdown_either(tmp_path: Path) -> None:
    book, page = _install_page(tmp_path)
    page.markdown = (
        "See [the overview]([[bsexport:page:1]]#bkmrk-intro), ![A diagram]([[bsexport:image:1]])"
        " and ![]([[bsexport:image:1]]).\n"
    )
    body, unresolved = render(page, book, lambda kind, key: None, {})
    assert body == "See the overview, A diagram and diagram.png.\n"
    assert len(unresolved) == 3
    body, _ = render(page, book, lambda kind, key: f"https://w/{kind}", {("image", 1): "https://i"})
    assert body.startswith(
        "See [the overview](https://w/page#bkmrk-intro), ![A diagram](https://i)"
    )


def test_cli_publishes_with_the_environment(
    server: FakeBookStack,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = write_output(small_shelf(), tmp_path)
    monkeypatch.setenv("BOOKSTACK_URL", server.url)
    monkeypatch.setenv("BOOKSTACK_TOKEN_ID", server.token_id)
    monkeypatch.setenv("BOOKSTACK_TOKEN_SECRET", server.token_secret)
    assert main(["publish", str(out), "--dry-run"]) == 0
    assert server.writes == 0
    assert main(["publish", str(out)]) == 0
    printed = capsys.readouterr()
    assert "plan: 2 import, 7 create" in printed.out
    assert server.token_secret not in printed.out + printed.err
    assert len(server.live("pages")) == 5


def test_cli_reports_a_bad_token_and_fails(
    server: FakeBookStack,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = write_output(small_shelf(), tmp_path)
    monkeypatch.setenv("BOOKSTACK_TOKEN_SECRET", "not-the-secret")
    args = ["publish", str(out), "--url", server.url, "--token-id", server.token_id]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "refused the API token" in err and "not-the-secret" not in err
    monkeypatch.delenv("BOOKSTACK_TOKEN_SECRET")
    assert main(args) == 1
    assert "BOOKSTACK_TOKEN_SECRET" in capsys.readouterr().err


def test_plan_lists_only_changes_unless_verbose(server: FakeBookStack, tmp_path: Path) -> None:
    out = write_output(small_shelf(), tmp_path)
    run_publish(server, out)
    _, quiet = run_publish(server, out)
    _, verbose = run_publish(server, out, verbose=True)
    assert not any("unchanged" in line for line in quiet[1:-2])
    assert sum(line.startswith("  unchanged") for line in verbose) == 9


def test_a_dry_run_without_url_says_how_to_give_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = write_output(small_shelf(), tmp_path)
    monkeypatch.delenv("BOOKSTACK_URL", raising=False)
    monkeypatch.setenv("BOOKSTACK_TOKEN_ID", "id")
    monkeypatch.setenv("BOOKSTACK_TOKEN_SECRET", "secret-value")
    assert main(["publish", str(out), "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert "no BookStack URL: set BOOKSTACK_URL or pass --url" in err
    assert "''" not in err  # not "the BookStack URL '' must start with http://"


def test_an_unreachable_server_is_reported_at_once_and_a_dry_run_says_nothing_was_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket
    import time

    out = write_output(small_shelf(), tmp_path)
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("BOOKSTACK_TOKEN_ID", "id")
    monkeypatch.setenv("BOOKSTACK_TOKEN_SECRET", "secret-value")
    started = time.monotonic()
    assert main(["publish", str(out), "--dry-run", "--url", f"http://127.0.0.1:{port}"]) == 1
    # No back-off for an address where nothing has ever answered (0.2 waited 19 s).
    assert time.monotonic() - started < 5
    err = capsys.readouterr().err
    assert f"could not connect to http://127.0.0.1:{port}" in err
    assert "Nothing was written (a dry run only reads)" in err
    assert "resumes where it stopped" not in err
    assert main(["publish", str(out), "--url", f"http://127.0.0.1:{port}"]) == 1
    assert "resumes where it stopped" in capsys.readouterr().err


def test_every_option_of_publish_is_in_the_reference() -> None:
    assert undocumented_options("publish", "2-publish.md") == []
