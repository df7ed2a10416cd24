"""Every link of every page on the fake server, checked as a reader would follow it.

A link into the wiki must name an entity that exists (``/link/{id}``, ``/books/{book}``,
``/books/{book}/page/{page}``, ``/books/{book}/chapter/{chapter}``, ``/shelves/{shelf}``,
``/attachments/{id}``, an uploaded image), and its ``#fragment`` must be the id of an element
on that page.  Books, chapters and shelves show their description, whose filter keeps no
ids (only ``p``, ``a``, lists, ``strong``, ``em``, ``br``): a fragment there lands nowhere.
A bare ``href="#"`` goes to the top of the same page, which is not what a link means.
Ids are those readers get from v25.12.4 on: the page after its render filter (which drops a
duplicate id).
"""

from __future__ import annotations

import html
import re
import urllib.parse
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from helpers.fake_bookstack.editor import render_filter
from helpers.fake_bookstack.server import FakeBookStack


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.srcs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("name"):
            self.ids.add(str(values["name"]))
        if tag == "a" and values.get("href") is not None:
            self.hrefs.append(str(values["href"]))
        if tag == "img" and values.get("src") is not None:
            self.srcs.append(str(values["src"]))


def _parse(page_html: str) -> _Links:
    parser = _Links()
    parser.feed(render_filter(page_html))
    parser.close()
    return parser


@dataclass(frozen=True)
class Link:
    page: str  # the linking page's name
    href: str
    problem: str = ""  # "" when the link lands where it says

    def __str__(self) -> str:
        return f"{self.page}: {self.href}: {self.problem or 'ok'}"


def check_links(server: FakeBookStack, base: str | None = None) -> list[Link]:
    """Every link and image of every page on *server*, each with its problem (or none).

    *base* is the URL the links should start with (the server's own by default);
    links elsewhere are external and not checked.
    """
    base = (base or server.url).rstrip("/")
    pages = server.tables["pages"]
    parsed = {pid: _parse(p["html"]) for pid, p in pages.items()}
    slugs: dict[str, dict[Any, Any]] = {
        "books": {b["slug"]: b for b in server.tables["books"].values()},
        "shelves": {s["slug"]: s for s in server.tables["shelves"].values()},
    }
    images = {i["url"] for i in server.tables["image-gallery"].values()}

    def entity(path: str) -> tuple[str, dict[str, Any] | None]:
        """("page"/"book"/..., the entity or None) for a path on the server."""
        parts = [urllib.parse.unquote(p) for p in path.strip("/").split("/")]
        if len(parts) == 2 and parts[0] == "link" and parts[1].isdigit():
            return "page", pages.get(int(parts[1]))
        if len(parts) == 2 and parts[0] == "attachments" and parts[1].isdigit():
            return "attachment", server.tables["attachments"].get(int(parts[1]))
        if len(parts) == 2 and parts[0] == "shelves":
            return "shelf", slugs["shelves"].get(parts[1])
        if parts and parts[0] == "books" and len(parts) in (2, 4):
            book = slugs["books"].get(parts[1])
            if len(parts) == 2 or book is None:
                return "book", book
            table = {"page": "pages", "chapter": "chapters"}.get(parts[2])
            if table is None:
                return "unknown", None
            found = next(
                (
                    e
                    for e in server.tables[table].values()
                    if e["book_id"] == book["id"] and e["slug"] == parts[3]
                ),
                None,
            )
            return parts[2], found
        return "unknown", None

    links: list[Link] = []
    for pid, page in pages.items():
        found = parsed[pid]
        for src in found.srcs:
            ok = src in images or not src.startswith(base)
            links.append(Link(page["name"], src, "" if ok else "no such image"))
        for href in found.hrefs:
            target, _, fragment = href.partition("#")
            fragment = urllib.parse.unquote(html.unescape(fragment))
            if href == "#" or href == "":
                links.append(Link(page["name"], href, "a link to the top of its own page"))
                continue
            if "bsexport" in href:
                links.append(Link(page["name"], href, "a ZIP reference"))
                continue
            if not target:  # a fragment on the same page
                ok = fragment in found.ids
                links.append(Link(page["name"], href, "" if ok else "no element with this id"))
                continue
            if not target.startswith(base):
                if re.match(r"^[a-z][a-z0-9+.-]*:", target) is None:
                    links.append(Link(page["name"], href, "a relative link"))
                else:
                    links.append(Link(page["name"], href))  # external
                continue
            kind, item = entity(target[len(base) :])
            if item is None:
                links.append(Link(page["name"], href, f"no such {kind}"))
            elif fragment and kind != "page":
                links.append(Link(page["name"], href, f"a fragment on a {kind} (no ids there)"))
            elif fragment and fragment not in parsed[item["id"]].ids:
                links.append(Link(page["name"], href, "no element with this id on the page"))
            else:
                links.append(Link(page["name"], href))
    return links
