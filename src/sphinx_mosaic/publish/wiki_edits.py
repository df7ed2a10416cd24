"""Trample protection: a page edited in the wiki since the last publish is not overwritten.

Before a page's content is written again, the publisher reads the page
(``GET /api/pages/{id}``, one request per page about to change) and compares it
with what the last publish wrote, recorded in two tags on the page:

``mosaic-revision``
    the ``revision_count`` the page had right after our last write.  BookStack
    adds one on *every* update, even an identical one, so an equal count proves
    nobody saved the page since.
``mosaic-body``
    a fingerprint of the name and body we sent.  When the count moved on (someone
    saved the page, or a retried request counted twice), the page's stored body
    (``raw_html``, or ``markdown``) is compared with it: an identical save is no
    edit.

A page without these tags (imported through a ZIP, or written by an older
sphinx-mosaic) counts as edited when its last editor is not the user who created
it.  An edited page is reported (name, who, when, link) and left alone, unless
``--overwrite-wiki-edits`` says otherwise.
"""

from __future__ import annotations

import dataclasses
import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from sphinx_mosaic.publish.client import BookStackClient
from sphinx_mosaic.publish.errors import RequestRejected
from sphinx_mosaic.publish.plan import Action, Kind, Plan
from sphinx_mosaic.publish.state import TAG_BODY, TAG_REVISION, ServerState

#: Plan kinds that write a page's content (a move or reorder alone does not touch it).
CONTENT_WRITES = (Kind.UPDATE, Kind.RELINK)


class _Fingerprint(HTMLParser):
    """The parts of HTML an editor changes, as BookStack stores them.

    BookStack rewrites markup on save without changing it for a reader: ``<img/>``
    becomes ``<img>``, ids get a ``bkmrk-`` prefix or are made up for top-level
    blocks, entities and quoting change.  Elements, their other attributes and
    the text (whitespace collapsed) are what count.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kept = sorted((name, value or "") for name, value in attrs if name != "id")
        self.parts.append(f"<{tag} {kept}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text:
            self.parts.append(text)


def fingerprint(name: str, body: str, markdown: bool) -> str:
    """What ``mosaic-body`` holds for a page named *name* with *body*."""
    if markdown:
        content = "\n".join(line.rstrip() for line in body.strip().splitlines())
    else:
        parser = _Fingerprint()
        parser.feed(body)
        parser.close()
        content = "\x1f".join(parser.parts)
    payload = f"{' '.join(name.split())}\x1e{content}"
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


def _user(value: Any) -> tuple[int | None, str]:
    """BookStack gives ``created_by``/``updated_by`` as an id or as ``{id, name, slug}``."""
    if isinstance(value, dict):
        raw = value.get("id")
        return (int(raw) if raw is not None else None), str(value.get("name") or "")
    if isinstance(value, int):
        return value, f"user #{value}"
    return None, "someone"


@dataclass(frozen=True)
class WikiEdit:
    """A page changed in the wiki since the last publish."""

    key: str
    name: str
    page_id: int
    who: str
    when: str
    url: str

    def describe(self) -> str:
        return f"edited in the wiki by {self.who} on {self.when}: {self.url}"


def edited(detail: dict[str, Any], tags: dict[str, str]) -> bool:
    """Does the page as the server holds it (*detail*) differ from what we last wrote?"""
    revision = tags.get(TAG_REVISION)
    if revision is not None and str(detail.get("revision_count")) == revision:
        return False
    body = tags.get(TAG_BODY)
    if body is not None:
        markdown = bool(detail.get("markdown"))
        stored = (
            str(detail.get("markdown") or "") if markdown else str(detail.get("raw_html") or "")
        )
        return fingerprint(str(detail.get("name") or ""), stored, markdown) != body
    creator, _ = _user(detail.get("created_by"))
    editor, _ = _user(detail.get("updated_by"))
    return creator is not None and editor is not None and creator != editor


def read_pages(
    client: BookStackClient, state: ServerState, plan: Plan
) -> dict[str, dict[str, Any]]:
    """The current server copy of every owned page whose content the plan rewrites."""
    wanted = [a for a in plan.pages if a.kind in CONTENT_WRITES and a.remote_id is not None]

    def read(action: Action) -> tuple[str, dict[str, Any] | None]:
        try:
            detail: dict[str, Any] = client.get(f"/api/pages/{action.remote_id}")
        except RequestRejected as exc:
            if exc.status != 404:
                raise
            return action.key, None  # deleted meanwhile: the write reports it
        return action.key, detail

    if not wanted:
        return {}
    with ThreadPoolExecutor(max_workers=client.settings.concurrency) as pool:
        return {key: detail for key, detail in pool.map(read, wanted) if detail is not None}


def find_wiki_edits(
    state: ServerState, plan: Plan, details: dict[str, dict[str, Any]]
) -> list[WikiEdit]:
    """The planned content writes that would overwrite an edit made in the wiki."""
    found = []
    for action in plan.pages:
        detail = details.get(action.key)
        remote = state.pages.get(action.key)
        if detail is None or remote is None:
            continue
        tags = {str(t.get("name")): str(t.get("value") or "") for t in remote.tags}
        if not edited(detail, tags):
            continue
        _, who = _user(detail.get("updated_by"))
        found.append(
            WikiEdit(
                key=action.key,
                name=str(detail.get("name") or remote.name),
                page_id=remote.id,
                who=who or "someone",
                when=str(detail.get("updated_at") or "an unknown time"),
                url=f"{state.base_url}/link/{remote.id}",
            )
        )
    return found


def guard(plan: Plan, edits: list[WikiEdit], overwrite: bool) -> Plan:
    """The plan with each edited page kept (or, with *overwrite*, marked as overwriting)."""
    by_key = {edit.key: edit for edit in edits}
    pages = []
    for action in plan.pages:
        edit = by_key.get(action.key)
        if edit is None:
            pages.append(action)
        elif overwrite:
            reasons = (*action.reasons, f"overwrites an edit by {edit.who} on {edit.when}")
            pages.append(dataclasses.replace(action, reasons=reasons))
        else:
            pages.append(dataclasses.replace(action, kind=Kind.EDITED, reasons=(edit.describe(),)))
    return dataclasses.replace(plan, pages=pages)
