"""The fake BookStack's portable ZIP export: ``GET /api/{books,chapters,pages}/{id}/export/zip``.

BookStack v25.07 added it to the API (v24.12 to the web UI).  As BookStack's exporter
does: ``data.json`` holds the book (or chapter, or page) with its chapters and pages,
their ``priority``, ``tags``, ``html`` (as stored), ``images`` used by each page and its
``attachments``, the files under ``files/`` named by 20 random characters plus the
original extension; a link to an entity in the same ZIP, or an image or attachment URL,
becomes a ``[[bsexport:<type>:<id>]]`` token (ids are the entities' own).  Older versions
have no such route: the web 404 page.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any


class ExportZip:
    """Mixin for FakeBookStack: builds an export ZIP from the fake's tables."""

    tables: dict[str, dict[int, dict[str, Any]]]
    own_url: str
    rng: Any

    def _url_of(self, table: str, e: dict[str, Any]) -> str:  # pragma: no cover - in the fake
        raise NotImplementedError

    def _pages_of(self, **where: int) -> list[dict[str, Any]]:  # pragma: no cover
        raise NotImplementedError

    def _export_zip(self, table: str, item: dict[str, Any]) -> bytes:
        files: dict[str, bytes] = {}
        refs: dict[str, str] = {}
        if table == "books":
            chapters = sorted(
                (c for c in self.tables["chapters"].values() if c["book_id"] == item["id"]),
                key=lambda c: (c["priority"], c["id"]),
            )
            pages = self._pages_of(book_id=item["id"], chapter_id=0)
            refs[self._url_of("books", item)] = f"[[bsexport:book:{item['id']}]]"
            for chapter in chapters:
                refs[self._url_of("chapters", chapter)] = f"[[bsexport:chapter:{chapter['id']}]]"
                for page in self._pages_of(chapter_id=chapter["id"]):
                    refs[self._url_of("pages", page)] = f"[[bsexport:page:{page['id']}]]"
            for page in pages:
                refs[self._url_of("pages", page)] = f"[[bsexport:page:{page['id']}]]"
            data: dict[str, Any] = {"book": self._export_book(item, chapters, pages, files, refs)}
        elif table == "chapters":
            pages = self._pages_of(chapter_id=item["id"])
            for page in pages:
                refs[self._url_of("pages", page)] = f"[[bsexport:page:{page['id']}]]"
            data = {"chapter": self._export_chapter(item, files, refs)}
        else:
            data = {"page": self._export_page(item, files, refs)}
        data = {
            "instance": {"id": "fake", "version": "v25.07"},
            "exported_at": "2026-12-06",
            **data,
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("data.json", json.dumps(data))
            for name, content in files.items():
                archive.writestr(f"files/{name}", content)
        return buffer.getvalue()

    def _export_book(
        self,
        book: dict[str, Any],
        chapters: list[dict[str, Any]],
        pages: list[dict[str, Any]],
        files: dict[str, bytes],
        refs: dict[str, str],
    ) -> dict[str, Any]:
        return {
            "id": book["id"],
            "name": book["name"],
            "description_html": book.get("description_html") or "",
            "tags": _tags(book),
            "chapters": [self._export_chapter(c, files, refs) for c in chapters],
            "pages": [self._export_page(p, files, refs) for p in pages],
        }

    def _export_chapter(
        self, chapter: dict[str, Any], files: dict[str, bytes], refs: dict[str, str]
    ) -> dict[str, Any]:
        return {
            "id": chapter["id"],
            "name": chapter["name"],
            "description_html": chapter.get("description_html") or "",
            "priority": chapter["priority"],
            "tags": _tags(chapter),
            "pages": [
                self._export_page(p, files, refs) for p in self._pages_of(chapter_id=chapter["id"])
            ],
        }

    def _file_ref(self, name: str, files: dict[str, bytes], content: bytes) -> str:
        suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
        letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        ref = "".join(self.rng.choice(letters) for _ in range(20)) + suffix
        files[ref] = content
        return ref

    def _export_page(
        self, page: dict[str, Any], files: dict[str, bytes], refs: dict[str, str]
    ) -> dict[str, Any]:
        html = str(page.get("html") or "")
        images = []
        for image in self.tables["image-gallery"].values():
            if image["url"] in html:
                ref = self._file_ref(image["path"], files, image["data"])
                images.append(
                    {"id": image["id"], "name": image["name"], "file": ref, "type": image["type"]}
                )
                html = html.replace(image["url"], f"[[bsexport:image:{image['id']}]]")
        attachments = []
        for attachment in self.tables["attachments"].values():
            if attachment["uploaded_to"] != page["id"]:
                continue
            entry: dict[str, Any] = {"id": attachment["id"], "name": attachment["name"]}
            if attachment.get("external"):
                entry["link"] = attachment["link"]
            else:
                name = f"{attachment['name']}.{attachment.get('extension') or 'bin'}"
                entry["file"] = self._file_ref(name, files, attachment["data"] or b"")
            attachments.append(entry)
            url = f"{self.own_url}/attachments/{attachment['id']}"
            html = html.replace(url, f"[[bsexport:attachment:{attachment['id']}]]")
        # Longest URL first: a book's URL is the start of its pages' URLs.
        for url in sorted(refs, key=len, reverse=True):
            html = re.sub(re.escape(url) + r'(?=["#])', refs[url], html)
        return {
            "id": page["id"],
            "name": page["name"],
            "html": html,
            "priority": page["priority"],
            "tags": _tags(page),
            "images": images,
            "attachments": attachments,
        }


def _tags(entity: dict[str, Any]) -> list[dict[str, str]]:
    return [{"name": t["name"], "value": t.get("value", "")} for t in entity.get("tags") or []]
