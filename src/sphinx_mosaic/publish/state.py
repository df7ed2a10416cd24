"""What the server holds that sphinx-mosaic created: found by tags, never by name or slug.

Everything the publisher writes carries ``mosaic-project=<project>`` and
``mosaic-key=<key>`` tags (plus ``mosaic-hash``).  Reading the state costs

    1 (``/api/system``) + ceil(most owned of one type / 100) (tag search, paged per type)
    + ceil(in range / 500) for ``/api/chapters`` + ceil(in range / 500) for ``/api/pages``
    + 1 (``GET /api/shelves/{id}``)

The tag search finds everything we own.  The two listings, filtered to the
book ids from our lowest to our highest book, add the order (``priority``) and
the parents of our chapters and pages, and reveal content we did not create
inside our books; "in range" counts every chapter or page whose book id lies in
that span, ours or not.  When those listings would cost more requests than one
``GET /api/books/{id}`` per owned book (a single book, or many foreign books
created between ours), or the server pages them inconsistently, the publisher
reads each book instead.  The shelf's book list comes from the shelf itself.
"""

from __future__ import annotations

import collections
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sphinx_mosaic.publish.client import BookStackClient
from sphinx_mosaic.publish.errors import RequestRejected

TAG_PROJECT = "mosaic-project"
TAG_KEY = "mosaic-key"
TAG_HASH = "mosaic-hash"
#: One per attachment on a page: "<sha12> <name>", so a run knows which files changed.
TAG_FILE = "mosaic-file"
#: On pages: the ``revision_count`` right after our last write, and a fingerprint of the name
#: and body we sent (see :mod:`.wiki_edits`): how an edit made in the wiki is recognised.
TAG_REVISION = "mosaic-revision"
TAG_BODY = "mosaic-body"
OWNERSHIP_TAGS = frozenset({TAG_PROJECT, TAG_KEY, TAG_HASH, TAG_FILE, TAG_REVISION, TAG_BODY})

#: Bumped when the publisher writes the same sources differently (links, tags): the stored
#: hashes then no longer match, and the next run rewrites every page once.
PUBLISH_FORMAT = "1"


def stamp(content_hash: str) -> str:
    """The ``mosaic-hash`` tag value for a build's content hash."""
    return f"{PUBLISH_FORMAT}-{content_hash}"


#: The smallest BookStack version with the imports API.  ``/api/system``, which tells the
#: version, exists from v25.05; v23.x to v25.02 answer both routes with the web 404 page.
IMPORT_API_VERSION = (25, 7)
SEARCH_PAGE_SIZE = 100
#: No loop runs away: more result pages than this means the server misbehaves.
MAX_SEARCH_PAGES = 10_000
#: Rows per listing request: BookStack's largest (``API_MAX_ITEM_COUNT``); a server may cap lower.
LISTING_PAGE_SIZE = 500
#: As MAX_SEARCH_PAGES, for each listing.
MAX_LISTING_PAGES = 10_000


@dataclass
class RemoteEntity:
    """One owned shelf, book, chapter or page as the server has it."""

    type: str  # "bookshelf", "book", "chapter", "page"
    id: int
    name: str
    slug: str
    tags: list[dict[str, str]]
    book_id: int | None = None
    chapter_id: int | None = None
    priority: int | None = None

    def tag(self, name: str) -> str | None:
        for tag in self.tags:
            if tag.get("name") == name:
                return str(tag.get("value") or "")
        return None

    def tag_values(self, name: str) -> list[str]:
        return [str(t.get("value") or "") for t in self.tags if t.get("name") == name]

    @property
    def key(self) -> str:
        return self.tag(TAG_KEY) or ""

    @property
    def hash(self) -> str:
        return self.tag(TAG_HASH) or ""


@dataclass
class ServerState:
    """The owned content of one project, plus what the server can do."""

    base_url: str
    version: tuple[int, ...] | None
    #: False when ``/api/system`` is missing: BookStack older than v25.05.
    has_system: bool = True
    #: The URL of an entity the tag search returned (it starts with the server's own URL,
    #: ``APP_URL``, on any version); "" when it returned none.
    listed_url: str = ""
    shelf: RemoteEntity | None = None
    shelf_book_ids: list[int] = field(default_factory=list)
    books: dict[str, RemoteEntity] = field(default_factory=dict)
    chapters: dict[str, RemoteEntity] = field(default_factory=dict)
    pages: dict[str, RemoteEntity] = field(default_factory=dict)
    #: Owned entities that repeat a key (left by an older, interrupted run): removed.
    duplicates: list[RemoteEntity] = field(default_factory=list)
    #: Content we did not create, as (type, id), inside our books and chapters, by container
    #: id.  Ids are keyed with their type: from v25.11 all types share one id sequence,
    #: before it each type had its own, so an id alone names no entity.
    foreign_in_book: dict[int, set[tuple[str, int]]] = field(default_factory=dict)
    foreign_in_chapter: dict[int, set[tuple[str, int]]] = field(default_factory=dict)
    book_slugs: dict[int, str] = field(default_factory=dict)
    #: Owned books (by key) whose content BookStack re-sorts by a sort rule (the book's own,
    #: or the instance default given to new books), as far as the run has read them.
    sort_rules: dict[str, int] = field(default_factory=dict)
    #: Owned books (by key) read in full this run, sort rule or not.
    books_read: set[str] = field(default_factory=set)

    @property
    def supports_import(self) -> bool:
        return self.version is not None and self.version[:2] >= IMPORT_API_VERSION

    def describe_version(self) -> str:
        if self.version is None:
            if self.has_system:
                return "BookStack of unknown version"
            return "BookStack before v25.05 (no /api/system)"
        parts = [f"{n:02d}" if i == 1 else str(n) for i, n in enumerate(self.version)]
        return "BookStack v" + ".".join(parts)

    def import_path(self, use_import: bool) -> tuple[bool, str]:
        """Whether new books go through the imports API, and why (for the plan and summary)."""
        server = self.describe_version()
        if not use_import:
            return False, f"imports turned off; {server}"
        if not self.supports_import:
            return False, f"{server} has no imports API (it needs v25.07 or newer)"
        return True, f"{server} has the imports API"

    def by_type(self, kind: str) -> dict[str, RemoteEntity]:
        return {"book": self.books, "chapter": self.chapters, "page": self.pages}[kind]

    def all_entities(self) -> Iterator[RemoteEntity]:
        if self.shelf:
            yield self.shelf
        yield from self.books.values()
        yield from self.chapters.values()
        yield from self.pages.values()


def parse_version(text: str) -> tuple[int, ...] | None:
    """``"v25.07.1"`` -> ``(25, 7, 1)``; None when unreadable."""
    numbers = []
    for part in text.strip().lstrip("vV").split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        if not digits:
            break
        numbers.append(int(digits))
    return tuple(numbers) or None


def search_owned(client: BookStackClient, query: str) -> list[dict[str, Any]]:
    """Every search result for *query*, over all result pages, without repeats.

    BookStack pages each entity type on its own: page *n* holds up to ``count`` shelves,
    ``count`` books, ``count`` chapters and ``count`` pages, and ``total`` sums them.
    ``count`` above 100 is refused (422).  The results match *loosely* (see
    :func:`is_owned`): callers keep only what :func:`is_owned` accepts.
    """
    seen: dict[tuple[str, int], dict[str, Any]] = {}
    for page in range(1, MAX_SEARCH_PAGES + 1):
        answer = client.get(
            "/api/search", {"query": query, "page": page, "count": SEARCH_PAGE_SIZE}
        )
        data = answer.get("data") or []
        before = len(seen)
        for item in data:
            seen[(str(item.get("type")), int(item["id"]))] = item
        total = int(answer.get("total") or 0)
        # Stop on the total, or on a page that brings nothing new.
        if len(seen) >= total or len(seen) == before:
            break
    return list(seen.values())


def is_owned(item: dict[str, Any], project: str, key: str | None = None) -> bool:
    """Does a search result carry exactly our tags (not just what the search matched)?

    BookStack's tag search compares names and values case-insensitively, ignores
    a trailing space, compares numeric values as numbers (``[p=2024]`` finds
    ``2024-docs`` and ``2024.0``) and ignores the value ``0``: a result may be
    another project's, or another key's.
    """
    entity = _entity(item)
    if entity.tag(TAG_PROJECT) != project or not entity.key:
        return False
    return key is None or entity.key == key


def find_owned(client: BookStackClient, project: str, key: str, kind: str) -> dict[str, Any] | None:
    """Our *kind* with *key*, by tag search and an exact re-check; the lowest id wins."""
    found = [
        item
        for item in search_owned(client, owner_query(project, key, kind))
        if item.get("type") == kind and is_owned(item, project, key)
    ]
    return min(found, key=lambda item: int(item["id"]), default=None)


def owner_query(project: str, key: str | None = None, kind: str | None = None) -> str:
    query = f"[{TAG_PROJECT}={project}]"
    if key is not None:
        query += f" [{TAG_KEY}={key}]"
    if kind is not None:
        query += f" {{type:{kind}}}"
    return query


def _entity(item: dict[str, Any]) -> RemoteEntity:
    return RemoteEntity(
        type=str(item.get("type")),
        id=int(item["id"]),
        name=str(item.get("name", "")),
        slug=str(item.get("slug", "")),
        tags=[
            {"name": str(t.get("name", "")), "value": str(t.get("value") or "")}
            for t in item.get("tags") or []
        ],
        book_id=item.get("book_id"),
        chapter_id=item.get("chapter_id") or None,
        priority=item.get("priority"),
    )


def read_system(client: BookStackClient) -> tuple[str, tuple[int, ...] | None, bool]:
    """The server's base URL, version and whether it has ``/api/system`` (v25.05+).

    Older servers answer the route with their web 404 page (the client's
    :class:`~sphinx_mosaic.publish.errors.RouteMissing`); a JSON 404 or 405 means the same.
    """
    try:
        system = client.get("/api/system")
    except RequestRejected as exc:
        if exc.status in (404, 405):
            return client.base_url, None, False
        raise
    base_url = str(system.get("base_url") or client.base_url).rstrip("/")
    return base_url, parse_version(str(system.get("version", ""))), True


def read_state(client: BookStackClient, project: str) -> ServerState:
    """Read everything of *project* on the server (see the module docstring for the cost)."""
    base_url, version, has_system = read_system(client)
    state = ServerState(base_url=base_url, version=version, has_system=has_system)
    found: dict[str, list[RemoteEntity]] = collections.defaultdict(list)
    for item in search_owned(client, owner_query(project)):
        if not is_owned(item, project):
            continue  # the search matched loosely; ownership is the exact tag pair
        state.listed_url = state.listed_url or str(item.get("url") or "")
        entity = _entity(item)
        found[entity.type].append(entity)
    for kind, entities in found.items():
        entities.sort(key=lambda e: e.id)
        keep: dict[str, RemoteEntity] = {}
        for entity in entities:
            if entity.key in keep:
                state.duplicates.append(entity)
            else:
                keep[entity.key] = entity
        if kind == "bookshelf":
            state.shelf = next(iter(keep.values()), None)
            state.duplicates.extend(list(keep.values())[1:])
        elif kind in ("book", "chapter", "page"):
            state.by_type(kind).update(keep)
    _read_contents(client, state)
    if state.shelf is not None:
        shelf = client.get(f"/api/shelves/{state.shelf.id}")
        state.shelf_book_ids = [int(b["id"]) for b in shelf.get("books") or []]
    return state


def _read_contents(client: BookStackClient, state: ServerState) -> None:
    """Order, parents and foreign content: two listings, or one read per book if cheaper."""
    book_ids = sorted(book.id for book in state.books.values())
    if not book_ids:
        return
    for book in state.books.values():
        state.book_slugs[book.id] = book.slug
        state.foreign_in_book.setdefault(book.id, set())
    # The listings take at least two requests: a single book is cheaper to read whole.
    if len(book_ids) > 1:
        listed = _list_contents(client, book_ids[0], book_ids[-1], budget=len(book_ids))
        if listed is not None:
            _place_listed(state, *listed)
            return
    _read_books(client, state)


@dataclass
class Listing:
    """``/api/chapters`` or ``/api/pages`` for the book ids *low*..*high*, read in id order.

    Each request asks for the rows after the last id seen (``filter[id:gt]``),
    not for an offset: a row created or deleted meanwhile cannot shift the
    pages and hide another row.
    """

    endpoint: str
    low: int
    high: int
    rows: dict[int, dict[str, Any]] = field(default_factory=dict)
    #: Rows in range, as the first answer counts them.
    total: int = 0
    page_size: int = LISTING_PAGE_SIZE
    requests: int = 0
    done: bool = False
    #: The server ignored the id filter, the sort or its own total: the rows cannot be trusted.
    broken: bool = False

    def fetch(self, client: BookStackClient) -> None:
        """Read the next page (one request)."""
        params: dict[str, Any] = {
            "filter[book_id:gte]": self.low,
            "filter[book_id:lte]": self.high,
            "sort": "+id",
            "count": LISTING_PAGE_SIZE,
        }
        last = max(self.rows, default=0)
        if self.rows:
            params["filter[id:gt]"] = last
        answer = client.get(self.endpoint, params)
        data = [row for row in answer.get("data") or [] if int(row["id"]) > last]
        remaining = int(answer.get("total") or 0)
        if self.requests == 0:
            self.total, self.page_size = remaining, max(len(data), 1)
        self.requests += 1
        ids = [int(row["id"]) for row in data]
        self.rows.update(zip(ids, data, strict=True))
        if ids != sorted(ids):
            self.broken = True  # unsorted: the next "after the last id" could skip rows
        elif len(data) >= remaining:
            self.done = True
        elif not data or self.requests >= MAX_LISTING_PAGES:
            self.broken = True

    @property
    def requests_left(self) -> int:
        if self.done or self.broken:
            return 0
        return math.ceil(max(self.total - len(self.rows), 1) / self.page_size)

    def finish(self, client: BookStackClient) -> bool:
        """Read the remaining pages; False when the server paged inconsistently."""
        while not (self.done or self.broken):
            self.fetch(client)
        return self.done


def _list_contents(
    client: BookStackClient, low: int, high: int, budget: int
) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]] | None:
    """Every chapter and page in books *low*..*high*; None when reading books is cheaper.

    *budget* is what the per-book reads cost.  The first page of each listing
    tells its total; more requests than *budget* left means many foreign books
    lie between ours, and the listings stop there (at most two requests spent).
    """
    pages = Listing("/api/pages", low, high)
    pages.fetch(client)
    if pages.broken or pages.requests_left + 1 > budget:
        return None
    chapters = Listing("/api/chapters", low, high)
    chapters.fetch(client)
    if chapters.broken or pages.requests_left + chapters.requests_left > budget:
        return None
    if not (pages.finish(client) and chapters.finish(client)):
        return None
    return chapters.rows, pages.rows


def _place_listed(
    state: ServerState,
    chapters: dict[int, dict[str, Any]],
    pages: dict[int, dict[str, Any]],
) -> None:
    """Parents and order of owned content from the rows; the rest in our books is foreign."""
    ours = {book.id for book in state.books.values()}
    owned_chapters = {c.id: c for c in state.chapters.values()}
    owned_pages = {p.id: p for p in state.pages.values()}
    for chapter_id, row in chapters.items():
        book_id = int(row.get("book_id") or 0)
        chapter = owned_chapters.get(chapter_id)
        if chapter is not None:
            chapter.book_id, chapter.priority = book_id, row.get("priority")
        elif book_id in ours:
            state.foreign_in_book[book_id].add(("chapter", chapter_id))
        if book_id in ours:
            state.foreign_in_chapter.setdefault(chapter_id, set())
    for page_id, row in pages.items():
        book_id = int(row.get("book_id") or 0)
        parent = int(row.get("chapter_id") or 0) or None  # BookStack stores 0 for "none"
        page = owned_pages.get(page_id)
        if page is not None:
            page.book_id, page.chapter_id = book_id, parent
            page.priority = row.get("priority")
        elif book_id in ours:
            state.foreign_in_book[book_id].add(("page", page_id))
            if parent is not None:
                state.foreign_in_chapter.setdefault(parent, set()).add(("page", page_id))


def note_sort_rule(state: ServerState, key: str, book: dict[str, Any]) -> None:
    """Record the book's ``sort_rule_id`` (BookStack v25.02+) from a read or write answer."""
    state.books_read.add(key)
    rule = book.get("sort_rule_id")
    if isinstance(rule, int) and rule > 0:
        state.sort_rules[key] = rule
    else:
        state.sort_rules.pop(key, None)


def read_sort_rules(client: BookStackClient, state: ServerState, keys: set[str]) -> None:
    """Read the owned books in *keys* not read yet: does a sort rule override our order?"""
    for key in sorted(keys - state.books_read):
        remote = state.books.get(key)
        if remote is not None:
            note_sort_rule(state, key, client.get(f"/api/books/{remote.id}"))


def _read_books(client: BookStackClient, state: ServerState) -> None:
    """Order, parents and foreign content from each owned book's ``contents``."""
    pages = {p.id: p for p in state.pages.values()}
    chapters = {c.id: c for c in state.chapters.values()}
    for book in state.books.values():
        detail = client.get(f"/api/books/{book.id}")
        state.book_slugs[book.id] = str(detail.get("slug") or book.slug)
        note_sort_rule(state, book.key, detail)
        foreign = state.foreign_in_book.setdefault(book.id, set())
        for child in detail.get("contents") or []:
            child_id = int(child["id"])
            if child.get("type") == "chapter":
                chapter = chapters.get(child_id)
                if chapter is None:
                    foreign.add(("chapter", child_id))
                else:
                    chapter.book_id, chapter.priority = book.id, child.get("priority")
                inner = state.foreign_in_chapter.setdefault(child_id, set())
                for grandchild in child.get("pages") or []:
                    page = pages.get(int(grandchild["id"]))
                    if page is None:
                        inner.add(("page", int(grandchild["id"])))
                        foreign.add(("page", int(grandchild["id"])))
                    else:
                        page.book_id, page.chapter_id = book.id, child_id
                        page.priority = grandchild.get("priority")
            else:
                page = pages.get(child_id)
                if page is None:
                    foreign.add(("page", child_id))
                else:
                    page.book_id, page.chapter_id = book.id, None
                    page.priority = child.get("priority")
