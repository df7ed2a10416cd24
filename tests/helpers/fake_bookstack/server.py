"""A stateful fake BookStack API server for tests and benchmarks (127.0.0.1 only).

Built from BookStack's API as documented and read in its source: endpoints,
listing with count/offset/filter, tag search, error shapes, auth, rate limit, the
imports API and ZIP tokens, slugs.  It is not
BookStack: it keeps what a publisher can observe (ids, slugs, priorities,
tags, parents, revisions, files, the recycle bin) and fails the way BookStack
fails (401/403/404/422/429/500 shapes), plus injected faults.

Use::

    with FakeBookStack() as server:       # starts on 127.0.0.1:<free port>
        server.url, server.token_id, server.token_secret
        server.fail(503, count=3)          # the next 3 requests answer 503
        server.drop(count=1, after=True)   # process the next request, then drop the connection
        server.down_after_writes(10)       # after 10 more writes, drop everything (server.up())
        server.counts                      # Counter of requests by method

    FakeBookStack(workers=2, race=True)    # two requests at once; overlapping writes in
                                           # one book fail as on a real server (see below)
    FakeBookStack(drop_every=7)            # every 7th write is done, its answer dropped
    FakeBookStack(version="v25.11.0")      # null relation ids, one id sequence for all types

The race: every page or chapter create or update (and every book update) makes a
real BookStack rebuild the permission rows of the whole book, in two transactions.
A write that arrives while another write in the same book is rebuilding fails
with a 404 ("No query results for model [...Chapter] 45"; nothing saved) or a
500 ("Integrity constraint violation: 1062 Duplicate entry ..."): that write WAS
saved, but its entity is hidden from every read, listing and search until a later
successful write in that book rebuilds the rows (``server.hidden``).
"""

from __future__ import annotations

import collections
import json
import operator
import random
import re
import threading
import time
import unicodedata
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

from helpers.fake_bookstack.editor import render_filter, tinymce_save
from helpers.fake_bookstack.export import ExportZip
from helpers.fake_bookstack.imports import (
    ApiError,
    ImportsApi,
    error,
    image_mime,
    invalid,
    json_error,
    web_404,
)

#: The token's user, as BookStack shows a user on an entity (``created_by``, ``updated_by``).
API_USER = {"id": 3, "name": "Docs Publisher", "slug": "docs-publisher"}
TOKEN_ID = "publisher-token-id"
TOKEN_SECRET = "s3cret-publisher-token-value"
LISTING_FIELDS = {
    "shelves": ("id", "name", "slug", "description"),
    "books": ("id", "name", "slug", "description"),
    "chapters": ("id", "book_id", "name", "slug", "priority"),
    "pages": ("id", "book_id", "chapter_id", "name", "slug", "priority", "draft"),
    "image-gallery": ("id", "name", "url", "path", "type", "uploaded_to"),
    "attachments": ("id", "name", "extension", "uploaded_to", "external", "order"),
    "imports": ("id", "name", "size", "type"),
}
SEARCH_TYPES = {"shelves": "bookshelf", "books": "book", "chapters": "chapter", "pages": "page"}
#: The message a real BookStack gives an upload that is not an image by its content.
NOT_AN_IMAGE = "The image must be a file of type: jpeg, png, gif, webp, avif."


class Clock(Protocol):
    def monotonic(self) -> float: ...


class _RealClock:
    def monotonic(self) -> float:
        return time.monotonic()


@dataclass
class Fault:
    action: str  # "status", "drop" or "slow"
    count: int
    status: int = 503
    method: str | None = None
    path: str | None = None  # a regex searched in the path
    after: bool = False  # drop: process the request first, then drop the answer
    retry_after: str | None = None
    delay: float = 0.0

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method != method:
            return False
        return not (self.path and not re.search(self.path, path))


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    files: dict[str, tuple[str, bytes]]
    json: Any
    headers: dict[str, str]


_DROP = object()


def slugify(name: str) -> str:
    """Laravel's ``Str::slug`` as BookStack uses it, roughly (ASCII folding, not
    portable-ascii's tables: test names are ASCII)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"_+", "-", text).replace("@", "-at-").lower()
    text = re.sub(r"[^-a-z0-9\s]", "", text)
    return re.sub(r"[-\s]+", "-", text).strip("-")


@dataclass
class FakeBookStack(ImportsApi, ExportZip):
    """The fake server; see the module docstring."""

    #: ``/api/system`` exists from v25.05, ``/api/imports`` from v25.07; None: v23.x.
    version: str | None = "v25.07.2"
    token_id: str = TOKEN_ID
    token_secret: str = TOKEN_SECRET
    api_permission: bool = True
    #: Role permissions the token's user lacks, e.g. {"content-import", "page-delete"}.
    denied: set[str] = field(default_factory=set)
    #: Requests per 60 s window (None: no throttle), measured on *clock*.
    rate_limit: int | None = None
    clock: Clock = field(default_factory=_RealClock)
    import_failure: str | None = None
    #: Largest request body in bytes (PHP post_max_size); larger ones get 413.
    max_body: int | None = None
    #: BookStack's upload limit (FILE_UPLOAD_SIZE_LIMIT, here in bytes): from v25.12 an
    #: import's data.json and each file in its ZIP must not be larger (422 otherwise).
    upload_limit: int | None = None
    #: The instance's default sort rule (v25.02+), given to every new book; the fake's
    #: rules all sort by name, A to Z, as BookStack's "Name - Alphabetical" does.
    default_sort_rule: int | None = None
    #: The URL the server knows itself by (BookStack's ``APP_URL``), in ``/api/system``,
    #: entity and upload URLs; None: the address it listens on (``http://127.0.0.1:<port>``).
    app_url: str | None = None
    #: Requests served at once (None: no limit), as the PHP workers of php-fpm.
    workers: int | None = None
    #: Overlapping writes in one book fail as on a real server (see the module docstring).
    race: bool = False
    #: How long a write's permission rebuild keeps its book busy, in seconds (real time).
    race_window: float = 0.02
    #: Drop the answer of every Nth successful write (the write itself is done).
    drop_every: int | None = None

    def __post_init__(self) -> None:
        self.lock = threading.RLock()
        self.rng = random.Random(7)
        self.tables: dict[str, dict[int, dict[str, Any]]] = {t: {} for t in LISTING_FIELDS}
        self.recycle_bin: list[tuple[str, dict[str, Any]]] = []
        self.next_id: collections.Counter[str] = collections.Counter()
        self.log: list[tuple[str, str]] = []
        self.faults: list[Fault] = []
        self.throttled = 0
        self.cookies_received = 0
        self._window: tuple[float, int] = (0.0, 0)
        self._down_after: int | None = None
        self._down = False
        self.httpd: ThreadingHTTPServer | None = None
        self.slots = threading.BoundedSemaphore(self.workers) if self.workers else None
        #: Books whose permission rows are being rebuilt now: book id -> writes in flight.
        self.busy: collections.Counter[int] = collections.Counter()
        #: Saved entities without permission rows: (table, id), invisible to every reader.
        self.hidden: set[tuple[str, int]] = set()
        #: What the race did: "404", "500" (per conflicting write), "revealed" (per entity).
        self.races: collections.Counter[str] = collections.Counter()
        #: Most writes rebuilding permission rows at one time (any books).
        self.peak_rebuilds = 0
        self._writes_done = 0

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> FakeBookStack:
        handler = type("Handler", (_Handler,), {"app": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None

    def __enter__(self) -> FakeBookStack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self.httpd is not None, "start() the server first"
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def own_url(self) -> str:
        """The server's ``APP_URL`` (what it writes into the URLs it gives)."""
        return self.app_url or self.url

    # -- test controls ----------------------------------------------------------------------

    def fail(self, status: int, count: int = 1, **match: Any) -> None:
        self.faults.append(Fault("status", count, status=status, **match))

    def drop(self, count: int = 1, **match: Any) -> None:
        self.faults.append(Fault("drop", count, **match))

    def slow(self, count: int = 1, seconds: float = 0.5, **match: Any) -> None:
        """Answer the next matching requests only after *seconds* (real time)."""
        self.faults.append(Fault("slow", count, delay=seconds, **match))

    def delay(self, method: str, path: str) -> float:
        with self.lock:
            for fault in self.faults:
                if fault.action == "slow" and fault.count > 0 and fault.matches(method, path):
                    fault.count -= 1
                    return fault.delay
        return 0.0

    def down_after_writes(self, writes: int) -> None:
        self._down_after = writes

    def up(self) -> None:
        self._down, self._down_after = False, None
        self.faults.clear()

    @property
    def counts(self) -> collections.Counter[str]:
        return collections.Counter(method for method, _ in self.log)

    @property
    def reads(self) -> int:
        return self.counts["GET"]

    @property
    def writes(self) -> int:
        return sum(n for method, n in self.counts.items() if method != "GET")

    def reset_counts(self) -> None:
        with self.lock:
            self.log.clear()
            self.throttled = 0

    def live(self, table: str) -> list[dict[str, Any]]:
        return list(self.tables[table].values())

    def tagged(self, table: str, name: str, value: str | None = None) -> list[dict[str, Any]]:
        return [e for e in self.live(table) if _has_tag(e, name, value)]

    def edit_in_wiki(
        self, page_id: int, html: str | None = None, name: str | None = None, user: str = "Jane Doe"
    ) -> dict[str, Any]:
        """A person saves the page in BookStack's editor (not through our token)."""
        with self.lock:
            page = self.tables["pages"][page_id]
            if html is not None:
                page["html"] = _stored_html(html)
            if name is not None:
                page["name"] = name
            page["revision_count"] += 1
            slug = slugify(user)
            page["updated_by"] = {"id": 7 + len(slug), "name": user, "slug": slug}
            page["updated_at"] = self._now()
            return page

    def save_in_editor(
        self,
        page_id: int,
        user: str = "Jane Doe",
        *,
        filtered: bool = False,
        change: Callable[[str], str] | None = None,
    ) -> dict[str, Any]:
        """A person opens the page in the WYSIWYG editor and saves it, changing nothing
        (or what *change* does to the editor's HTML).  With *filtered*, the editor was
        pre-filled with the page as v25.12.4's render filter shows it (anyone but the
        page's author gets that), so the filtered page is stored."""
        with self.lock:
            shown = self.tables["pages"][page_id]["html"]
        if filtered:
            shown = render_filter(shown)
        saved = tinymce_save(shown)
        return self.edit_in_wiki(page_id, html=change(saved) if change else saved, user=user)

    def _now(self) -> str:
        self._ticks = getattr(self, "_ticks", 0) + 1
        return f"2026-12-01T10:{self._ticks // 60:02d}:{self._ticks % 60:02d}.000000Z"

    def create(self, table: str, **fields: Any) -> dict[str, Any]:
        """Make content directly (e.g. foreign content a user made by hand)."""
        with self.lock:
            return self._create(table, fields)

    # -- request handling -------------------------------------------------------------------

    def handle(self, request: Request) -> tuple[int, dict[str, str], bytes] | object:
        rebuilding: list[int] = []
        try:
            with self.lock:
                answer = self._handle(request, rebuilding)
            if rebuilding:
                time.sleep(self.race_window)  # the rebuild: other requests run meanwhile
            return answer
        finally:
            if rebuilding:
                with self.lock:
                    self.busy.subtract(rebuilding)

    def _handle(
        self, request: Request, rebuilding: list[int]
    ) -> tuple[int, dict[str, str], bytes] | object:
        self.log.append((request.method, request.path))
        if self._down:
            return _DROP
        for fault in self.faults:
            if fault.action == "slow" or fault.action.startswith("race-"):
                continue
            if fault.count > 0 and fault.matches(request.method, request.path):
                fault.count -= 1
                if fault.action == "drop" and not fault.after:
                    return _DROP
                if fault.action == "status":
                    headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                    body = {"error": {"message": "Injected fault", "code": fault.status}}
                    if fault.status == 429:
                        body = {"error": {"message": "Too Many Attempts.", "code": 429}}
                    return fault.status, headers, json.dumps(body).encode()
                break
        else:
            fault = None
        try:
            status, body = self._race(request, rebuilding)
            headers: dict[str, str] = {}
        except ApiError as exc:
            status, body, headers = exc.status, exc.body, exc.headers
        except Exception as exc:  # a bug in the fake: answer it loudly, do not hang up
            status, headers = 599, {}
            body = {"message": f"fake server bug: {exc!r}", "status": "error"}
        if request.method != "GET" and status < 300:
            self._run_sort_rules()
        if request.method != "GET" and status < 300 and self._down_after is not None:
            self._down_after -= 1
            if self._down_after <= 0:
                self._down = True
        if fault is not None and fault.action == "drop":
            return _DROP
        if request.method != "GET" and status < 300 and self.drop_every:
            self._writes_done += 1
            if self._writes_done % self.drop_every == 0:
                return _DROP
        if isinstance(body, bytes):  # a file (the ZIP export)
            return status, {**headers, "Content-Type": "application/zip"}, body
        payload = b"" if status == 204 else json.dumps(body).encode()
        return status, headers, payload

    def race_next(self, outcome: str, count: int = 1, **match: Any) -> None:
        """The next matching writes fail as if another client wrote in the book at that time.

        *outcome* ``"404"``: nothing saved; ``"500"``: saved, but hidden until the next
        successful write in the same book.
        """
        self.faults.append(Fault("race-" + outcome, count, **match))

    @property
    def null_relations(self) -> bool:
        """v25.11 and later answer ``chapter_id: null`` for "no chapter" (``0`` before)."""
        return self.version_tuple >= (25, 11)

    @property
    def shared_ids(self) -> bool:
        """v25.11 and later keep books, chapters, pages and shelves in one table: one sequence."""
        return self.version_tuple >= (25, 11)

    def _race(self, request: Request, rebuilding: list[int]) -> tuple[int, Any]:
        """Dispatch a request; a write that overlaps another in its book fails as on BookStack."""
        books, table, model = self._books_written(request)
        forced = self._forced_race(request) if books else None
        if books and (forced or (self.race and any(self.busy[b] for b in books))):
            outcome = forced or self.rng.choice(("404", "500"))
            if outcome == "404" or table == "books" or request.method == "DELETE":
                self.races["404"] += 1
                raise error(
                    404, f"No query results for model [BookStack\\Entities\\Models\\{model}"
                )
            status, body = self._dispatch(request)
            if status < 300 and isinstance(body, dict) and "id" in body:
                self.hidden.add((table, int(body["id"])))
            self.races["500"] += 1
            book = books[0]
            raise error(
                500,
                "SQLSTATE[23000]: Integrity constraint violation: 1062 Duplicate entry "
                f"'1-book-{book}' for key 'PRIMARY' (Connection: mysql, SQL: insert into "
                "`joint_permissions` (`entity_id`, `entity_type`, `has_permission`, "
                "`has_permission_own`, `owned_by`, `role_id`) values (...))",
            )
        status, body = self._dispatch(request)
        if books and status < 300:
            self._reveal(books)
            if self.race:
                rebuilding.extend(books)
                self.busy.update(books)
                self.peak_rebuilds = max(self.peak_rebuilds, sum(self.busy.values()))
        return status, body

    def _forced_race(self, request: Request) -> str | None:
        for fault in self.faults:
            if (
                fault.action.startswith("race-")
                and fault.count > 0
                and fault.matches(request.method, request.path)
            ):
                fault.count -= 1
                return fault.action[len("race-") :]
        return None

    def _books_written(self, request: Request) -> tuple[list[int], str, str]:
        """The books whose permission rows a write rebuilds, its table, and the model a
        404 names (the parent of a create, the entity of an update)."""
        parts = request.path[len("/api/") :].strip("/").split("/")
        if request.method not in ("POST", "PUT", "DELETE") or parts[0] not in (
            "books",
            "chapters",
            "pages",
        ):
            return [], "", ""
        table = parts[0]
        data = request.json if isinstance(request.json, dict) else {}
        books: set[int] = set()
        chapter_id = _int(str(data.get("chapter_id") or 0), 0)
        book_id = _int(str(data.get("book_id") or 0), 0)
        if chapter_id and chapter_id in self.tables["chapters"]:
            books.add(self.tables["chapters"][chapter_id]["book_id"])
        elif book_id in self.tables["books"]:
            books.add(book_id)
        if len(parts) == 1:
            if request.method != "POST" or table == "books":
                return [], "", ""
            model = f"Chapter] {chapter_id}" if chapter_id else f"Book] {book_id}"
            return sorted(books), table, model
        item = self.tables[table].get(_int(parts[1], 0)) if len(parts) == 2 else None
        if item is None:
            return [], "", ""
        books.add(item["id"] if table == "books" else item["book_id"])
        return sorted(books), table, f"{table[:-1].title()}] {item['id']}"

    def _reveal(self, books: list[int]) -> None:
        """A successful write rebuilt these books' rows: what was hidden in them shows again."""
        for table, entity_id in sorted(self.hidden):
            entity = self.tables[table].get(entity_id)
            if entity is None or entity.get("book_id") in books:
                self.hidden.discard((table, entity_id))
                self.races["revealed"] += 1

    def _visible(self, table: str, entity: dict[str, Any]) -> bool:
        return (table, entity["id"]) not in self.hidden

    def _shown(self, row: dict[str, Any]) -> dict[str, Any]:
        """A row as the API shows it: v25.11+ says ``null`` where older versions say 0."""
        if self.null_relations and row.get("chapter_id") == 0:
            return {**row, "chapter_id": None}
        return row

    def _throttle(self) -> None:
        if self.rate_limit is None:
            return
        now = self.clock.monotonic()
        start, used = self._window
        if now - start >= 60:
            start, used = now, 0
        if used >= self.rate_limit:
            self.throttled += 1
            wait = max(1, int(start + 60 - now + 0.999))
            raise ApiError(
                429,
                {"error": {"message": "Too Many Attempts.", "code": 429}},
                {
                    "Retry-After": str(wait),
                    "X-RateLimit-Limit": str(self.rate_limit),
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": str(int(time.time()) + wait),
                },
            )
        self._window = (start, used + 1)

    def _auth(self, request: Request) -> None:
        if "bookstack_session=" in request.headers.get("cookie", ""):
            # The session cookie of a web page wins over the token: the guest's web session.
            self.cookies_received += 1
            raise error(
                403, "The owner of the used API token does not have permission to make API calls"
            )
        header = request.headers.get("authorization", "")
        if not header:
            raise error(401, "No authorization token found on the request")
        if not header.startswith("Token ") or ":" not in header:
            raise error(
                401,
                "An authorization token was found on the request but the format appeared incorrect",
            )
        token_id, _, secret = header[6:].partition(":")
        if token_id != self.token_id:
            raise error(401, "No matching API token was found for the provided authorization token")
        if secret != self.token_secret:
            raise error(401, "The secret provided for the given used API token is incorrect")
        if not self.api_permission:
            raise error(
                403, "The owner of the used API token does not have permission to make API calls"
            )

    def _routes(self) -> set[str]:
        """The API route families this version has (the rest answer the web 404 page)."""
        routes = set(LISTING_FIELDS) | {"search"}
        if self.version_tuple < (25, 7):
            routes.discard("imports")
        if self.version_tuple >= (25, 5):
            routes.add("system")
        return routes

    @property
    def version_tuple(self) -> tuple[int, ...]:
        """``version`` as numbers; None stands for the oldest API tested (v23.x)."""
        if self.version is None:
            return (23, 12)
        return tuple(int(part) for part in self.version.lstrip("v").split("."))

    def _dispatch(self, request: Request) -> tuple[int, Any]:
        parts = request.path[len("/api/") :].strip("/").split("/")
        if not request.path.startswith("/api/") or parts[0] not in self._routes():
            # No API route matched: Laravel renders the web 404 page (and starts a session).
            raise web_404()
        self._throttle()
        self._auth(request)
        method = request.method
        if method == "POST" and request.form.get("_method"):
            method = request.form["_method"].upper()
        if parts == ["system"]:
            return 200, {
                "version": self.version,
                "instance_id": "fake",
                "app_name": "BookStack",
                "app_logo": None,
                "base_url": self.own_url,
            }
        if parts == ["search"] and method == "GET":
            return 200, self._search(request.query)
        table = parts[0]
        if len(parts) == 1:
            if method == "GET":
                return 200, self._list(table, request.query)
            if method == "POST":
                if table == "imports":
                    return 200, self._upload_import(request)
                return 200, self._output(table, self._create(table, self._input(request)))
        elif len(parts) == 2 and parts[1].isdigit():
            item = self.tables[table].get(int(parts[1]))
            if item is None or not self._visible(table, item):
                raise error(404, f"{table[:-1].title()} not found")
            if method == "GET":
                return 200, self._read(table, item)
            if method == "PUT":
                return 200, self._output(table, self._update(table, item, self._input(request)))
            if method == "DELETE":
                self._delete(table, item)
                return 204, None
            if method == "POST" and table == "imports":
                return 200, self._run_import(item)
        elif (
            len(parts) == 4
            and parts[1].isdigit()
            and parts[2:] == ["export", "zip"]
            and table in ("books", "chapters", "pages")
            and method == "GET"
        ):
            if self.version_tuple < (25, 7):
                raise web_404()  # the ZIP export reached the API in v25.07
            item = self.tables[table].get(int(parts[1]))
            if item is None or not self._visible(table, item):
                raise error(404, f"{table[:-1].title()} not found")
            return 200, self._export_zip(table, item)
        raise error(405, "Method not allowed")

    # -- entities ---------------------------------------------------------------------------

    def _input(self, request: Request) -> dict[str, Any]:
        data: dict[str, Any] = dict(request.json) if isinstance(request.json, dict) else {}
        data.update({k: v for k, v in request.form.items() if k != "_method"})
        for name, (filename, content) in request.files.items():
            data[name] = (filename, content)
        return data

    def _slug(self, table: str, name: str, book_id: int | None, own_id: int | None) -> str:
        base = slugify(name) or "".join(self.rng.choices("0123456789abcdef", k=5))
        taken = {
            e["slug"]
            for e in self.tables[table].values()
            if e["id"] != own_id and (book_id is None or e.get("book_id") == book_id)
        }
        slug = base
        while slug in taken:
            suffix = "".join(self.rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=3))
            slug = f"{base}-{suffix}"
        return slug

    def _check(self, table: str, data: dict[str, Any], creating: bool) -> None:
        problems: dict[str, str] = {}
        name = data.get("name")
        if (
            creating
            and table in ("shelves", "books", "chapters", "pages", "attachments")
            and (not isinstance(name, str) or not name.strip())
        ):
            problems["name"] = "The name field is required."
        if isinstance(name, str) and len(name) > (180 if table == "image-gallery" else 255):
            problems["name"] = "The name may not be greater than 255 characters."
        if len(str(data.get("description_html") or "")) > 2000:
            problems["description_html"] = (
                "The description html may not be greater than 2000 characters."
            )
        for i, tag in enumerate(data.get("tags") or []):
            if not isinstance(tag, dict) or not str(tag.get("name", "")).strip():
                problems[f"tags.{i}.name"] = "The tags.{i}.name field is required."
        if "priority" in data and not isinstance(data["priority"], int):
            problems["priority"] = "The priority must be an integer."
        if table == "chapters" and creating and data.get("book_id") not in self.tables["books"]:
            problems["book_id"] = "The book id field is required."
        if table == "pages" and creating:
            if not data.get("book_id") and not data.get("chapter_id"):
                problems["book_id"] = (
                    "The book id field is required when chapter id is not present."
                )
            if not data.get("html") and not data.get("markdown"):
                problems["html"] = "The html field is required when markdown is not present."
        if problems:
            raise invalid(problems)

    def _create(self, table: str, data: dict[str, Any]) -> dict[str, Any]:
        if table in ("image-gallery", "attachments"):
            return self._create_file(table, data)
        self._check(table, data, creating=True)
        sequence = "entities" if self.shared_ids else table
        self.next_id[sequence] += 1
        item: dict[str, Any] = {
            "id": self.next_id[sequence],
            "name": data["name"].strip(),
            "tags": _tags(data.get("tags")),
            "created_at": "2026-01-01",
        }
        if table in ("shelves", "books", "chapters"):
            item["description_html"] = data.get("description_html") or ""
        if table == "books":
            item["sort_rule_id"] = self.default_sort_rule
        if table == "shelves":
            item["books"] = [int(b) for b in data.get("books") or []]
        if table == "chapters":
            item["book_id"] = int(data["book_id"])
        if table == "pages":
            self._place_page(item, data)
            item.update(
                html=_stored_html(data.get("html") or ""),
                markdown=data.get("markdown") or "",
                draft=False,
                revision_count=1,
                created_by=API_USER,
                updated_by=API_USER,
                updated_at=self._now(),
            )
            if item["markdown"]:
                item["html"] = f"<p>{item['markdown']}</p>"
        if table in ("chapters", "pages"):
            item["priority"] = data.get("priority", self._next_priority(item["book_id"]))
        item["slug"] = self._slug(table, item["name"], item.get("book_id"), None)
        self.tables[table][item["id"]] = item
        return item

    def _place_page(self, item: dict[str, Any], data: dict[str, Any]) -> None:
        if data.get("chapter_id"):
            chapter = self.tables["chapters"].get(int(data["chapter_id"]))
            if chapter is None:
                raise invalid({"chapter_id": "The selected chapter id is invalid."})
            if not self._visible("chapters", chapter):
                raise error(
                    404,
                    "No query results for model [BookStack\\Entities\\Models\\Chapter] "
                    f"{chapter['id']}",
                )
            item["book_id"], item["chapter_id"] = chapter["book_id"], chapter["id"]
        else:
            if int(data["book_id"]) not in self.tables["books"]:
                raise invalid({"book_id": "The selected book id is invalid."})
            item["book_id"], item["chapter_id"] = int(data["book_id"]), 0

    def _next_priority(self, book_id: int) -> int:
        children = [
            e
            for t in ("chapters", "pages")
            for e in self.tables[t].values()
            if e.get("book_id") == book_id
        ]
        return max((int(e["priority"]) for e in children), default=0) + 1

    def _update(self, table: str, item: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        if table in ("image-gallery", "attachments"):
            return self._update_file(table, item, data)
        self._check(table, data, creating=False)
        if "tags" in data:
            item["tags"] = _tags(data["tags"])
        if "description_html" in data:
            item["description_html"] = data["description_html"] or ""
        if table == "shelves" and "books" in data:
            item["books"] = [int(b) for b in data["books"] or []]
        old_parent = (item.get("book_id"), item.get("chapter_id"))
        if table == "chapters" and data.get("book_id") and data["book_id"] != item["book_id"]:
            if "chapter-delete" in self.denied:
                raise json_error(500, "You do not have permission to move this chapter")
            item["book_id"] = int(data["book_id"])
            for page in self.tables["pages"].values():
                if page["chapter_id"] == item["id"]:
                    page["book_id"] = item["book_id"]
        if table == "pages" and (data.get("book_id") or data.get("chapter_id")):
            new: dict[str, Any] = {}
            self._place_page(new, data)
            if (new["book_id"], new["chapter_id"]) != old_parent:
                if "page-delete" in self.denied:
                    raise json_error(500, "You do not have permission to move this page")
                item.update(new)
        if table == "pages":
            if "html" in data:
                item["html"] = _stored_html(data["html"])
            if "markdown" in data:
                item["markdown"] = data["markdown"]
                if data["markdown"]:
                    item["html"] = f"<p>{data['markdown']}</p>"
            # Every update counts, even one that changes nothing (measured on v25.07.2).
            item["revision_count"] += 1
            item["updated_by"], item["updated_at"] = API_USER, self._now()
        if "priority" in data:
            item["priority"] = data["priority"]
        renamed = "name" in data and data["name"].strip() != item["name"]
        if renamed:
            item["name"] = data["name"].strip()
        if renamed or (item.get("book_id"), item.get("chapter_id")) != old_parent:
            item["slug"] = self._slug(table, item["name"], item.get("book_id"), item["id"])
        return item

    def set_sort_rule(self, book_id: int, rule: int | None) -> None:
        """An admin sets (or removes) a book's sort rule in the UI."""
        with self.lock:
            self.tables["books"][book_id]["sort_rule_id"] = rule
            self._run_sort_rules()

    def _run_sort_rules(self) -> None:
        """Re-sort every book that has a sort rule, as BookStack does after each change."""
        for book in self.tables["books"].values():
            if not book.get("sort_rule_id"):
                continue
            direct = [c for c in self.tables["chapters"].values() if c["book_id"] == book["id"]]
            direct += self._pages_of(book_id=book["id"], chapter_id=0)
            for number, child in enumerate(sorted(direct, key=_by_name), start=1):
                child["priority"] = number
            for chapter in direct:
                if "revision_count" not in chapter:  # a chapter: sort its pages too
                    pages = sorted(self._pages_of(chapter_id=chapter["id"]), key=_by_name)
                    for number, page in enumerate(pages, start=1):
                        page["priority"] = number

    def _delete(self, table: str, item: dict[str, Any]) -> None:
        del self.tables[table][item["id"]]
        self.recycle_bin.append((table, item))
        if table == "books":
            for child_table in ("chapters", "pages"):
                for child in list(self.tables[child_table].values()):
                    if child["book_id"] == item["id"]:
                        self._delete(child_table, child)
        if table == "chapters":
            for page in list(self.tables["pages"].values()):
                if page["chapter_id"] == item["id"]:
                    self._delete("pages", page)

    # -- files ------------------------------------------------------------------------------

    def _create_file(self, table: str, data: dict[str, Any]) -> dict[str, Any]:
        page_id = int(data.get("uploaded_to") or 0)
        if page_id not in self.tables["pages"]:
            raise invalid({"uploaded_to": "The selected uploaded to is invalid."})
        self.next_id[table] += 1
        item: dict[str, Any] = {"id": self.next_id[table], "uploaded_to": page_id}
        if table == "image-gallery":
            if data.get("type") not in ("gallery", "drawio"):
                raise invalid({"type": "The selected type is invalid."})
            if "image-create-all" in self.denied:
                raise error(403, "You do not have permission to create images")
            upload = data.get("image")
            if not isinstance(upload, tuple) or _image_type(upload[1]) is None:
                raise invalid({"image": NOT_AN_IMAGE})
            name = str(data.get("name") or upload[0])
            if len(name) > 180:
                raise invalid({"name": "The name may not be greater than 180 characters."})
            item.update(
                name=name,
                type=data["type"],
                data=upload[1],
                path=f"/uploads/images/gallery/{item['id']}-{upload[0]}",
            )
            item["url"] = self.own_url + item["path"]
        else:
            if not str(data.get("name") or "").strip():
                raise invalid({"name": "The name field is required."})
            item.update(name=data["name"], order=item["id"])
            self._set_attachment_content(item, data, creating=True)
        self.tables[table][item["id"]] = item
        return item

    def _set_attachment_content(
        self, item: dict[str, Any], data: dict[str, Any], creating: bool
    ) -> None:
        upload = data.get("file")
        if isinstance(upload, tuple):
            item.update(
                data=upload[1],
                external=False,
                link=None,
                extension=upload[0].rsplit(".", 1)[-1] if "." in upload[0] else "",
            )
        elif data.get("link"):
            item.update(data=None, external=True, link=data["link"], extension="")
        elif creating:
            raise invalid({"file": "The file field is required when link is not present."})

    def _update_file(
        self, table: str, item: dict[str, Any], data: dict[str, Any]
    ) -> dict[str, Any]:
        if "name" in data:
            item["name"] = data["name"]
        if table == "attachments":
            self._set_attachment_content(item, data, creating=False)
        return item

    # -- reading ------------------------------------------------------------------------------

    def _output(self, table: str, item: dict[str, Any]) -> dict[str, Any]:
        out = self._shown({k: v for k, v in item.items() if k not in ("data", "zip")})
        if "tags" in out:
            out["tags"] = _ordered(out["tags"])
        return out

    def _read(self, table: str, item: dict[str, Any]) -> dict[str, Any]:
        out = self._output(table, item)
        if table == "books":
            out["contents"] = self._contents(item["id"])
        if table == "chapters":
            out["pages"] = [self._brief(p) for p in self._pages_of(chapter_id=item["id"])]
        if table == "shelves":
            out["books"] = [
                {
                    "id": b,
                    "name": self.tables["books"][b]["name"],
                    "slug": self.tables["books"][b]["slug"],
                }
                for b in item["books"]
                if b in self.tables["books"]
            ]
        if table == "pages":
            # ``html`` is the page rendered for readers, ``raw_html`` what is stored.
            out["raw_html"] = item["html"]
            out["html"] = _rendered_html(item["html"])
        return out

    def _brief(self, item: dict[str, Any]) -> dict[str, Any]:
        keys = ("id", "name", "slug", "book_id", "chapter_id", "priority", "draft")
        return self._shown({k: item[k] for k in keys if k in item})

    def _pages_of(self, **where: int) -> list[dict[str, Any]]:
        pages = [
            p
            for p in self.tables["pages"].values()
            if all(p[k] == v for k, v in where.items()) and self._visible("pages", p)
        ]
        return sorted(pages, key=lambda p: (p["priority"], p["id"]))

    def _contents(self, book_id: int) -> list[dict[str, Any]]:
        children: list[dict[str, Any]] = []
        for chapter in self.tables["chapters"].values():
            if chapter["book_id"] == book_id and self._visible("chapters", chapter):
                entry = {**self._brief(chapter), "type": "chapter"}
                entry["pages"] = [
                    {**self._brief(p), "type": "page"}
                    for p in self._pages_of(chapter_id=chapter["id"])
                ]
                children.append(entry)
        children += [
            {**self._brief(p), "type": "page"}
            for p in self._pages_of(book_id=book_id, chapter_id=0)
        ]
        return sorted(children, key=lambda c: (c["priority"], c["type"] != "chapter", c["id"]))

    def _list(self, table: str, query: dict[str, str]) -> dict[str, Any]:
        """As BookStack's ``ListingResponseBuilder``: filter, count, then page."""
        fields = LISTING_FIELDS[table]
        count = max(min(_int(query.get("count"), 100), 500), 1)
        offset = max(_int(query.get("offset"), 0), 0)
        rows = [r for r in self.tables[table].values() if self._visible(table, r)]
        for key, value in query.items():
            match = re.fullmatch(r"filter\[([^\]:]*)(?::([^\]]*))?\]", key)
            if match is None or match.group(1) not in fields:
                continue  # BookStack drops filters on fields the endpoint does not list
            name, op = match.group(1), match.group(2) or "eq"
            test = FILTER_OPERATORS.get(op, FILTER_OPERATORS["eq"])  # unknown op: eq
            rows = [r for r in rows if _sql_compare(r.get(name), value, test)]
        total = len(rows)
        sort = query.get("sort", "")
        name = sort.lstrip("+- ")
        if name not in fields:
            name = fields[0]  # an unknown sort field falls back to the first listed field
        rows.sort(key=lambda r: _sort_key(r.get(name)), reverse=sort.startswith("-"))
        data = [self._shown({k: r.get(k) for k in fields}) for r in rows[offset : offset + count]]
        return {"data": data, "total": total}

    def _search(self, query: dict[str, str]) -> dict[str, Any]:
        """The tag search as a real v25.07.2 runs it (loose matching, paged per entity type)."""
        text = query.get("query", "")
        tags = re.findall(r"\[([^\]=]+)(?:=([^\]]*))?\]", text)
        types = re.findall(r"\{type:([a-z|]+)\}", text)
        allowed = set("|".join(types).split("|")) if types else set(SEARCH_TYPES.values())
        count = _int(query.get("count"), 100)
        if count > 100:
            raise invalid({"count": "The count may not be greater than 100."})
        count = max(count, 1)
        page = max(_int(query.get("page"), 1), 1)
        data, total = [], 0
        for table, kind in SEARCH_TYPES.items():
            if kind not in allowed:
                continue
            hits = [
                e
                for e in sorted(self.tables[table].values(), key=lambda e: e["id"])
                if all(_tag_search_matches(e, name, value) for name, value in tags)
                and self._visible(table, e)
            ]
            total += len(hits)
            # Each entity type is paged on its own: a page holds up to *count* of each.
            for e in hits[(page - 1) * count : page * count]:
                entry = {
                    "id": e["id"],
                    "name": e["name"],
                    "slug": e["slug"],
                    "type": kind,
                    "tags": _ordered(e["tags"]),
                    "url": self._url_of(table, e),
                    "preview_html": {"name": e["name"], "content": ""},
                }
                if table in ("chapters", "pages"):
                    entry["book_id"] = e["book_id"]
                elif self.null_relations:
                    entry["book_id"] = None  # v25.11: one table, no book for a book
                if table == "pages":
                    entry["chapter_id"] = e["chapter_id"]
                data.append(self._shown(entry))
        return {"data": data, "total": total}

    def _url_of(self, table: str, e: dict[str, Any]) -> str:
        if table == "shelves":
            return f"{self.own_url}/shelves/{e['slug']}"
        if table == "books":
            return f"{self.own_url}/books/{e['slug']}"
        book = self.tables["books"][e["book_id"]]["slug"]
        kind = "chapter" if table == "chapters" else "page"
        return f"{self.own_url}/books/{book}/{kind}/{e['slug']}"


def _ordered(tags: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Tags as the API shows them: in the order they were sent, numbered by ``order``."""
    return [{**tag, "order": number} for number, tag in enumerate(tags)]


def _by_name(entity: dict[str, Any]) -> tuple[str, int]:
    return (str(entity["name"]).casefold(), int(entity["id"]))


def _stored_html(html: str) -> str:
    """What BookStack stores of the HTML it is sent (measured on v24.10): ``<img ... />``
    becomes ``<img ...>``, ``&#x27;`` in an attribute becomes ``'``, brackets in a link or
    image address are URL-encoded (a ``[[bsexport:...]]`` token becomes ``%5B%5B...%5D%5D``),
    the trailing newline is dropped."""
    html = re.sub(r"<img\b([^>]*?)\s*/>", r"<img\1>", html)

    def attribute(match: re.Match[str]) -> str:
        name, value = match.group(1), match.group(2).replace("&#x27;", "'")
        if name in ("href", "src"):
            value = value.replace("[", "%5B").replace("]", "%5D")
        return f'{name}="{value}"'

    html = re.sub(r'\b([a-zA-Z][\w:-]*)="([^"<>]*)"', attribute, html)
    return html.rstrip("\n")


def _rendered_html(html: str) -> str:
    """The page as readers get it: scripts removed (the rest is kept, in this fake)."""
    return re.sub(r"<script\b.*?</script>", "", html, flags=re.DOTALL | re.IGNORECASE)


def _tags(raw: Any) -> list[dict[str, str]]:
    return [
        {"name": str(t["name"]).strip(), "value": str(t.get("value") or "").strip()}
        for t in raw or []
        if str(t.get("name", "")).strip()
    ]


def _has_tag(entity: dict[str, Any], name: str, value: str | None) -> bool:
    return any(
        t["name"] == name and (value is None or t["value"] == value)
        for t in entity.get("tags") or []
    )


def _tag_search_matches(entity: dict[str, Any], name: str, value: str | None) -> bool:
    """``[name=value]`` as BookStack's search compares it in MySQL (measured on v25.07.2).

    Names and values case-insensitive, a trailing space ignored (PAD SPACE), no prefix
    match; a numeric value compared as a number (``2024`` finds ``2024-docs`` and
    ``2024.0``); the value ``0`` is falsy in PHP and ignored; a quoted value containing a
    space matches nothing.
    """
    name = name.strip()
    if value is not None and value.startswith('"') and " " in value:
        return False
    for tag in entity.get("tags") or []:
        if tag["name"].rstrip().casefold() != name.rstrip().casefold():
            continue
        if not value or value == "0":
            return True
        if re.fullmatch(r"\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*", value):
            if _sql_compare_number(tag["value"], float(value)):
                return True
        elif tag["value"].rstrip().casefold() == value.rstrip().casefold():
            return True
    return False


def _sql_compare_number(stored: str, number: float) -> bool:
    match = re.match(r"\s*[-+]?(\d+(\.\d*)?|\.\d+)", stored)
    return (float(match.group(0)) if match else 0.0) == number


def _like(stored: str, pattern: str) -> bool:
    """SQL LIKE with ``%`` and ``_``, case-insensitive as MySQL's default collation."""
    regex = "".join(".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in pattern)
    return re.fullmatch(regex, stored, re.IGNORECASE | re.DOTALL) is not None


FILTER_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "lt": operator.lt,
    "gte": operator.ge,
    "lte": operator.le,
    "like": _like,
}


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _sql_compare(stored: Any, given: str, test: Callable[[Any, Any], bool]) -> bool:
    """``stored <op> given`` as MySQL compares a column with a string from the query."""
    if stored is None:
        return False  # NULL compares to nothing, not even with !=
    if test is _like:
        return _like(str(int(stored) if isinstance(stored, bool) else stored), given)
    if isinstance(stored, (bool, int, float)):
        # A number column: the string is read as a number (non-numbers count as 0).
        match = re.match(r"\s*[-+]?(\d+(\.\d*)?|\.\d+)", given)
        return test(float(stored), float(match.group(0)) if match else 0.0)
    return test(str(stored).casefold(), given.casefold())


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, 0)  # NULLs first in ascending order, as MySQL
    if isinstance(value, (bool, int, float)):
        return (1, float(value))
    return (2, str(value).casefold())


def _image_type(data: bytes) -> str | None:
    mime = image_mime(data)
    return None if mime == "application/octet-stream" else mime.split("/", 1)[1]


WEB_404_PAGE = (
    b'<!DOCTYPE html><html lang="en"><head><title>Not Found | BookStack</title></head>'
    b"<body><h1>Page Not Found</h1><p>Sorry, The page you were looking for could not be "
    b"found.</p></body></html>"
)


class _Handler(BaseHTTPRequestHandler):
    app: FakeBookStack
    protocol_version = "HTTP/1.1"
    # One write per answer and no Nagle delay: keeps a keep-alive round trip well under 1 ms.
    wbufsize = 1 << 16
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _serve(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        ctype = self.headers.get("Content-Type", "")
        form: dict[str, str] = {}
        files: dict[str, tuple[str, bytes]] = {}
        body: Any = None
        if ctype.startswith("application/json") and raw:
            body = json.loads(raw)
        elif ctype.startswith("multipart/form-data"):
            message = BytesParser(policy=HTTP).parsebytes(
                f"Content-Type: {ctype}\r\n\r\n".encode() + raw
            )
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                filename = part.get_filename()
                content = part.get_payload(decode=True) or b""
                if filename is not None:
                    files[str(name)] = (filename, content)
                else:
                    form[str(name)] = content.decode()
        elif ctype.startswith("application/x-www-form-urlencoded"):
            form = dict(urllib.parse.parse_qsl(raw.decode()))
        request = Request(
            self.command,
            url.path,
            dict(urllib.parse.parse_qsl(url.query)),
            form,
            files,
            body,
            {k.lower(): v for k, v in self.headers.items()},
        )
        pause = self.app.delay(request.method, request.path)
        if pause:
            time.sleep(pause)  # outside the lock: other requests go on meanwhile
        if self.app.slots is not None:
            with self.app.slots:  # as php-fpm: the other requests wait for a free worker
                answer = self.app.handle(request)
        else:
            answer = self.app.handle(request)
        if answer is _DROP:
            self.close_connection = True
            return
        status, headers, payload = answer  # type: ignore[misc]
        web_page = status == 404 and b'"html"' in payload
        headers = dict(headers)
        if web_page:
            payload, content_type = WEB_404_PAGE, "text/html; charset=UTF-8"
        else:
            content_type = headers.pop("Content-Type", "application/json")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if web_page:
            # As BookStack's web routes do: a CSRF token and a (guest) session cookie.
            for cookie in (
                "XSRF-TOKEN=eyJpdiI6IjEi; path=/",
                "bookstack_session=eyJ2IjoiMiJ9; path=/",
            ):
                self.send_header("Set-Cookie", cookie + "; samesite=lax")
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = _serve
