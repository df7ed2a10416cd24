"""The API token secret never shows: not in output, logs, warnings, errors or tracebacks.

Every test captures everything a user could see (the lines the publisher
prints, stdout and stderr, Python logging at DEBUG, Sphinx's status and warning
streams at -vv) and asserts the secret string is absent.  Servers that echo the
``Authorization`` header back (in an error message, a validation message or a
redirect) stand for a misbehaving server or proxy.
"""

from __future__ import annotations

import json
import logging
import traceback
from pathlib import Path
from typing import Any

import pytest
from helpers.build import build
from helpers.fake_bookstack.fixtures import (
    FakeClock,
    run_publish,
    settings_for,
    small_shelf,
    write_output,
)
from helpers.fake_bookstack.server import FakeBookStack, Request

import sphinx_mosaic.publish.after_build  # noqa: F401 - declares the mosaic_publish* options
from sphinx_mosaic import cli
from sphinx_mosaic.publish.client import BookStackClient
from sphinx_mosaic.publish.errors import PublishError, SettingsError, redact
from sphinx_mosaic.publish.publisher import PublishOptions, publish

SECRET = "Sx9-very-secret-token-value-0042"
TOKEN_ID = "safety-token-id"


class EchoingBookStack(FakeBookStack):
    """A fake server that quotes the request's Authorization header back.

    *echo* picks where: ``"auth"`` (a 401 message), ``"validation"`` (a 422 on
    creating pages) or ``"redirect"`` (a 302 whose Location holds the header).
    """

    echo: str = "auth"

    def handle(self, request: Request) -> tuple[int, dict[str, str], bytes] | object:
        header = request.headers.get("authorization", "")
        if self.echo == "auth":
            body = {"error": {"message": f"Token not accepted: {header}", "code": 401}}
            return 401, {}, json.dumps(body).encode()
        if self.echo == "redirect":
            return 302, {"Location": f"/login?was={header}"}, b""
        if self.echo == "validation" and request.method == "POST":
            body = {
                "error": {
                    "message": f"The given data was invalid ({header}).",
                    "code": 422,
                    "validation": {"name": [f"rejected for {header}"]},
                }
            }
            return 422, {}, json.dumps(body).encode()
        return super().handle(request)


def server_with(echo: str | None = None) -> FakeBookStack:
    if echo is None:
        return FakeBookStack(token_id=TOKEN_ID, token_secret=SECRET)
    server = EchoingBookStack(token_id=TOKEN_ID, token_secret=SECRET)
    server.echo = echo
    return server


@pytest.fixture
def output(tmp_path: Path) -> Path:
    return write_output(small_shelf("Secrets"), tmp_path / "out")


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)  # urllib3, requests and tenacity log at DEBUG
    return caplog


def assert_hidden(*texts: str) -> None:
    for text in texts:
        assert SECRET not in text
    assert any(texts), "nothing was captured: the test would prove nothing"


def test_a_verbose_publish_and_a_dry_run_never_show_the_secret(
    output: Path, debug_logs: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    with server_with() as server:
        report, lines = run_publish(server, output, verbose=True)
        assert report.ok and server.writes > 0
        _, dry_lines = run_publish(server, output, verbose=True, dry_run=True)
    captured = capsys.readouterr()
    assert_hidden("\n".join(lines + dry_lines), debug_logs.text, captured.out + captured.err)
    assert any("GET /api/" in record.getMessage() for record in debug_logs.records)


@pytest.mark.parametrize("echo", ["auth", "validation", "redirect"])
def test_a_server_echoing_the_token_is_redacted_in_errors(
    echo: str, output: Path, debug_logs: pytest.LogCaptureFixture
) -> None:
    with server_with(echo) as server:
        lines: list[str] = []
        try:
            report = publish(
                output,
                settings_for(server),
                PublishOptions(verbose=True, use_import=False),
                out=lines.append,
                clock=FakeClock(),
            )
        except PublishError as exc:
            shown = [str(exc), "".join(traceback.format_exception(exc))]
        else:
            assert report.result.errors, "the echoing server should have caused errors"
            shown = report.result.errors
    assert_hidden("\n".join(shown), "\n".join(lines), debug_logs.text)
    assert "***" in "\n".join(shown + lines)  # the echo was there, and was redacted


def run_cli(argv: list[str], monkeypatch: pytest.MonkeyPatch, secret: str = SECRET) -> int:
    monkeypatch.setenv("BOOKSTACK_TOKEN_ID", TOKEN_ID)
    monkeypatch.setenv("BOOKSTACK_TOKEN_SECRET", secret)
    return cli.main(argv)


def test_the_command_line_hides_the_secret_on_success_and_on_errors(
    output: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    with server_with() as server:
        ok = run_cli(["publish", str(output), "--url", server.url, "-v", "--dry-run"], monkeypatch)
    with server_with("auth") as server:
        failed = run_cli(["publish", str(output), "--url", server.url, "-v"], monkeypatch)
    captured = capsys.readouterr()
    assert (ok, failed) == (0, 1)
    assert "error:" in captured.err
    assert_hidden(captured.out, captured.err, debug_logs.text)


@pytest.mark.parametrize(
    "secret",
    [f"{SECRET}\nX-Injected: 1", f"{SECRET} with spaces", f"{SECRET}é"],
    ids=["newline", "space", "non-ascii"],
)
def test_a_malformed_secret_is_refused_without_quoting_it(
    secret: str, output: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # requests would refuse such a header with a message quoting it, secret and all.
    with server_with() as server:
        with pytest.raises(SettingsError) as raised:
            BookStackClient(settings_for(server, token_secret=secret))
        status = run_cli(["publish", str(output), "--url", server.url], monkeypatch, secret)
        assert server.reads == 0  # nothing was sent
    captured = capsys.readouterr()
    assert status == 1 and "token secret" in captured.err
    assert_hidden(
        str(raised.value), "".join(traceback.format_exception(raised.value)), captured.err
    )


def test_a_password_in_the_url_is_redacted(output: Path) -> None:
    password = "UrlPassw0rd-in-the-url"
    with server_with("redirect") as server:
        url = server.url.replace("://", f"://user:{password}@")
        with pytest.raises(PublishError) as raised:
            publish(output, settings_for(server, url=url), PublishOptions(), out=lambda _: None)
    message = str(raised.value)
    assert "redirected" in message and password not in message and SECRET not in message


def test_reprs_never_show_the_secret() -> None:
    with server_with() as server:
        settings = settings_for(server)
        client = BookStackClient(settings)
        client.close()
    assert_hidden(repr(settings), repr(client), str(settings))


def test_redact_replaces_every_occurrence_and_ignores_tiny_values() -> None:
    assert redact(f"a {SECRET} b {SECRET}", [SECRET]) == "a *** b ***"
    assert redact("banana", ["a"]) == "banana"  # too short to search for without garbling
    assert redact("nothing here", [""]) == "nothing here"


def minimal_root(tmp_path: Path) -> Path:
    srcdir = tmp_path / "src"
    (srcdir / "1-book").mkdir(parents=True)
    (srcdir / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_mosaic"]\nproject = "Secret test"\n'
        'copyright = "2026"\nversion = release = "1.0"\nmosaic_page_footer = False\n'
        "mosaic_last_updated_sources = []\n"
    )
    (srcdir / "README.md").write_text("# Shelf\n\nThe shelf.\n")
    (srcdir / "1-book" / "README.md").write_text("# Book\n\nThe book.\n")
    (srcdir / "1-book" / "1-page.md").write_text("# Page\n\nText.\n")
    return srcdir


@pytest.mark.parametrize("echo", [None, "auth"], ids=["success", "refused"])
def test_a_very_verbose_build_that_publishes_never_shows_the_secret(
    echo: str | None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    srcdir = minimal_root(tmp_path)
    monkeypatch.setenv("BOOKSTACK_TOKEN_SECRET", SECRET)
    with server_with(echo) as server:
        overrides: dict[str, Any] = {
            "mosaic_publish": True,
            "mosaic_publish_url": server.url,
            "mosaic_publish_token_id": TOKEN_ID,
            "mosaic_publish_requests_per_minute": 100_000,
        }
        built = build(srcdir, tmp_path / "_build", confoverrides=overrides, verbosity=2)
        published = server.tagged("pages", "mosaic-project", "Secret test")
    assert_hidden(built.status, built.warnings, debug_logs.text)
    if echo is None:
        assert published and built.warnings == ""
    else:
        assert "[mosaic.publish]" in built.warnings and "***" in built.warnings
