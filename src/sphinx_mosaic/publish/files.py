"""Images and attachments of one page: reuse what is there, upload what is missing.

Images are named ``<sha12>-<name>``, so an upload from an earlier (even an
interrupted) run is recognised by name and reused.  Attachments keep their
visible names; the page's ``mosaic-file`` tags record the content hash of each
file the last complete run wrote, so a changed file replaces the old one in
place.  Only files recorded in those tags are ever deleted.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from typing import Any

from sphinx_mosaic.bookstack.format.images import sniff
from sphinx_mosaic.bookstack.format.model import Asset, Page
from sphinx_mosaic.publish.client import BookStackClient
from sphinx_mosaic.publish.errors import AmbiguousWrite, RequestRejected, ServerUnreachable
from sphinx_mosaic.publish.state import TAG_FILE, RemoteEntity


class PageFiles:
    def __init__(self, client: BookStackClient, base_url: str):
        self.client = client
        self.base_url = base_url

    def sync(
        self, page: Page, page_id: int, remote: RemoteEntity | None, fresh: bool
    ) -> tuple[dict[tuple[str, int], str], list[str]]:
        """Upload what is missing; return the URLs by zip id and the files to delete after.

        *remote* is the page as the server had it (its tags record the files of the last
        complete run); *fresh* means the page was created in this run and holds no files.
        A file the server refuses (an image it does not take by its content) is left out
        and listed in :attr:`refused`: the page is still written, without it.
        """
        self.refused: list[Asset] = []
        self.reasons: list[str] = []
        # (kind, server name) -> sha of every file the last complete run recorded on the page.
        recorded_sha: dict[tuple[str, str], str] = {}
        for value in remote.tag_values(TAG_FILE) if remote else []:
            kind, sha, name = ([*value.split(" ", 2), "", ""])[:3]
            recorded_sha[(kind, name)] = sha
        urls: dict[tuple[str, int], str] = {}
        stale: list[str] = []
        base = self.base_url
        wanted_kinds = {a.kind for a in page.images + page.attachments}
        wanted_kinds |= {kind for kind, _ in recorded_sha}
        if "image" in wanted_kinds:
            existing = [] if fresh else self.files_of("/api/image-gallery", page_id)
            by_name = {str(i["name"]): i for i in existing}
            for asset in page.images:
                found = by_name.get(asset.server_name) or self._refusable(
                    asset, self.upload_image, page_id
                )
                if found is None:
                    continue
                by_name[asset.server_name] = found
                urls[("image", asset.zip_id)] = str(found["url"])
            wanted = {a.server_name for a in page.images}
            stale += [
                f"/api/image-gallery/{i['id']}"
                for name, i in by_name.items()
                if ("image", name) in recorded_sha and name not in wanted
            ]
        if "attachment" in wanted_kinds:
            existing = [] if fresh else self.files_of("/api/attachments", page_id)
            by_name = {str(a["name"]): a for a in existing}
            for asset in page.attachments:
                current = by_name.get(asset.name)
                current_id = None if current is None else int(current["id"])
                if current is None or recorded_sha.get(("attachment", asset.name)) != asset.sha:
                    current = self._refusable(asset, self.upload_attachment, page_id, current_id)
                if current is None:
                    continue
                by_name[asset.name] = current
                urls[("attachment", asset.zip_id)] = f"{base}/attachments/{current['id']}"
            wanted = {a.name for a in page.attachments}
            stale += [
                f"/api/attachments/{a['id']}"
                for name, a in by_name.items()
                if ("attachment", name) in recorded_sha and name not in wanted
            ]
        return urls, stale

    def _refusable(
        self, asset: Asset, upload: Callable[..., dict[str, Any]], *args: Any
    ) -> dict[str, Any] | None:
        """Run ``upload(asset, *args)``; a refusal (HTTP 422 and the like) is recorded."""
        try:
            return upload(asset, *args)
        except RequestRejected as exc:
            if exc.status in (401, 403) or exc.status >= 500:
                raise
            self.refused.append(asset)
            self.reasons.append(
                f"{asset.kind} {asset.name!r} (files/{asset.ref}) was refused by the server "
                f"(HTTP {exc.status}: {exc.server_message}"
                + "".join(f" {'; '.join(map(str, m))}" for m in exc.validation.values())
                + ")"
            )
            return None

    def files_of(self, path: str, page_id: int) -> list[dict[str, Any]]:
        answer = self.client.get(path, {"filter[uploaded_to]": page_id, "count": 500})
        return list(answer.get("data") or [])

    def upload_image(self, asset: Asset, page_id: int) -> dict[str, Any]:
        # The type of its content (the builder made every image PNG, JPEG, GIF or WebP):
        # BookStack checks the content, not the name.
        mime = sniff(asset.data or b"") or mimetypes.guess_type(asset.ref)[0] or "image/png"
        for _ in range(self.client.settings.attempts):
            try:
                answer: dict[str, Any] = self.client.post(
                    "/api/image-gallery",
                    data={"type": "gallery", "uploaded_to": page_id, "name": asset.server_name},
                    files={"image": (asset.ref, asset.data or b"", mime)},
                )
                return answer
            except AmbiguousWrite:
                for image in self.files_of("/api/image-gallery", page_id):
                    if image["name"] == asset.server_name:
                        return image
        raise ServerUnreachable(f"uploading image {asset.name} kept failing")

    def upload_attachment(self, asset: Asset, page_id: int, existing: int | None) -> dict[str, Any]:
        fields: dict[str, Any] = {"name": asset.name, "uploaded_to": page_id}
        path = "/api/attachments"
        if existing is not None:
            # Files cannot be PUT as JSON, and BookStack reads form bodies on POST only:
            # POST with _method=PUT.
            fields["_method"] = "PUT"
            path = f"/api/attachments/{existing}"
        files = None
        if asset.data is not None:
            mime = mimetypes.guess_type(asset.ref)[0] or "application/octet-stream"
            files = {"file": (asset.ref, asset.data, mime)}
        else:
            fields["link"] = asset.link or ""
        for _ in range(self.client.settings.attempts):
            try:
                answer: dict[str, Any] = self.client.post(path, data=fields, files=files)
                return answer
            except AmbiguousWrite:
                if existing is not None:
                    continue  # an update: sending it again is harmless
                for attachment in self.files_of("/api/attachments", page_id):
                    if attachment["name"] == asset.name:
                        return attachment
        raise ServerUnreachable(f"uploading attachment {asset.name} kept failing")
