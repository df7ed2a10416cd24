"""A server that refuses a file: the book is still published, page by page, and the file named."""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import requests
from helpers.fake_bookstack.fixtures import BROKEN_PNG, PNG, run_publish, small_shelf, write_output
from helpers.fake_bookstack.server import FakeBookStack


def _auth(server: FakeBookStack) -> dict[str, str]:
    return {"Authorization": f"Token {server.token_id}:{server.token_secret}"}


def _zip(data: dict, files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("data.json", json.dumps(data))
        for name, payload in files.items():
            archive.writestr(name, payload)
    return out.getvalue()


def _book_with_image(ref: str) -> dict:
    page = {"id": 1, "name": "P", "html": "<p>x</p>", "images": [{"id": 1, "name": "i.png",
            "file": ref, "type": "gallery"}]}  # fmt: skip
    return {"book": {"id": 1, "name": "B", "chapters": [{"id": 1, "name": "C", "pages": [page]}]}}


def test_the_fixture_png_is_a_real_image() -> None:
    assert PNG.startswith(b"\x89PNG\r\n\x1a\n")
    offset, chunks = 8, {}
    while offset < len(PNG):
        (length,) = struct.unpack(">I", PNG[offset : offset + 4])
        kind, data = PNG[offset + 4 : offset + 8], PNG[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", PNG[offset + 8 + length : offset + 12 + length])
        assert crc == zlib.crc32(kind + data), kind
        chunks[kind] = data
        offset += 12 + length
    assert list(chunks) == [b"IHDR", b"IDAT", b"IEND"]
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    assert len(zlib.decompress(chunks[b"IDAT"])) == height * (1 + 3 * width)


def test_the_gallery_checks_images_by_content() -> None:
    with FakeBookStack() as server:
        page = server.create("books", name="B")
        page = server.create("pages", book_id=page["id"], name="P", html="<p>x</p>")
        for data, status in ((PNG, 200), (BROKEN_PNG, 422)):
            answer = requests.post(
                f"{server.url}/api/image-gallery",
                headers=_auth(server),
                data={"type": "gallery", "uploaded_to": page["id"]},
                files={"image": ("i.png", data, "image/png")},
                timeout=5,
            )
            assert answer.status_code == status
        assert "jpeg, png, gif, webp, avif" in str(answer.json())


def test_an_import_with_a_fake_png_is_refused_whole() -> None:
    with FakeBookStack() as server:
        answer = requests.post(
            f"{server.url}/api/imports",
            headers=_auth(server),
            files={"file": ("b.zip", _zip(_book_with_image("i.png"), {"files/i.png": BROKEN_PNG}))},
            timeout=5,
        )
    assert answer.status_code == 422
    body = answer.json()
    assert body["status"] == "error"
    assert (
        "[book.chapters.0.pages.0.images.0.file] The file needs to reference a file of type "
        "image/png,image/jpeg,image/gif,image/webp, found application/octet-stream."
    ) in body["message"]


def test_a_zip_naming_a_file_it_lacks_is_a_server_error() -> None:
    with FakeBookStack() as server:
        answer = requests.post(
            f"{server.url}/api/imports",
            headers=_auth(server),
            files={"file": ("b.zip", _zip(_book_with_image("gone.png"), {}))},
            timeout=5,
        )
    assert answer.status_code == 500
    assert "fread()" in answer.json()["error"]["message"]


def test_a_book_with_a_broken_image_still_gets_all_its_pages(tmp_path: Path) -> None:
    spec = small_shelf()
    spec.page("getting-started/setup/install").images = [("diagram.png", BROKEN_PNG)]
    out = write_output(spec, tmp_path)
    with FakeBookStack() as server:
        report, lines = run_publish(server, out)
        pages = {p["name"]: p for p in server.live("pages")}
        assert sorted(pages) == ["API", "Configure", "Glossary", "Install", "Overview"]
        assert "Some text." in pages["Install"]["html"]
        assert server.live("image-gallery") == []  # the bad image reached no page
        # The other book was imported; this one went page by page, the file named.
        assert server.log.count(("POST", "/api/imports")) == 2
        assert len(server.tagged("books", "mosaic-project", "Demo")) == 2
        [note] = [line for line in lines if "refused its import" in line]
        assert "book 'Getting Started'" in note and "page by page" in note
        assert "image 'diagram.png' (files/img0x1.png)" in note
        [error] = report.result.errors
        assert error.startswith("page 'Install' (getting-started/setup/install.md): image")
        assert "'diagram.png'" in error and "published without it" in error
        # ...really without it: its alt text in its place, no reference (BookStack would
        # store it URL-encoded: a broken image).
        assert "<p>diagram.png</p>" in pages["Install"]["html"]
        assert "bsexport" not in pages["Install"]["html"] and "<img" not in pages["Install"]["html"]
        assert not report.ok
        # The page is left unfinished, so the next run tries the image again, and only it.
        server.reset_counts()
        again, _ = run_publish(server, out)
        assert [e.split(":")[0] for e in again.result.errors] == [error.split(":")[0]]
        assert server.counts["PUT"] == 1 and ("POST", "/api/pages") not in server.log


def test_an_import_the_server_fails_on_goes_page_by_page(tmp_path: Path) -> None:
    out = write_output(small_shelf(), tmp_path)
    with FakeBookStack() as server:
        server.fail(500, count=3, method="POST", path=r"^/api/imports$")
        report, lines = run_publish(server, out)
        assert report.ok, report.result.errors
        assert len(server.live("pages")) == 5 and len(server.live("books")) == 2
        [note] = [line for line in lines if "refused its import" in line]
        assert "book 'Getting Started'" in note and "HTTP 500" in note
        assert "new books through the imports API" in lines[-1]


def test_a_link_to_a_page_the_server_refused_becomes_text_until_it_exists(
    tmp_path: Path,
) -> None:
    spec = small_shelf()
    spec.page("reference/api").links.append("reference/glossary")
    spec.page("reference/glossary").name = "G" * 256  # the server refuses the name
    out = write_output(spec, tmp_path)
    with FakeBookStack() as server:
        report, lines = run_publish(server, out, use_import=False)
        assert not report.ok
        [api] = [p for p in server.live("pages") if p["name"] == "API"]
        assert "bsexport" not in api["html"] and "<p>to reference/glossary</p>" in api["html"]
        [warning] = [line for line in lines if "published as their text" in line]
        assert warning.startswith("warning: page 'API' (reference/api.md): 1 link(s)")
        assert "page reference/glossary" in warning
        spec.page("reference/glossary").name = "Glossary"
        write_output(spec, out)
        report, _ = run_publish(server, out, use_import=False)
        assert report.ok, report.result.errors
        [glossary] = [p for p in server.live("pages") if p["name"] == "Glossary"]
        [api] = [p for p in server.live("pages") if p["name"] == "API"]
        assert f'href="{server.url}/link/{glossary["id"]}#bkmrk-intro"' in api["html"]
