"""What real BookStack servers do that the publisher must survive: web 404 pages, cookies, versions.

Each fake-server behaviour is pinned first (so the fake stays true to a real v25.07.2),
then the publisher is checked against it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from helpers.fake_bookstack.fixtures import run_publish, settings_for, small_shelf, write_output
from helpers.fake_bookstack.server import FakeBookStack

from sphinx_mosaic.publish.client import BookStackClient
from sphinx_mosaic.publish.errors import NotBookStack, RouteMissing

#: (version, has /api/system, has /api/imports), as the real releases have them.
VERSIONS = [
    (None, False, False),  # the oldest API tested: v23.x
    ("v24.12", False, False),
    ("v25.02", False, False),
    ("v25.05", True, False),
    ("v25.07.2", True, True),
    ("v25.11.0", True, True),  # null relation ids, one id sequence for every type
    ("v26.05.4", True, True),
]


def _auth(server: FakeBookStack) -> dict[str, str]:
    return {"Authorization": f"Token {server.token_id}:{server.token_secret}"}


def test_an_unknown_api_route_is_the_web_404_page_with_cookies() -> None:
    with FakeBookStack() as server:
        answer = requests.get(f"{server.url}/api/nothing-here", headers=_auth(server), timeout=5)
        assert answer.status_code == 404
        assert answer.headers["Content-Type"].startswith("text/html")
        assert {"XSRF-TOKEN", "bookstack_session"} <= set(answer.cookies.keys())


def test_a_session_cookie_turns_the_token_into_the_guest() -> None:
    with FakeBookStack() as server, requests.Session() as session:
        session.headers.update(_auth(server))
        assert session.get(f"{server.url}/api/books", timeout=5).status_code == 200
        session.get(f"{server.url}/api/nothing-here", timeout=5)  # keeps the cookies
        refused = session.get(f"{server.url}/api/books", timeout=5)
        assert refused.status_code == 403
        assert "does not have permission to make API calls" in refused.json()["error"]["message"]


@pytest.mark.parametrize(("version", "system", "imports"), VERSIONS)
def test_system_and_imports_routes_follow_the_version(
    version: str | None, system: bool, imports: bool
) -> None:
    with FakeBookStack(version=version) as server:
        for route, present in (("system", system), ("imports", imports)):
            answer = requests.get(f"{server.url}/api/{route}", headers=_auth(server), timeout=5)
            assert (answer.status_code == 200) is present, route
            if not present:
                assert answer.headers["Content-Type"].startswith("text/html")


def test_the_client_never_keeps_or_sends_cookies() -> None:
    with FakeBookStack() as server:
        client = BookStackClient(settings_for(server))
        try:
            with pytest.raises(RouteMissing, match="no such API route"):
                client.get("/api/nothing-here")
            assert client.get("/api/books")["total"] == 0  # not refused as the guest
            assert not list(client.session.cookies)
        finally:
            client.close()
        assert server.cookies_received == 0


def test_an_html_answer_from_every_route_is_a_wrong_url() -> None:
    with FakeBookStack() as server:
        client = BookStackClient(settings_for(server, url=server.url + "/wiki"))
        try:
            with pytest.raises(NotBookStack, match="BookStack base URL"):
                client.get("/api/system")
        finally:
            client.close()
        # /api/system, then the probe /api/books that tells a missing route from a wrong URL.
        assert [path for _, path in server.log] == ["/wiki/api/system", "/wiki/api/books"]


@pytest.mark.parametrize(("version", "system", "imports"), VERSIONS)
def test_every_version_is_published_and_a_rerun_writes_nothing(
    tmp_path: Path, version: str | None, system: bool, imports: bool
) -> None:
    out = write_output(small_shelf(), tmp_path)
    with FakeBookStack(version=version) as server:
        report, lines = run_publish(server, out)
        assert report.ok, report.result.errors
        assert len(server.live("pages")) == 5 and len(server.live("image-gallery")) == 1
        assert server.cookies_received == 0
        posted_imports = server.log.count(("POST", "/api/imports"))
        assert posted_imports == (2 if imports else 0)
        summary = lines[-1]
        if imports:
            assert f"new books through the imports API (BookStack {version} has" in summary
        elif system:
            assert "new books page by page (BookStack v25.05 has no imports API" in summary
        else:
            assert "new books page by page (BookStack before v25.05 (no /api/system)" in summary
        server.reset_counts()
        again, _ = run_publish(server, out)
        assert again.ok and server.writes == 0
        # An old server answers /api/system with the web page: one probe of /api/books tells
        # a missing route from a wrong URL.
        assert server.log.count(("GET", "/api/books")) == (0 if system else 1)


def test_turning_imports_off_is_said_in_the_summary(tmp_path: Path) -> None:
    out = write_output(small_shelf(), tmp_path)
    with FakeBookStack() as server:
        report, lines = run_publish(server, out, use_import=False)
    assert report.ok
    assert lines[-1].endswith("new books page by page (imports turned off; BookStack v25.07.2)")


def test_a_token_that_may_not_import_is_said_in_the_summary(tmp_path: Path) -> None:
    out = write_output(small_shelf(), tmp_path)
    with FakeBookStack(denied={"content-import"}) as server:
        report, lines = run_publish(server, out)
    assert report.ok, report.result.errors
    assert "new books page by page (the server refused the imports API: " in lines[-1]


def test_throttle_answers_carry_retry_after_and_rate_limit_headers() -> None:
    with FakeBookStack(rate_limit=2) as server:
        for _ in range(2):
            requests.get(f"{server.url}/api/books", headers=_auth(server), timeout=5)
        throttled = requests.get(f"{server.url}/api/books", headers=_auth(server), timeout=5)
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) > 0
    assert throttled.headers["X-RateLimit-Limit"] == "2"
    assert throttled.headers["X-RateLimit-Remaining"] == "0"


def test_tags_keep_the_order_they_were_sent_in() -> None:
    with FakeBookStack() as server:
        sent = [{"name": "b", "value": "2"}, {"name": "a", "value": "1"}]
        book = requests.post(
            f"{server.url}/api/books",
            json={"name": "B", "tags": sent},
            headers=_auth(server),
            timeout=5,
        ).json()
        found = requests.get(
            f"{server.url}/api/search", params={"query": "[a=1]"}, headers=_auth(server), timeout=5
        ).json()["data"]
    expected = [{**tag, "order": number} for number, tag in enumerate(sent)]
    assert book["tags"] == expected and found[0]["tags"] == expected


@pytest.mark.parametrize("use_import", [True, False])
def test_v25_11_null_ids_are_read_and_pruned_by_type(tmp_path: Path, use_import: bool) -> None:
    spec = small_shelf()
    out = write_output(spec, tmp_path)
    with FakeBookStack(version="v25.11.0") as server:
        report, _ = run_publish(server, out, use_import=use_import)
        assert report.ok, report.result.errors
        ids = [e["id"] for t in ("books", "chapters", "pages") for e in server.live(t)]
        assert len(ids) == len(set(ids))  # one sequence
        server.reset_counts()
        again, _ = run_publish(server, out, use_import=use_import)
        assert again.ok and server.writes == 0  # null and 0 are both "no chapter"
        spec.books[1].contents.pop()  # reference/glossary
        write_output(spec, out)
        pruned, _ = run_publish(server, out, prune=True)
        assert pruned.ok, pruned.result.errors
        assert len(server.live("pages")) == 4 and len(server.live("books")) == 2


def test_a_zip_over_the_v25_12_upload_limit_is_published_page_by_page(tmp_path: Path) -> None:
    spec = small_shelf()
    spec.page("reference/glossary").text = "A long glossary. " * 400
    out = write_output(spec, tmp_path)
    with FakeBookStack(version="v25.12.0", upload_limit=5_000) as server:
        report, lines = run_publish(server, out)
        assert report.ok, report.result.errors
        assert server.log.count(("POST", "/api/imports")) == 2  # both tried, one refused
        [note] = [line for line in lines if "refused its import" in line]
        assert note.startswith("note: book 'Reference'") and "page by page" in note
        assert "exceeds the configured application maximum upload size" in note
        assert "FILE_UPLOAD_SIZE_LIMIT" in note
        assert len(server.live("pages")) == 5
        server.reset_counts()
        again, _ = run_publish(server, out)
        assert again.ok and server.writes == 0
