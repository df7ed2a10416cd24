"""Rate limits, server faults, interrupted runs and the errors a user can act on."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.fake_bookstack.fixtures import (
    FakeClock,
    ShelfSpec,
    big_shelf,
    run_publish,
    settings_for,
    small_shelf,
    snapshot,
    write_output,
)
from helpers.fake_bookstack.server import FakeBookStack

from sphinx_mosaic.publish.errors import AuthError, NotBookStack, ServerUnreachable
from sphinx_mosaic.publish.publisher import PublishOptions, publish


@pytest.fixture
def server() -> Iterator[FakeBookStack]:
    with FakeBookStack() as fake:
        yield fake


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return write_output(small_shelf(), tmp_path)


def reference_state(out: Path, **options: object) -> dict:
    """The end state of an undisturbed run, for comparison."""
    with FakeBookStack() as clean:
        report, _ = run_publish(clean, out, **options)
        assert report.ok
        return snapshot(clean, "Demo")


def test_429_with_retry_after_pauses_every_worker(server: FakeBookStack, out: Path) -> None:
    server.fail(429, count=3, retry_after="1")
    clock = FakeClock()
    report, _ = run_publish(server, out, clock=clock, use_import=False)
    assert report.ok, report.result.errors
    assert clock.sleeps.count(1.0) >= 1  # waited what the server asked, no busy retry loop
    assert clock.now - 1000 >= 1.0
    assert snapshot(server, "Demo") == reference_state(out, use_import=False)


def test_the_budget_keeps_the_server_throttle_quiet(tmp_path: Path) -> None:
    out = write_output(big_shelf(pages=60, books=2, chapters_per_book=1), tmp_path)
    clock = FakeClock()
    with FakeBookStack(rate_limit=20, clock=clock) as server:
        report, _ = run_publish(
            server, out, clock=clock, use_import=False, settings={"requests_per_minute": 20}
        )
        assert report.ok
        assert server.throttled == 0
        sent = len(server.log)
        assert sent > 60 and clock.now - 1000 >= 60 * (sent // 20 - 1)


def test_over_budget_client_recovers_from_the_server_throttle(tmp_path: Path) -> None:
    out = write_output(big_shelf(pages=60, books=2, chapters_per_book=1), tmp_path)
    clock = FakeClock()
    with FakeBookStack(rate_limit=20, clock=clock) as server:
        report, _ = run_publish(
            server, out, clock=clock, use_import=False, settings={"requests_per_minute": 1000}
        )
        assert report.ok, report.result.errors
        assert server.throttled > 0
        assert len(server.tagged("pages", "mosaic-project", "Big")) == 60


def test_bursts_of_5xx_are_retried(server: FakeBookStack, out: Path) -> None:
    server.fail(503, count=3, method="GET")
    server.fail(502, count=2, method="PUT")
    report, _ = run_publish(server, out, use_import=False)
    assert report.ok, report.result.errors
    assert snapshot(server, "Demo") == reference_state(out, use_import=False)


def test_a_5xx_to_a_create_is_never_sent_again(server: FakeBookStack, out: Path) -> None:
    # Whether a create that answered 500 was saved is unknown (BookStack may have saved
    # it and hidden it): the parent is read, and what it does not show is reported.
    server.fail(500, count=1, method="POST", path="/api/pages$")
    report, _ = run_publish(server, out, use_import=False)
    [error] = report.result.errors
    assert "HTTP 500" in error and "bookstack:regenerate-permissions" in error
    creates = server.log.count(("POST", "/api/pages"))
    assert creates == 5  # one each; the refused one not sent twice
    # The next run creates it; nothing is duplicated.
    report, _ = run_publish(server, out, use_import=False)
    assert report.ok, report.result.errors
    assert snapshot(server, "Demo") == reference_state(out, use_import=False)


def test_lost_answers_to_creates_make_no_duplicates(server: FakeBookStack, out: Path) -> None:
    # The server creates these, but the answers never arrive.
    server.drop(count=2, method="POST", path="/api/pages$", after=True)
    server.drop(count=1, method="POST", path="/api/image-gallery$", after=True)
    server.drop(count=1, method="POST", path="/api/attachments$", after=True)
    server.drop(count=1, method="POST", path="/api/books$", after=True)
    report, _ = run_publish(server, out, use_import=False)
    assert report.ok, report.result.errors
    assert len(server.live("pages")) == 5 and len(server.live("books")) == 2
    assert len(server.live("image-gallery")) == 1 and len(server.live("attachments")) == 1
    assert snapshot(server, "Demo") == reference_state(out, use_import=False)


@pytest.mark.parametrize("after", [True, False], ids=["after-running", "before-running"])
def test_lost_answer_to_an_import_makes_no_duplicate(
    server: FakeBookStack, out: Path, after: bool
) -> None:
    server.drop(count=1, method="POST", path=r"/api/imports/\d+$", after=after)
    report, _ = run_publish(server, out)
    assert report.ok, report.result.errors
    assert len(server.live("books")) == 2 and len(server.live("pages")) == 5
    assert server.live("imports") == []  # nothing left staged


@pytest.mark.parametrize(
    ("use_import", "writes_before_crash"),
    # An undisturbed first run writes 7 times with the import API, 13 times without.
    [(True, 1), (True, 2), (True, 4), (True, 6), (False, 1), (False, 4), (False, 8), (False, 12)],
)
def test_a_run_killed_half_way_finishes_on_the_next_run(
    tmp_path: Path, use_import: bool, writes_before_crash: int
) -> None:
    spec: ShelfSpec = small_shelf()
    out = write_output(spec, tmp_path)
    with FakeBookStack() as server:
        server.down_after_writes(writes_before_crash)
        with pytest.raises(ServerUnreachable, match="resumes where it stopped"):
            run_publish(server, out, use_import=use_import, settings={"attempts": 2})
        server.up()
        report, _ = run_publish(server, out, use_import=use_import)
        assert report.ok, report.result.errors
        assert len(server.live("pages")) == 5 and len(server.live("books")) == 2
        assert len(server.live("chapters")) == 1 and len(server.live("shelves")) == 1
        assert len(server.live("image-gallery")) == 1 and len(server.live("attachments")) == 1
        final = snapshot(server, "Demo")
        server.reset_counts()
        run_publish(server, out, use_import=use_import)
        assert server.writes == 0
    assert final == reference_state(out, use_import=use_import) or use_import
    if use_import:
        # The import may or may not have happened before the crash; compare the structure.
        expected = reference_state(out, use_import=True)
        assert {k: v[0] for k, v in final.items()} == {k: v[0] for k, v in expected.items()}


def test_bad_token_is_reported_without_the_secret(server: FakeBookStack, out: Path) -> None:
    with pytest.raises(AuthError) as caught:
        run_publish(server, out, settings={"token_secret": "wrong-secret-value"})
    message = str(caught.value)
    assert "BOOKSTACK_TOKEN_SECRET" in message and "incorrect" in message
    assert "wrong-secret-value" not in message and server.token_secret not in message
    assert server.writes == 0


def test_missing_api_permission_names_the_permission(out: Path) -> None:
    with FakeBookStack(api_permission=False) as server, pytest.raises(AuthError) as caught:
        run_publish(server, out)
    assert "Access System API" in str(caught.value)


def test_wrong_url_is_explained(server: FakeBookStack, out: Path) -> None:
    with pytest.raises(NotBookStack, match="BookStack base URL"):
        run_publish(server, out, settings={"url": server.url + "/wiki"})


def test_validation_errors_name_the_page(server: FakeBookStack, tmp_path: Path) -> None:
    spec = small_shelf()
    spec.page("reference/glossary").name = "G" * 300
    report, lines = run_publish(server, write_output(spec, tmp_path), use_import=False)
    assert not report.ok
    [error] = report.result.errors
    assert error.startswith("page 'GGG")
    assert "(reference/glossary.md)" in error and "HTTP 422" in error
    assert "name: The name may not be greater than 255 characters." in error
    assert any(line.startswith("error: page 'GGG") for line in lines)
    assert len(server.live("pages")) == 4  # the others were published


def test_a_failed_import_names_the_book_and_publishes_it_page_by_page(out: Path) -> None:
    with FakeBookStack(import_failure="[book] The book could not be created") as server:
        report, lines = run_publish(server, out)
        assert report.ok, report.result.errors
        assert len(server.live("pages")) == 5 and server.live("imports") == []
    notes = [line for line in lines if line.startswith("note: book 'Getting Started'")]
    assert notes and "The book could not be created" in notes[0] and "page by page" in notes[0]


@pytest.mark.parametrize("server_options", [{"version": None}, {"denied": {"content-import"}}])
def test_servers_without_imports_get_pages_one_by_one(out: Path, server_options: dict) -> None:
    with FakeBookStack(**server_options) as server:
        report, lines = run_publish(server, out)
        assert report.ok, report.result.errors
        assert len(server.live("pages")) == 5
        assert not any(
            p.startswith("/api/imports") and m == "POST" and p.count("/") > 2 for m, p in server.log
        )
    if "version" in server_options:
        assert not any("import" in line for line in lines[:-1])
    else:
        assert any("imports API is not available" in line for line in lines)


def test_import_validation_errors_name_the_page(server: FakeBookStack, tmp_path: Path) -> None:
    spec = small_shelf()
    spec.page("getting-started/setup/configure").name = " "
    report, lines = run_publish(server, write_output(spec, tmp_path))
    [note] = [line for line in lines if "refused its import" in line]
    assert "HTTP 422" in note and "ZIP upload failed" in note
    assert (
        "[page ' ' (getting-started/setup/configure.md): name] The name field is required." in note
    )
    # Page by page, the one bad page is refused alone and named; the others are published.
    [error] = report.result.errors
    assert "(getting-started/setup/configure.md)" in error and "HTTP 422" in error
    assert len(server.live("pages")) == 4


def test_a_zip_too_large_for_the_server_falls_back_for_that_book(tmp_path: Path) -> None:
    spec = small_shelf()
    spec.page("reference/glossary").attachments = [("big.bin", b"x" * 200_000)]
    out = write_output(spec, tmp_path)
    with FakeBookStack(max_body=100_000) as server:
        report, lines = run_publish(server, out)
        assert report.ok, report.result.errors
        assert server.log.count(("POST", "/api/imports")) == 2  # both tried, one refused
        assert any("book 'Reference'" in line and "page by page" in line for line in lines)
        assert len(server.live("pages")) == 5 and len(server.live("attachments")) == 2


def test_slow_answers_time_out_and_are_retried(server: FakeBookStack, out: Path) -> None:
    server.slow(count=1, seconds=0.6, method="GET", path="/api/search")
    server.slow(count=1, seconds=0.6, method="PUT")
    report, _ = run_publish(server, out, use_import=False, settings={"timeout": 0.2})
    assert report.ok, report.result.errors
    # One GET and one PUT timed out and were sent again (a clean run sends 2 of each).
    assert (report.requests.by_method["GET"], report.requests.by_method["PUT"]) == (3, 3)
    time.sleep(0.7)  # let the server finish the abandoned requests before comparing
    assert snapshot(server, "Demo") == reference_state(out, use_import=False)


class Killed(BaseException):
    """Stands for the process dying: not an Exception, so nothing catches it on the way."""


@pytest.mark.parametrize("use_import", [True, False])
@pytest.mark.parametrize("after_actions", [1, 3, 5])
def test_a_killed_process_leaves_a_state_the_next_run_completes(
    tmp_path: Path, use_import: bool, after_actions: int
) -> None:
    out = write_output(small_shelf(), tmp_path)
    done: list[str] = []

    def progress(line: str) -> None:
        if line.startswith("["):
            done.append(line)
            if len(done) == after_actions:
                raise Killed

    with FakeBookStack() as server:
        with pytest.raises(Killed):
            publish(
                out,
                settings_for(server),
                PublishOptions(use_import=use_import),
                out=progress,
                clock=FakeClock(),
            )
        report, _ = run_publish(server, out, use_import=use_import)
        assert report.ok, report.result.errors
        assert len(server.live("pages")) == 5 and len(server.live("books")) == 2
        assert len(server.live("image-gallery")) == 1 and len(server.live("attachments")) == 1
        final = snapshot(server, "Demo")
    expected = reference_state(out, use_import=use_import)
    if use_import:
        assert {k: v[0] for k, v in final.items()} == {k: v[0] for k, v in expected.items()}
    else:
        assert final == expected
