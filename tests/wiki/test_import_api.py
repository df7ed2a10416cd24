"""``sphinx-mosaic import --shelf/--book``: books exported through BookStack's API.

The fake server's ZIP export (``GET /api/books/{id}/export/zip``, v25.07+) is pinned
here too: the route, its content type, tokens for links inside the book, images and
attachments as files, and the web 404 page before v25.07.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import requests
from helpers.fake_bookstack.fixtures import png
from helpers.fake_bookstack.server import FakeBookStack

from sphinx_mosaic.cli import main


def fill(server: FakeBookStack) -> dict[str, Any]:
    """A shelf of two books; the first mixes a chapter and a book-level page."""
    guide = server.create(
        "books", name="User Guide", description_html="<p>How to use it.</p>", tags=[]
    )
    other = server.create("books", name="Admin", description_html="<p>For admins.</p>")
    chapter = server.create(
        "chapters", name="Setup", book_id=guide["id"], priority=1, description_html="<p>S.</p>"
    )
    deep = server.create(
        "pages",
        name="Install",
        chapter_id=chapter["id"],
        html='<h2 id="bkmrk-steps">Steps</h2><p id="bkmrk-x">Run it.</p>',
        tags=[{"name": "mosaic-status", "value": "draft"}],
    )
    intro = server.create("pages", name="Intro", book_id=guide["id"], html="<p>x</p>", priority=0)
    image = server.create(
        "image-gallery", uploaded_to=intro["id"], type="gallery", image=("pic.png", png())
    )
    url = server._url_of("pages", deep)
    intro["html"] = (
        f'<p id="bkmrk-a">See <a href="{url}#bkmrk-steps">the steps</a>.</p>'
        f'<p id="bkmrk-b"><img alt="pic" src="{image["url"]}"></p>'
    )
    server.create("pages", name="Users", book_id=other["id"], html="<p>Manage users.</p>")
    shelf = server.create("shelves", name="Handbook", books=[guide["id"], other["id"]])
    shelf["description_html"] = "<p>All of it.</p>"
    return {"guide": guide, "other": other, "shelf": shelf, "intro": intro}


def test_fake_server_exports_a_book_zip() -> None:
    with FakeBookStack() as server:
        made = fill(server)
        answer = requests.get(
            f"{server.url}/api/books/{made['guide']['id']}/export/zip",
            headers={"Authorization": f"Token {server.token_id}:{server.token_secret}"},
            timeout=10,
        )
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        data = json.loads(archive.read("data.json"))
        names = archive.namelist()
    book = data["book"]
    assert [c["name"] for c in book["chapters"]] == ["Setup"]
    assert [p["name"] for p in book["pages"]] == ["Intro"]
    intro = book["pages"][0]
    assert "[[bsexport:page:" in intro["html"] and "#bkmrk-steps" in intro["html"]
    assert "[[bsexport:image:" in intro["html"]
    assert f"files/{intro['images'][0]['file']}" in names


def test_fake_server_has_no_export_route_before_v25_07() -> None:
    with FakeBookStack(version="v24.10") as server:
        book = server.create("books", name="B")
        answer = requests.get(
            f"{server.url}/api/books/{book['id']}/export/zip",
            headers={"Authorization": f"Token {server.token_id}:{server.token_secret}"},
            timeout=10,
        )
    assert answer.status_code == 404
    assert answer.headers["Content-Type"].startswith("text/html")


def _env(monkeypatch: pytest.MonkeyPatch, server: FakeBookStack) -> None:
    monkeypatch.setenv("BOOKSTACK_URL", server.url)
    monkeypatch.setenv("BOOKSTACK_TOKEN_ID", server.token_id)
    monkeypatch.setenv("BOOKSTACK_TOKEN_SECRET", server.token_secret)


def test_import_a_shelf_through_the_api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "tree"
    with FakeBookStack() as server:
        made = fill(server)
        _env(monkeypatch, server)
        assert main(["import", "--shelf", made["shelf"]["slug"], "-o", str(out)]) == 0
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md"))
    assert files == [
        "1-user-guide/1-intro.md",
        "1-user-guide/2-setup/1-install.md",
        "1-user-guide/2-setup/README.md",
        "1-user-guide/README.md",
        "2-admin/1-users.md",
        "2-admin/README.md",
        "README.md",
    ]
    assert (out / "README.md").read_text() == "# Handbook\n\nAll of it.\n"
    assert (out / "1-user-guide/1-intro.md").read_text() == (
        "# Intro\n\nSee [the steps](/user-guide/setup/install#steps).\n\n![pic](img/pic.png)\n"
    )
    assert (out / "1-user-guide/img/pic.png").read_bytes() == png()
    assert (
        (out / "1-user-guide/2-setup/1-install.md")
        .read_text()
        .startswith("---\nstatus: draft\n---\n\n# Install\n")
    )


def test_import_a_book_by_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "tree"
    with FakeBookStack() as server:
        made = fill(server)
        _env(monkeypatch, server)
        assert main(["import", "--book", str(made["other"]["id"]), "-o", str(out)]) == 0
    assert (out / "2-admin").exists() is False
    assert (out / "1-admin/1-users.md").read_text() == "# Users\n\nManage users.\n"


def test_api_import_on_an_old_server_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeBookStack(version="v24.10") as server:
        book = server.create("books", name="B")
        _env(monkeypatch, server)
        assert main(["import", "--book", str(book["id"]), "-o", str(tmp_path / "t")]) == 2
    err = capsys.readouterr().err
    assert "no ZIP export in its API (BookStack v25.07 and later have it)" in err
    assert "Portable ZIP" in err


def test_sources_and_server_options_exclude_each_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(tmp_path / "x.zip"), "--book", "1", "-o", str(tmp_path / "t")]) == 2
    assert main(["import", "-o", str(tmp_path / "t")]) == 2
    assert "not both" in capsys.readouterr().err
