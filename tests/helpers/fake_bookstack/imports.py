"""The imports API of the fake BookStack (``/api/imports``: upload, read, run): a mixin.

Upload (``POST /api/imports``) validates the ZIP's ``data.json`` and stages it;
run (``POST /api/imports/{id}``) creates the book, its chapters and pages in
priority order, their images and attachments, then replaces the
``[[bsexport:<type>:<id>]]`` tokens with absolute URLs, as BookStack does.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from helpers.fake_bookstack.server import Request


def image_mime(data: bytes) -> str:
    """The MIME type as PHP's finfo sees it: by content, so a PNG signature alone is not a PNG.

    finfo reads a PNG by its signature *and* the IHDR chunk that must follow it.
    """
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:12] == b"ftypavif":
        return "image/avif"
    return "application/octet-stream"


TOKEN_RE = re.compile(r"\[\[bsexport:([a-z]+):(\d+)\]\]")
STORED_TOKEN_RE = re.compile(r"(?:\[\[|%5B%5B)bsexport:([a-z]+):(\d+)(?:\]\]|%5D%5D)")


# -- BookStack's error shapes (its API exception handler), shared with the server ---


class ApiError(Exception):
    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
        self.status, self.body, self.headers = status, body, headers or {}


def error(status: int, message: str, **extra: Any) -> ApiError:
    return ApiError(status, {"error": {"message": message, "code": status, **extra}})


def invalid(field_errors: dict[str, str]) -> ApiError:
    validation = {name: [msg] for name, msg in field_errors.items()}
    return error(422, "The given data was invalid.", validation=validation)


def web_404() -> ApiError:
    """No API route matched: the web 404 page (HTML, with cookies; see the handler)."""
    return ApiError(404, {"html": "Not Found"})


def json_error(status: int, message: str) -> ApiError:
    return ApiError(status, {"message": message, "status": "error"})


class ImportsApi:
    """Mixed into FakeBookStack, whose tables, ``_create`` and ``_url_of`` it uses."""

    tables: dict[str, dict[int, dict[str, Any]]]
    denied: set[str]
    import_failure: str | None
    max_body: int | None
    upload_limit: int | None
    version_tuple: tuple[int, ...]

    def _upload_import(self, request: Request) -> dict[str, Any]:
        if "content-import" in self.denied:
            raise error(403, "You do not have permission to access the requested page.")
        upload = request.files.get("file")
        if upload is None:
            raise invalid({"file": "The file field is required."})
        if self.max_body is not None and len(upload[1]) > self.max_body:
            raise error(
                413,
                "The server cannot receive the provided amount of data. Try again "
                "with less data or a smaller file.",
            )
        try:
            archive = zipfile.ZipFile(io.BytesIO(upload[1]))
            data = json.loads(archive.read("data.json"))
        except (zipfile.BadZipFile, KeyError, ValueError):
            raise json_error(
                422,
                "ZIP upload failed with the following validation errors: \n"
                "[format] Could not read ZIP file contents.",
            ) from None
        names = set(archive.namelist())
        too_large = self._zip_too_large(archive, data)
        if too_large:
            raise json_error(
                422,
                "ZIP upload failed with the following validation errors: \n"
                + "\n".join(f"[{k}] {v}" for k, v in too_large),
            )
        missing = sorted(_referenced_files(data) - names)
        if missing:
            # BookStack's ZIP reader fread()s the named file before validating it: a missing
            # file is a PHP error (HTTP 500, the API's plain error shape), not a validation one.
            raise error(500, "fread(): Argument #1 ($stream) must be of type resource, bool given")
        problems = _validate_zip(data, names, archive)
        if problems:
            raise json_error(
                422,
                "ZIP upload failed with the following validation errors: \n"
                + "\n".join(f"[{k}] {v}" for k, v in problems),
            )
        self.next_id["imports"] += 1
        row = {
            "id": self.next_id["imports"],
            "name": data["book"]["name"],
            "size": len(upload[1]),
            "type": "book",
            "zip": upload[1],
        }
        self.tables["imports"][row["id"]] = row
        return {k: v for k, v in row.items() if k != "zip"}

    def _zip_too_large(
        self, archive: zipfile.ZipFile, data: dict[str, Any]
    ) -> list[tuple[str, str]]:
        """v25.12's limits: data.json and each file no larger than the upload limit."""
        if self.upload_limit is None or self.version_tuple < (25, 12):
            return []
        megabytes = self.upload_limit / 1_000_000
        if archive.getinfo("data.json").file_size > self.upload_limit:
            message = (
                "ZIP data.json content exceeds the configured application maximum upload size."
            )
            return [("format", message)]
        problems = []
        book = data.get("book") or {}
        pages = [(f"book.pages.{i}", p) for i, p in enumerate(book.get("pages") or [])]
        for c, chapter in enumerate(book.get("chapters") or []):
            pages += [
                (f"book.chapters.{c}.pages.{i}", p)
                for i, p in enumerate(chapter.get("pages") or [])
            ]
        for where, page in pages:
            for kind in ("images", "attachments"):
                for i, item in enumerate(page.get(kind) or []):
                    name = f"files/{item.get('file')}"
                    if name in archive.namelist() and (
                        archive.getinfo(name).file_size > self.upload_limit
                    ):
                        problems.append(
                            (
                                f"{where}.{kind}.{i}.file",
                                f"The file {item.get('file')} must not exceed {megabytes:g} MB.",
                            )
                        )
        return problems

    def _run_import(self, row: dict[str, Any]) -> dict[str, Any]:
        if self.import_failure:
            raise json_error(
                500, "ZIP import failed with the following errors: \n" + self.import_failure
            )
        archive = zipfile.ZipFile(io.BytesIO(row["zip"]))
        data = json.loads(archive.read("data.json"))["book"]
        refs: dict[tuple[str, int], str] = {}
        made_pages: list[dict[str, Any]] = []
        book = self._create(
            "books",
            {
                "name": data["name"],
                "tags": data.get("tags"),
                "description_html": data.get("description_html"),
            },
        )
        refs[("book", data.get("id") or 0)] = self._url_of("books", book)
        children = [("chapter", c) for c in data.get("chapters") or []]
        children += [("page", p) for p in data.get("pages") or []]
        children.sort(key=lambda c: (c[1].get("priority") or 0, c[0] != "chapter"))
        # BookStack numbers what it imports itself, whatever the ZIP says (measured on
        # v25.07.2): chapters 2, 3, 4, ...; book-level pages 2, 3, ...; pages in a chapter
        # 1, 2, ...  A chapter and a page of the book can so share a priority.
        next_priority = {"chapter": 2, "page": 2}
        for kind, child in children:
            priority = next_priority[kind]
            next_priority[kind] += 1
            if kind == "chapter":
                chapter = self._create(
                    "chapters",
                    {
                        "book_id": book["id"],
                        "name": child["name"],
                        "tags": child.get("tags"),
                        "description_html": child.get("description_html"),
                        "priority": priority,
                    },
                )
                refs[("chapter", child.get("id") or 0)] = self._url_of("chapters", chapter)
                pages = sorted(child.get("pages") or [], key=lambda p: p.get("priority") or 0)
                for number, zpage in enumerate(pages, start=1):
                    made_pages.append(
                        self._import_page(
                            archive, zpage, {"chapter_id": chapter["id"], "priority": number}, refs
                        )
                    )
            else:
                made_pages.append(
                    self._import_page(
                        archive, child, {"book_id": book["id"], "priority": priority}, refs
                    )
                )
        for page in made_pages:
            # The reference as stored: a page's HTML is saved (brackets in addresses
            # URL-encoded) before the references are replaced.
            page["html"] = STORED_TOKEN_RE.sub(
                lambda m: refs.get((m.group(1), int(m.group(2))), m.group(0)), page["html"]
            )
        del self.tables["imports"][row["id"]]
        return self._output("books", book)

    def _import_page(
        self,
        archive: zipfile.ZipFile,
        zpage: dict[str, Any],
        parent: dict[str, int],
        refs: dict[tuple[str, int], str],
    ) -> dict[str, Any]:
        """Create one page of the import; *parent* holds its book or chapter and priority."""
        page = self._create(
            "pages",
            {
                **parent,
                "name": zpage["name"],
                "tags": zpage.get("tags"),
                "html": zpage.get("html") or "<p></p>",
                "markdown": zpage.get("markdown") or "",
            },
        )
        for image in zpage.get("images") or []:
            made = self._create(
                "image-gallery",
                {
                    "uploaded_to": page["id"],
                    "type": image["type"],
                    "name": image["name"],
                    "image": (image["file"], archive.read(f"files/{image['file']}")),
                },
            )
            refs[("image", image["id"])] = made["url"]
        for attachment in zpage.get("attachments") or []:
            fields: dict[str, Any] = {"uploaded_to": page["id"], "name": attachment["name"]}
            if attachment.get("file"):
                fields["file"] = (attachment["file"], archive.read(f"files/{attachment['file']}"))
            else:
                fields["link"] = attachment.get("link")
            made = self._create("attachments", fields)
            refs[("attachment", attachment["id"])] = f"{self.own_url}/attachments/{made['id']}"
        refs[("page", zpage.get("id") or 0)] = self._url_of("pages", page)
        return page


#: What an import takes as an image, checked by content (finfo), in BookStack's order.
IMPORT_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


def _validate_zip(
    data: dict[str, Any], names: set[str], archive: zipfile.ZipFile
) -> list[tuple[str, str]]:
    book = data.get("book")
    if not isinstance(book, dict):
        return [("format", "ZIP file data has no expected book, chapter or page content.")]
    problems = []
    if not str(book.get("name") or "").strip():
        problems.append(("book.name", "The name field is required."))
    pages = [(f"book.pages.{i}", p) for i, p in enumerate(book.get("pages") or [])]
    for c, chapter in enumerate(book.get("chapters") or []):
        if not str(chapter.get("name") or "").strip():
            problems.append((f"book.chapters.{c}.name", "The name field is required."))
        pages += [
            (f"book.chapters.{c}.pages.{i}", p) for i, p in enumerate(chapter.get("pages") or [])
        ]
    for where, page in pages:
        if not str(page.get("name") or "").strip():
            problems.append((f"{where}.name", "The name field is required."))
        for i, image in enumerate(page.get("images") or []):
            ref = f"files/{image.get('file')}"
            mime = image_mime(archive.read(ref)) if ref in names else ""
            if mime not in IMPORT_IMAGE_TYPES:
                problems.append(
                    (
                        f"{where}.images.{i}.file",
                        "The file needs to reference a file of type "
                        f"{','.join(IMPORT_IMAGE_TYPES)}, found {mime}.",
                    )
                )
    return problems


def _zip_pages(book: dict[str, Any]) -> list[dict[str, Any]]:
    pages = list(book.get("pages") or [])
    for chapter in book.get("chapters") or []:
        pages += chapter.get("pages") or []
    return pages


def _referenced_files(data: dict[str, Any]) -> set[str]:
    book = data.get("book") if isinstance(data.get("book"), dict) else {}
    return {
        f"files/{item['file']}"
        for page in _zip_pages(book)
        for kind in ("images", "attachments")
        for item in page.get(kind) or []
        if item.get("file")
    }
