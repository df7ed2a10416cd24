"""First publish of a whole book in two requests, through BookStack's imports API (v25.07+).

The builder's ZIP is sent with our ownership tags added to the book, its
chapters and pages (and images renamed by content), so the imported entities
are found again by tags exactly like those created page by page.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

from sphinx_mosaic.bookstack.format.model import Asset, Book, Page
from sphinx_mosaic.publish.client import BookStackClient
from sphinx_mosaic.publish.errors import AmbiguousWrite, RequestRejected, ServerUnreachable
from sphinx_mosaic.publish.state import (
    OWNERSHIP_TAGS,
    TAG_BODY,
    TAG_FILE,
    TAG_HASH,
    TAG_KEY,
    TAG_PROJECT,
    find_owned,
    stamp,
)
from sphinx_mosaic.publish.wiki_edits import import_fingerprint

#: Seconds to wait for the answer to running an import (a large book takes a while).
RUN_TIMEOUT = 600.0
#: Statuses that mean "this server (or this token) cannot import": publish page by page.
UNSUPPORTED = frozenset({403, 404, 405, 413})


class ImportUnsupported(Exception):
    """The imports API is missing, forbidden or refuses the size: fall back."""

    def __init__(self, message: str, status: int):
        self.status = status
        super().__init__(message)

    @property
    def book_only(self) -> bool:
        """Too large (413): only this book falls back; the API works for smaller ones."""
        return self.status == 413


#: ``[book.chapters.0.pages.2.images.0.file]`` in the server's validation messages.
ZIP_PATH = re.compile(
    r"\[book((?:\.chapters\.\d+)?(?:\.pages\.\d+)?)(?:\.(images|attachments)\.(\d+))?"
    r"((?:\.[\w]+)*)\]"
)


class ImportRefused(Exception):
    """The server refused this book's ZIP (422, or a 500 on a file it cannot read).

    The book is published page by page instead; the message names what was refused.
    """

    def __init__(self, message: str, too_large: bool = False):
        #: Refused for its size (BookStack v25.12+ limits data.json and each file).
        self.too_large = too_large
        super().__init__(message)


#: How BookStack v25.12+ words a ZIP over its upload limit (``FILE_UPLOAD_SIZE_LIMIT``):
#: data.json ("...exceeds the configured application maximum upload size") or a file in
#: it ("The file x must not exceed 50 MB").
TOO_LARGE = re.compile(r"maximum upload size|must not exceed [\d.]+ ?MB", re.IGNORECASE)
#: Said in every note about a ZIP too large for the server.
SIZE_NOTE = (
    "BookStack v25.12 and later refuse a ZIP whose data.json or any file in it is larger "
    "than the upload limit (FILE_UPLOAD_SIZE_LIMIT), and a web server refuses a request "
    "larger than its own limit (HTTP 413)"
)


def name_zip_paths(message: str, book: Book) -> str:
    """Replace data.json paths in an import error by the page, chapter or file they point at."""
    with zipfile.ZipFile(book.zip_path) as source:
        data = json.loads(source.read("data.json"))["book"]
    pages = {p.zip_id: p for p in book.pages}
    chapters = {c.zip_id: c for c in book.chapters}

    def label(match: re.Match[str]) -> str:
        node: Any = data
        described = book.label
        for part in re.findall(r"(chapters|pages)\.(\d+)", match.group(1)):
            try:
                node = node[part[0]][int(part[1])]
            except (KeyError, IndexError, TypeError):
                return match.group(0)
            entity = (pages if part[0] == "pages" else chapters).get(int(node.get("id") or 0))
            described = entity.label if entity is not None else described
        if match.group(2):
            try:
                item = node[match.group(2)][int(match.group(3))]
            except (KeyError, IndexError, TypeError):
                return match.group(0)
            kind = match.group(2)[:-1]
            described += f", {kind} {item.get('name')!r} (files/{item.get('file')})"
        field = match.group(4).lstrip(".")
        return f"[{described}{': ' + field if field else ''}]"

    return ZIP_PATH.sub(label, message)


def missing_files(book: Book) -> list[str]:
    """Files the book's ``data.json`` names that its ZIP does not hold (the server answers 500)."""
    with zipfile.ZipFile(book.zip_path) as source:
        names = set(source.namelist())
        data = json.loads(source.read("data.json"))["book"]
    zpages = list(data.get("pages") or [])
    for chapter in data.get("chapters") or []:
        zpages += chapter.get("pages") or []
    return [
        f"files/{item['file']}"
        for zpage in zpages
        for kind in ("images", "attachments")
        for item in zpage.get(kind) or []
        if item.get("file") and f"files/{item['file']}" not in names
    ]


def owned_tags(
    project: str,
    key: str,
    hash_: str | None,
    tags: list[dict[str, str]],
    files: list[Asset],
    written: dict[str, str] | None = None,
) -> list[dict[str, str]]:
    """The entity's own tags plus the ownership tags the publisher finds it by.

    *written* adds the ``mosaic-revision`` and ``mosaic-body`` tags of a page write.
    """
    result = [dict(t) for t in tags if t.get("name") not in OWNERSHIP_TAGS]
    result.append({"name": TAG_PROJECT, "value": project})
    result.append({"name": TAG_KEY, "value": key})
    if hash_ is not None:
        result.append({"name": TAG_HASH, "value": stamp(hash_)})
    result.extend(file_tags(files))
    result.extend({"name": name, "value": value} for name, value in (written or {}).items())
    return result


def file_tags(files: list[Asset]) -> list[dict[str, str]]:
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for asset in files:
        value = f"{asset.kind} {asset.sha} {asset.server_name}"
        seen[(asset.kind, asset.server_name)] = {"name": TAG_FILE, "value": value}
    return [seen[k] for k in sorted(seen)]


def import_zip(book: Book, project: str) -> bytes:
    """The book's ZIP with ownership tags and content-named images."""
    pages: dict[int, Page] = {p.zip_id: p for p in book.pages}
    chapters = {c.zip_id: c for c in book.chapters}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(book.zip_path) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        data = json.loads(source.read("data.json"))
        zbook = data["book"]
        zbook["tags"] = owned_tags(project, book.key, book.hash, book.tags, [])
        for zchapter in zbook.get("chapters") or []:
            chapter = chapters.get(int(zchapter["id"]))
            if chapter is not None:
                zchapter["tags"] = owned_tags(project, chapter.key, chapter.hash, chapter.tags, [])
                zchapter["priority"] = chapter.priority
            for zpage in zchapter.get("pages") or []:
                _mark_page(zpage, pages, project)
        for zpage in zbook.get("pages") or []:
            _mark_page(zpage, pages, project)
        target.writestr("data.json", json.dumps(data, sort_keys=True))
        for info in source.infolist():
            if info.filename != "data.json":
                target.writestr(info, source.read(info))
    return out.getvalue()


def _mark_page(zpage: dict[str, Any], pages: dict[int, Page], project: str) -> None:
    page = pages.get(int(zpage["id"]))
    if page is None:
        return
    # A fingerprint of what is imported, so a person's unchanged save is no wiki edit.
    written = {} if page.markdown else {TAG_BODY: import_fingerprint(page.name, page.html)}
    zpage["tags"] = owned_tags(
        project, page.key, page.hash, page.tags, page.images + page.attachments, written
    )
    zpage["priority"] = page.priority
    # The bundle's page is what is published (a page notice may have been added to it).
    if page.markdown:
        zpage["markdown"] = page.markdown
    elif page.html:
        zpage["html"] = page.html
    names = {a.zip_id: a.server_name for a in page.images}
    for image in zpage.get("images") or []:
        image["name"] = names.get(int(image["id"]), image["name"])


def run_import(
    client: BookStackClient, book: Book, project: str, attempts: int = 3
) -> dict[str, Any]:
    """Import *book*; return the new book as the server answers it (``id``, ``sort_rule_id``).

    Raises :class:`ImportUnsupported` (no imports here) or :class:`ImportRefused` (not this
    ZIP: a file the server will not take, or one it cannot read).
    """
    payload = import_zip(book, project)
    upload: Any = None
    last = ""
    for _ in range(attempts):
        try:
            upload = client.post(
                "/api/imports", files={"file": (book.zip_path.name, payload, "application/zip")}
            )
            break
        except AmbiguousWrite as exc:
            last = exc.cause
            continue  # a second staged import is invisible to readers and harmless
        except RequestRejected as exc:
            if exc.status in UNSUPPORTED:
                raise ImportUnsupported(exc.server_message, exc.status) from None
            raise ImportRefused(
                f"HTTP {exc.status}: {name_zip_paths(exc.server_message, book)}",
                too_large=bool(TOO_LARGE.search(exc.server_message)),
            ) from None
    if upload is None:
        if last.startswith("HTTP 500"):
            # The server answered, every time, with an error: BookStack fails this way
            # (fread() in its ZIP reader) on a ZIP that names a file it does not hold.
            missing = missing_files(book)
            named = f"; the ZIP lacks {', '.join(missing)}" if missing else ""
            raise ImportRefused(f"{name_zip_paths(last, book)}{named}")
        raise ServerUnreachable(f"{book.label}: the ZIP upload kept failing")
    import_id = int(upload["id"])
    for _ in range(attempts):
        try:
            # BookStack runs the whole import before it answers: give it time.
            created: dict[str, Any] = client.post(
                f"/api/imports/{import_id}", json={}, read_timeout=RUN_TIMEOUT
            )
            return created
        except AmbiguousWrite:
            # The answer was lost.  A finished import deletes its staged row, so a missing
            # row means the book exists: find it by its tags instead of importing it twice.
            try:
                client.get(f"/api/imports/{import_id}")
                continue  # still staged: the run failed, run it again
            except RequestRejected as exc:
                if exc.status != 404:
                    raise
            found = find_owned(client, project, book.key, "book")
            if found is not None:
                return found
            raise ServerUnreachable(
                f"{book.label}: the import ran but its book cannot be found by its tags yet"
            ) from None
        except RequestRejected as exc:
            client.delete(f"/api/imports/{import_id}")
            raise ImportRefused(
                f"HTTP {exc.status}: {name_zip_paths(exc.server_message, book)}"
            ) from None
    raise ServerUnreachable(f"{book.label}: running the import kept failing")
