"""Books read from a BookStack server: its portable ZIP export through the API.

``GET /api/books/{id}/export/zip`` (BookStack v25.07 and later) answers the same ZIP
the web UI's *Export → Portable ZIP* gives, so the API import and the file import
share one reader.  A shelf is read for its books (in the shelf's order), its name
and its description.  The requests go through the publisher's client: its budget,
retries and error messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import requests

from sphinx_mosaic.publish.client import BookStackClient
from sphinx_mosaic.publish.errors import PublishError, RequestRejected, RouteMissing
from sphinx_mosaic.wiki.export import WikiBook, read_export


class _ExportClient(BookStackClient):
    """The publisher's client, which also accepts a ZIP file as an answer."""

    def _decode(self, method: str, url: str, response: requests.Response, idempotent: bool) -> Any:
        kind = response.headers.get("Content-Type", "")
        if response.status_code == 200 and "json" not in kind and response.content[:2] == b"PK":
            return response.content
        return super()._decode(method, url, response, idempotent)


@dataclass
class Shelf:
    name: str = ""
    description_html: str = ""
    books: list[WikiBook] = field(default_factory=list)


def _resolve(client: BookStackClient, table: str, ref: str) -> dict[str, Any]:
    """The listing entry of a book or shelf given by id or slug."""
    if ref.isdigit():
        return {"id": int(ref)}
    found = client.get(f"/api/{table}", params={"filter[slug]": ref})
    rows = found.get("data", []) if isinstance(found, dict) else []
    if not rows:
        raise PublishError(f"no {table[:-1]} with the slug {ref!r} on the server")
    return dict(rows[0])


def _export(client: BookStackClient, book_id: int) -> WikiBook:
    try:
        data = client.get(f"/api/books/{book_id}/export/zip")
    except RouteMissing:
        raise PublishError(
            "the server has no ZIP export in its API (BookStack v25.07 and later have it): "
            "export each book in BookStack (Export, Portable ZIP) and import the files"
        ) from None
    except RequestRejected as exc:
        if exc.status == 404:
            raise PublishError(f"no book {book_id} on the server ({exc})") from None
        raise
    if not isinstance(data, bytes):
        raise PublishError(f"the export of book {book_id} is not a ZIP file")
    return read_export(f"book {book_id}", data)


def read_server(client: BookStackClient, books: list[str], shelf: str | None) -> Shelf:
    """The books named by id or slug, or the books of *shelf*, exported from the server."""
    result = Shelf()
    ids: list[int] = []
    if shelf:
        entry = _resolve(client, "shelves", shelf)
        detail = client.get(f"/api/shelves/{entry['id']}")
        result.name = str(detail.get("name") or "")
        result.description_html = str(detail.get("description_html") or "")
        ids.extend(int(b["id"]) for b in detail.get("books") or [])
    ids.extend(int(_resolve(client, "books", ref)["id"]) for ref in books)
    result.books = [_export(client, book_id) for book_id in ids]
    return result


def export_client(settings: Any) -> BookStackClient:
    return _ExportClient(settings)
