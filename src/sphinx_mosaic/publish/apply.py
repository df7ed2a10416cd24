"""Carry out a plan, in an order that keeps the live wiki readable if the run stops.

Order: whole-book imports; books; chapters; placeholder pages that others link
to or that hold files; then every page's files followed by its content; then
removals (pages, chapters, books); the shelf's book list last.  Files are
uploaded before the content that shows them, and every link target exists
before the page linking to it is written.  Each step is safe to repeat: a rerun
finds what an interrupted run created by its tags and finishes it.

Writes in one book go one at a time.  BookStack rebuilds the permission rows of a
page's or chapter's whole book on every create and update, in two transactions;
two writes in one book at the same time make one of them fail, with a 404, or with
a 500 whose page or chapter was saved but is invisible to everyone (every list,
search and read) until a later write rebuilds that book's rows.  The rows of
different books are separate, so different books are written in parallel (up to
``concurrency`` books at once).  A create whose answer is lost or ambiguous is
settled by reading its parent (the book's contents or the chapter's pages), never
by sending it again.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sphinx_mosaic.bookstack.format.manifest import reference
from sphinx_mosaic.bookstack.format.model import SHELF_KEY, Asset, Book, Chapter, Page
from sphinx_mosaic.publish.bundle import Bundle
from sphinx_mosaic.publish.client import BookStackClient
from sphinx_mosaic.publish.errors import AmbiguousWrite, RequestRejected
from sphinx_mosaic.publish.files import PageFiles
from sphinx_mosaic.publish.imports import (
    SIZE_NOTE,
    ImportRefused,
    ImportUnsupported,
    owned_tags,
    run_import,
)
from sphinx_mosaic.publish.links import link_targets, render
from sphinx_mosaic.publish.plan import Action, Kind, Plan, containers_to_order, sort_rule_note
from sphinx_mosaic.publish.public_url import upload_mismatch
from sphinx_mosaic.publish.state import (
    TAG_BODY,
    TAG_FILE,
    TAG_REVISION,
    RemoteEntity,
    ServerState,
    is_owned,
    read_state,
)
from sphinx_mosaic.publish.wiki_edits import fingerprint

PLACEHOLDER_HTML = "<p>This page is being published; reload in a minute.</p>"
API_PATHS = {"bookshelf": "shelves", "book": "books", "chapter": "chapters", "page": "pages"}
Item = TypeVar("Item")
#: Tries of a write that answers 404 although its target (or parent) is known to exist:
#: another client's write in the same book was rebuilding its permission rows.
MISSING_TRIES = 3
#: What the user can do about an entity saved but left without permission rows.
INVISIBLE_HINT = (
    "it may have been saved but be invisible: BookStack loses an entity's permission rows "
    "when two writes in one book overlap (here, probably another client's). Have an admin "
    "run `php artisan bookstack:regenerate-permissions` on the server (or save the book "
    "once in BookStack), then publish again: the run adopts it by its tags. Published again "
    "without that, it is created anew, and the hidden one comes back as a duplicate once "
    "its book's rows are rebuilt (the run after that removes it)"
)


class PossiblyInvisible(RequestRejected):
    """A create got no clear answer, and the parent does not show what it created."""

    def __init__(self, cause: str, where: str):
        super().__init__(
            0,
            f"no clear answer to creating it ({cause}), and {where} does "
            f"not show it; {INVISIBLE_HINT}",
        )


class BookLocks:
    """One lock per book: the writes that touch a book go one at a time.

    Keys are our book keys, or ``#<id>`` for a book we do not own.  A write
    that touches two books (a move) takes both locks, always in key order, so
    two moves in opposite directions cannot wait for each other forever.
    """

    def __init__(self) -> None:
        self._locks: dict[str, threading.RLock] = {}
        self._guard = threading.Lock()

    @contextlib.contextmanager
    def hold(self, books: Iterable[str]) -> Iterator[None]:
        with self._guard:
            locks = [self._locks.setdefault(key, threading.RLock()) for key in sorted(set(books))]
        with contextlib.ExitStack() as stack:
            for lock in locks:
                stack.enter_context(lock)
            yield


@dataclass
class Ref:
    """Where an entity lives on the server (enough to link to it)."""

    id: int
    slug: str


@dataclass
class ApplyResult:
    done: list[Action] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: What the server does that the user may want to change (a sort rule on a new book).
    warnings: list[str] = field(default_factory=list)
    #: Why new books went page by page after all (the server refused the imports API).
    page_by_page: str | None = None


Progress = Callable[[str], None]


class Applier:
    """Runs one plan against one server; share nothing between runs."""

    def __init__(
        self,
        client: BookStackClient,
        bundle: Bundle,
        state: ServerState,
        plan: Plan,
        progress: Progress,
        revisions: dict[str, int] | None = None,
    ):
        self.client = client
        #: Each page's ``revision_count`` as last seen (read before planning, or answered
        #: by a create): our next write makes it one more.
        self.revisions: dict[str, int] = dict(revisions or {})
        self.bundle = bundle
        self.state = state
        self.plan = plan
        self.progress = progress
        self.project = bundle.project
        self.result = ApplyResult()
        self.refs: dict[tuple[str, str], Ref] = {}
        self.failed: set[tuple[str, str]] = set()
        #: Pages created as placeholders in this run: they hold no files yet.
        self.fresh: set[str] = set()
        self._imported_keys: set[str] = set()
        #: Books planned for import that are created page by page after all.
        self._fallback: set[str] = set()
        self._page_by_page = False
        self._shelf_books: list[int] | None = list(state.shelf_book_ids) if state.shelf else None
        self._shelf_written = False
        self._lock = threading.Lock()
        self.locks = BookLocks()
        self._load_refs(state)

    # -- bookkeeping -----------------------------------------------------------------------

    def _load_refs(self, state: ServerState) -> None:
        for kind in ("book", "chapter", "page"):
            for key, remote in state.by_type(kind).items():
                self.refs[(kind, key)] = Ref(remote.id, remote.slug)
        if state.shelf is not None:
            self.refs[("bookshelf", SHELF_KEY)] = Ref(state.shelf.id, state.shelf.slug)
        # Ids are keyed by type: from v25.11 a book and a page may share an id.
        for (kind, _key), ref in self.refs.items():
            if kind == "book" and not ref.slug:
                ref.slug = state.book_slugs.get(ref.id, "")

    def _remember(self, kind: str, key: str, answer: dict[str, Any]) -> Ref:
        ref = Ref(int(answer["id"]), str(answer.get("slug") or ""))
        with self._lock:
            self.refs[(kind, key)] = ref
        return ref

    def _done(self, action: Action, note: str = "") -> None:
        with self._lock:
            self.result.done.append(action)
            count = len(self.result.done)
        suffix = f" ({note})" if note else ""
        self.progress(f"[{count}] {action.kind.value} {action.type} {action.key}{suffix}")

    def url_of(self, kind: str, key: str) -> str | None:
        ref = self.refs.get((kind, key))
        if ref is None:
            return None
        base = self.state.base_url
        if kind == "bookshelf":
            return f"{base}/shelves/{ref.slug}"
        if kind == "page":
            return f"{base}/link/{ref.id}"
        if kind == "book":
            return f"{base}/books/{ref.slug}"
        chapter = next((c for c in self.bundle.chapters() if c.key == key), None)
        book = self.refs.get(("book", chapter.book_key)) if chapter else None
        return f"{base}/books/{book.slug}/chapter/{ref.slug}" if book else None

    def _each(
        self,
        items: Iterable[Item],
        work: Callable[[Item], None],
        label: Callable[[Item], str],
        books: Callable[[Item], list[str]],
    ) -> None:
        """Run *work* on every item, one at a time per book, books in parallel.

        *books* names the books an item's writes touch, the one it belongs to
        first: items are queued per first book, and up to ``concurrency`` queues
        run at once; each item also holds the lock of every book it touches (a
        move touches two).  Item errors are collected; faults abort the run.
        """
        lanes: dict[str, list[tuple[Item, list[str]]]] = {}
        for item in items:
            touched = books(item)
            lanes.setdefault(touched[0], []).append((item, touched))
        if not lanes:
            return
        stop = threading.Event()

        def run(lane: list[tuple[Item, list[str]]]) -> None:
            for item, touched in lane:
                if stop.is_set():
                    return
                try:
                    with self.locks.hold(touched):
                        work(item)
                except RequestRejected as exc:
                    with self._lock:
                        self.result.errors.append(str(exc.about(label(item))))

        with ThreadPoolExecutor(max_workers=self.client.settings.concurrency) as pool:
            futures: list[Future[None]] = [pool.submit(run, lane) for lane in lanes.values()]
            pending = set(futures)
            while pending:
                finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
                for future in finished:
                    exc = future.exception()
                    if exc is None:
                        continue
                    stop.set()
                    for other in pending:
                        other.cancel()
                    wait(pending)
                    raise exc

    # -- which books a write touches ---------------------------------------------------------

    def _book_key(self, book_id: int | None) -> str:
        """The lock key of the book with *book_id*: our key for our books, else ``#<id>``."""
        with self._lock:
            for (kind, key), ref in self.refs.items():
                if kind == "book" and ref.id == book_id:
                    return key
        return f"#{book_id}"

    def _touched(self, kind: str, key: str, book_key: str) -> list[str]:
        """*book_key* (where the entity belongs), then the book the server has it in now."""
        remote = self.state.by_type(kind).get(key) if kind in ("chapter", "page") else None
        books = [book_key]
        if remote is not None and remote.book_id:
            now = self._book_key(remote.book_id)
            if now != book_key:
                books.append(now)
        return books

    def _remote(self, kind: str, remote_id: int | None) -> RemoteEntity | None:
        """Our entity of *kind* with *remote_id* (duplicates included), keyed by type and id."""
        owned = self.state.by_type(kind).values() if kind in ("book", "chapter", "page") else []
        for entity in [*owned, *self.state.duplicates]:
            if entity.type == kind and entity.id == remote_id:
                return entity
        return None

    # -- writes that survive the permission race ---------------------------------------------

    def _create(
        self, kind: str, key: str, payload: dict[str, Any], book: str | None = None
    ) -> dict[str, Any]:
        """POST a new entity in *book*; settle a lost or ambiguous answer by reading the parent.

        A 404 means the parent was unreadable for a moment (another client's write in
        the book): the create is sent again, a bounded number of times.
        """
        for attempt in range(1, MISSING_TRIES + 1):
            try:
                answer: dict[str, Any] = self.client.post(f"/api/{API_PATHS[kind]}", payload)
                return answer
            except AmbiguousWrite as exc:
                return self._settle(kind, key, payload, book, exc.cause)
            except RequestRejected as exc:
                if exc.status != 404 or book is None or attempt == MISSING_TRIES:
                    raise
                self._pause(attempt, book)
        raise AssertionError("unreachable")  # pragma: no cover

    def _put(self, path: str, payload: dict[str, Any], book: str | None) -> Any:
        """PUT to an entity we know exists; a 404 (the race's other face) is tried again."""
        for attempt in range(1, MISSING_TRIES + 1):
            try:
                return self.client.put(path, payload)
            except RequestRejected as exc:
                if exc.status != 404 or attempt == MISSING_TRIES:
                    raise
                self._pause(attempt, None if path.startswith("/api/books/") else book)
        raise AssertionError("unreachable")  # pragma: no cover

    def _pause(self, attempt: int, book: str | None) -> None:
        """Wait for another client's write to end; from the second try, rebuild *book*."""
        self.client.clock.sleep(float(attempt))
        if attempt >= 2 and book is not None:
            self._rebuild(book)

    def _rebuild(self, book_key: str) -> bool:
        """Save *book_key*'s book unchanged: BookStack then rebuilds the permission rows of
        everything in it, which shows again what a failed write left invisible."""
        ref = self.refs.get(("book", book_key))
        book = next((b for b in self.bundle.books if b.key == book_key), None)
        if ref is None or book is None:
            return False
        try:
            self.client.put(f"/api/books/{ref.id}", {"name": book.name})
        except (RequestRejected, AmbiguousWrite):
            return False
        return True

    def _settle(
        self, kind: str, key: str, payload: dict[str, Any], book: str | None, cause: str
    ) -> dict[str, Any]:
        """The entity an ambiguous create made, found in its parent; never a second POST."""
        found, where = self._find_created(kind, key, payload)
        # Saved but invisible (a 500 of the permission race)?  Rebuilding the book's rows
        # shows it again.
        if (
            found is None
            and book is not None
            and kind in ("chapter", "page")
            and self._rebuild(book)
        ):
            found, where = self._find_created(kind, key, payload)
        if found is None:
            raise PossiblyInvisible(cause, where)
        with self._lock:
            self.result.notes.append(
                f"{kind} {key}: no clear answer to creating it ({cause}); found it in "
                f"{where} and kept it"
            )
        return found

    def _find_created(
        self, kind: str, key: str, payload: dict[str, Any]
    ) -> tuple[dict[str, Any] | None, str]:
        """Our *kind* with *key* among its parent's children (by name, then by tags)."""
        name = str(payload.get("name") or "").strip()
        path = API_PATHS[kind]
        try:
            if kind == "page" and payload.get("chapter_id"):
                where = f"chapter #{payload['chapter_id']}"
                chapter = self.client.get(f"/api/chapters/{payload['chapter_id']}")
                rows = chapter.get("pages") or []
            elif kind in ("page", "chapter"):
                where = f"book #{payload.get('book_id')}"
                contents = self.client.get(f"/api/books/{payload.get('book_id')}").get("contents")
                rows = [row for row in contents or [] if row.get("type") == kind]
            else:
                where = f"the {path} named {name!r}"
                rows = self.client.get(f"/api/{path}", {"filter[name]": name}).get("data") or []
        except RequestRejected as exc:
            if exc.status != 404:
                raise
            return None, f"{where} (which the server does not show either)"
        with self._lock:
            known = {ref.id for (k, _), ref in self.refs.items() if k == kind}
        for row in sorted(rows, key=lambda r: int(r["id"])):
            if str(row.get("name") or "").strip() != name or int(row["id"]) in known:
                continue
            try:
                detail: dict[str, Any] = self.client.get(f"/api/{path}/{int(row['id'])}")
            except RequestRejected as exc:
                if exc.status == 404:
                    continue
                raise
            if is_owned({**detail, "type": kind}, self.project, key):
                return detail, where
        return None, where

    # -- the run -----------------------------------------------------------------------------

    def run(self) -> ApplyResult:
        self._imports()
        books = {b.key: b for b in self.bundle.books}
        actions = [a for a in self.plan.books if a.kind.writes and a.kind is not Kind.IMPORT]
        actions += [
            Action(Kind.CREATE, "book", a.key, a.name, None, ("imports API unavailable",))
            for a in self.plan.books
            if a.key in self._fallback
        ]
        self._each(
            actions,
            lambda a: self._write_book(a, books[a.key]),
            lambda a: books[a.key].label,
            lambda a: [a.key],
        )
        chapters = {c.key: c for c in self.bundle.chapters()}
        actions = [a for a in self.plan.chapters if a.kind.writes and not self._imported(a)]
        self._each(
            actions,
            lambda a: self._write_chapter(a, chapters[a.key]),
            lambda a: chapters[a.key].label,
            lambda a: self._touched("chapter", a.key, chapters[a.key].book_key),
        )
        shelf_linked = any(
            link.get("type") == "bookshelf" for p in self.bundle.pages() for link in p.cross_links
        )
        if shelf_linked and ("bookshelf", SHELF_KEY) not in self.refs:
            self._shelf(final=False)  # create before link
        self._pages()
        self._removals()
        self._shelf()
        return self.result

    def _imported(self, action: Action) -> bool:
        return "in import" in action.reasons and action.key in self._imported_keys

    def _imports(self) -> None:
        self._imported_keys = set()
        wanted = [b for b in self.bundle.books if b.key in self.plan.imports()]
        imported_books: list[Book] = []
        for book in wanted:
            if self._page_by_page:
                self._fallback.add(book.key)
                continue
            try:
                created = run_import(self.client, book, self.project)
            except ImportUnsupported as exc:
                if exc.book_only:
                    self.result.notes.append(
                        f"{book.label}: the ZIP is too large for the server ({exc}); publishing "
                        f"the book page by page ({SIZE_NOTE})"
                    )
                else:
                    self.result.notes.append(
                        f"the imports API is not available ({exc}); publishing new books page "
                        "by page"
                    )
                    self.result.page_by_page = f"the server refused the imports API: {exc}"
                    self._page_by_page = True
                self._fallback.add(book.key)
                continue
            except ImportRefused as exc:
                # One bad file must not lose the book: its pages go one by one, and the
                # file is refused (and reported) alone, if at all.
                why = f" ({SIZE_NOTE})" if exc.too_large else ""
                self.result.notes.append(
                    f"{book.label}: the server refused its import ({exc}); publishing the "
                    f"book page by page{why}"
                )
                self._fallback.add(book.key)
                continue
            imported_books.append(book)
            self._sort_rule(book, created)
            self._imported_keys |= {book.key} | {c.key for c in book.chapters}
            self._imported_keys |= {p.key for p in book.pages}
            self._done(Action(Kind.IMPORT, "book", book.key, book.name), f"{len(book.pages)} pages")
        if not imported_books:
            return
        # The import created new ids; read them back by tags (a few requests).
        sort_rules, public_url = self.state.sort_rules, self.state.base_url
        self.state = read_state(self.client, self.project)
        self.state.sort_rules.update(sort_rules)
        self.state.base_url = public_url  # chosen once per run (publish/public_url.py)
        self._load_refs(self.state)
        self._order_imported({book.key for book in imported_books})

    def _order_imported(self, keys: set[str]) -> None:
        """Settle the order where the importer's own numbering breaks it, in the same run.

        BookStack numbers imported chapters 2, 3, ... and book-level pages 2, 3, ..., so
        chapters and pages of a book tie or interleave.  Walking each container in layout
        order, a child keeps its number while the numbers still rise and gets the next
        free one otherwise: the fewest writes, and the next run finds the book in order.
        """
        order = containers_to_order(self.bundle, self.state)
        writes: list[tuple[str, int, int, Action]] = []
        for book in self.bundle.books:
            if book.key not in keys or book.key in self.state.sort_rules:
                continue  # a sort rule orders this book: our priorities would not hold
            direct: list[Chapter | Page] = [*book.chapters]
            direct += [p for p in book.pages if p.chapter_key is None]
            groups: list[tuple[tuple[str, str], list[Chapter | Page]]] = [
                (("book", book.key), sorted(direct, key=lambda e: e.priority))
            ]
            groups += [
                (("chapter", c.key), sorted(c.pages, key=lambda p: p.priority))
                for c in book.chapters
            ]
            for container, children in groups:
                if container not in order:
                    continue
                last = -1
                for entity in children:
                    remote = self.state.by_type(entity.kind).get(entity.key)
                    if remote is None:
                        continue
                    if remote.priority is not None and remote.priority > last:
                        last = remote.priority
                        continue
                    last += 1
                    remote.priority = last
                    action = Action(
                        Kind.REORDER,
                        entity.kind,
                        entity.key,
                        entity.name,
                        remote.id,
                        ("after import",),
                    )
                    writes.append((API_PATHS[entity.kind], remote.id, last, action))

        book_of = {c.key: c.book_key for c in self.bundle.chapters()}
        book_of.update({p.key: p.book_key for p in self.bundle.pages()})

        def reorder(item: tuple[str, int, int, Action]) -> None:
            path, remote_id, priority, action = item
            payload: dict[str, Any] = {"priority": priority}
            tags = self._retagged(action.key) if action.type == "page" else None
            if tags is not None:
                payload["tags"] = tags
            answer = self._put(f"/api/{path}/{remote_id}", payload, book_of[action.key])
            self._note_revision(action, answer)
            self._done(action)

        self._each(
            writes,
            reorder,
            lambda item: f"{item[3].type} {item[3].name!r}",
            lambda item: [book_of[item[3].key]],
        )

    def _sort_rule(self, book: Book, answer: dict[str, Any]) -> None:
        """Warn (once per book) when the server gave a new book a sort rule."""
        rule = answer.get("sort_rule_id")
        if isinstance(rule, int) and rule > 0:
            with self._lock:
                if book.key not in self.state.sort_rules:
                    self.state.sort_rules[book.key] = rule
                    self.result.warnings.append(sort_rule_note(book.label, rule))

    def _write_book(self, action: Action, book: Book) -> None:
        payload = {
            "name": book.name,
            "description_html": book.description_html,
            "tags": owned_tags(self.project, book.key, book.hash, book.tags, []),
        }
        try:
            if action.kind is Kind.CREATE:
                answer = self._create("book", book.key, payload)
                self._remember("book", book.key, answer)
                self._sort_rule(book, answer)
            else:
                answer = self._put(f"/api/books/{action.remote_id}", payload, book.key)
                self._remember("book", book.key, answer)
        except RequestRejected:
            self.failed.add(("book", book.key))
            raise
        self._done(action)

    def _write_chapter(self, action: Action, chapter: Chapter) -> None:
        book = self.refs.get(("book", chapter.book_key))
        if book is None:
            self.failed.add(("chapter", chapter.key))
            raise RequestRejected(0, "skipped: its book could not be written")
        payload: dict[str, Any] = {"book_id": book.id}
        if action.kind is Kind.CREATE or "priority" in action.reasons:
            # Only then: a book in the right relative order keeps BookStack's own values.
            payload["priority"] = chapter.priority
        if action.kind in (Kind.CREATE, Kind.UPDATE):
            payload.update(
                name=chapter.name,
                description_html=chapter.description_html,
                tags=owned_tags(self.project, chapter.key, chapter.hash, chapter.tags, []),
            )
        try:
            if action.kind is Kind.CREATE:
                answer = self._create("chapter", chapter.key, payload, chapter.book_key)
            else:
                answer = self._put(f"/api/chapters/{action.remote_id}", payload, chapter.book_key)
        except RequestRejected:
            self.failed.add(("chapter", chapter.key))
            raise
        self._remember("chapter", chapter.key, answer)
        self._done(action)

    # -- pages --------------------------------------------------------------------------------

    def _pages(self) -> None:
        """Write pages in waves: a page waits until every new page it links to exists.

        New pages are created with their final content once their link targets
        exist (one request each).  Only pages with files (uploads need the page
        id first) and pages in link cycles get a placeholder first.
        """
        pages = {p.key: p for p in self.bundle.pages()}
        books = {b.key: b for b in self.bundle.books}
        imported_with_links = [
            Action(Kind.RELINK, "page", key, pages[key].name, None, ("cross-book links",))
            for key in sorted(self._imported_keys)
            if key in pages and pages[key].cross_links
        ]
        actions = [a for a in self.plan.pages if a.kind.writes and not self._imported(a)]
        actions += imported_with_links
        created = {a.key for a in actions if a.kind is Kind.CREATE}
        content = (Kind.CREATE, Kind.UPDATE, Kind.RELINK)
        waits: dict[str, set[str]] = {}
        for action in actions:
            page = pages[action.key]
            targets = {k for t, k in link_targets(page, books[page.book_key]) if t == "page"}
            waits[action.key] = (
                (targets & created) - {action.key} if action.kind in content else set()
            )

        def label(action: Action) -> str:
            return pages[action.key].label

        with_files = [
            a
            for a in actions
            if a.key in created and (pages[a.key].images or pages[a.key].attachments)
        ]

        def touched(action: Action) -> list[str]:
            return self._touched("page", action.key, pages[action.key].book_key)

        self._each(with_files, lambda a: self._placeholder(pages[a.key]), label, touched)

        def ready(key: str) -> bool:
            return ("page", key) in self.refs or ("page", key) in self.failed

        # A page whose placeholder was refused is reported once, not tried again.
        pending = [a for a in actions if ("page", a.key) not in self.failed]
        for _ in range(2 * len(actions) + 1):  # each round writes a wave or breaks a cycle
            if not pending:
                break
            wave = [a for a in pending if all(ready(k) for k in waits[a.key])]
            if wave:
                self._each(
                    wave,
                    lambda a: self._write_page(a, pages[a.key], books[pages[a.key].book_key]),
                    label,
                    touched,
                )
                pending = [a for a in pending if a not in wave]
                continue
            # A link cycle: give its targets a placeholder, then everything can be written.
            cycle = {k for a in pending for k in waits[a.key] if not ready(k)}
            self._each(
                [a for a in pending if a.key in cycle],
                lambda a: self._placeholder(pages[a.key]),
                label,
                touched,
            )
            for key in cycle:
                if not ready(key):
                    self.failed.add(("page", key))

    def _parent(self, page: Page) -> dict[str, int]:
        if page.chapter_key is not None:
            chapter = self.refs.get(("chapter", page.chapter_key))
            if chapter is None or ("chapter", page.chapter_key) in self.failed:
                raise RequestRejected(0, "skipped: its chapter could not be written")
            return {"chapter_id": chapter.id}
        book = self.refs.get(("book", page.book_key))
        if book is None or ("book", page.book_key) in self.failed:
            raise RequestRejected(0, "skipped: its book could not be written")
        return {"book_id": book.id}

    def _placeholder(self, page: Page) -> None:
        try:
            self._create_placeholder(page)
        except RequestRejected:
            self.failed.add(("page", page.key))
            raise

    def _create_placeholder(self, page: Page) -> None:
        payload: dict[str, Any] = {
            "name": page.name,
            "html": PLACEHOLDER_HTML,
            "priority": page.priority,
            # No hash tag: a rerun sees an unfinished page and completes it.
            "tags": owned_tags(self.project, page.key, None, page.tags, []),
            **self._parent(page),
        }
        answer = self._create("page", page.key, payload, page.book_key)
        self._remember("page", page.key, answer)
        with self._lock:
            self.fresh.add(page.key)
            if isinstance(answer.get("revision_count"), int):
                self.revisions[page.key] = answer["revision_count"]

    def _write_page(self, action: Action, page: Page, book: Book) -> None:
        ref = self.refs.get(("page", page.key))
        payload: dict[str, Any] = {}
        if ref is None or action.kind is Kind.CREATE or "moved" in action.reasons:
            payload.update(self._parent(page))
        if ref is None or action.kind is Kind.CREATE or "priority" in action.reasons:
            # Only then: a container in the right relative order keeps BookStack's values.
            payload["priority"] = page.priority
        stale: list[str] = []
        if action.kind in (Kind.CREATE, Kind.UPDATE, Kind.RELINK):
            file_urls: dict[tuple[str, int], str] = {}
            refused: list[Asset] = []
            if ref is not None and (page.images or page.attachments or self._had_files(page)):
                files = PageFiles(self.client, self.state.base_url)
                remote = self.state.pages.get(page.key)
                file_urls, stale = files.sync(page, ref.id, remote, page.key in self.fresh)
                refused = files.refused
                self._check_public_url(file_urls)
                for reason in files.reasons:
                    self.result.errors.append(
                        f"{page.label}: {reason}; the page was published without it (its alt "
                        "text or link text in its place)"
                    )
            body, unresolved = render(page, book, self.url_of, file_urls)
            # A refused file was reported above; other targets missing from the server:
            gone = {reference(a.kind, a.zip_id) for a in refused}
            unresolved = [u for u in unresolved if u.reference not in gone]
            if unresolved:
                self.result.warnings.append(
                    f"{page.label}: {len(unresolved)} link(s) or image(s) whose target is not "
                    "on the server were published as their text: "
                    + ", ".join(u.what for u in unresolved[:3])
                    + (", ..." if len(unresolved) > 3 else "")
                    + " (the next run links them once the target exists)"
                )
            kept = [a for a in page.images + page.attachments if a not in refused]
            # A link to a page that failed cannot point at it yet: without its hash, the
            # next run writes this page again (and the link with it).
            waiting = link_targets(page, book) & self.failed
            written = {TAG_BODY: fingerprint(page.name, body, bool(page.markdown))}
            # BookStack counts every write: a new page has revision 1, an update adds one.
            known = 0 if ref is None else self._known_revision(page.key)
            if known is not None:
                written[TAG_REVISION] = str(known + 1)
            payload.update(
                name=page.name,
                # Without its hash while a file is missing: the next run tries the page again.
                tags=owned_tags(
                    self.project,
                    page.key,
                    None if refused or waiting else page.hash,
                    page.tags,
                    kept,
                    written,
                ),
            )
            payload["markdown" if page.markdown else "html"] = body
        elif ref is not None:
            # A move or a new priority adds a revision too: keep mosaic-revision with it,
            # or the next run would take our own write for an edit made in the wiki.
            tags = self._retagged(page.key)
            if tags is not None:
                payload["tags"] = tags
        if ref is None:
            try:
                answer = self._create("page", page.key, payload, page.book_key)
            except RequestRejected:
                self.failed.add(("page", page.key))
                raise
        else:
            answer = self._put(f"/api/pages/{ref.id}", payload, page.book_key)
        self._remember("page", page.key, answer)
        self._note_revision(action, answer)
        for path in stale:
            self.client.delete(path)
        self._done(action)

    def _known_revision(self, key: str) -> int | None:
        """The page's ``revision_count`` after our last write: read this run, or its tag."""
        with self._lock:
            known = self.revisions.get(key)
        if known is None:
            remote = self.state.pages.get(key)
            value = remote.tag(TAG_REVISION) if remote is not None else None
            if value is not None and value.isdigit():
                known = int(value)
        return known

    def _retagged(self, key: str) -> list[dict[str, str]] | None:
        """The page's tags as they are, with ``mosaic-revision`` one more (the write to come).

        None when the page has no revision to carry on (imported, or from an old run).
        """
        remote = self.state.pages.get(key)
        known = self._known_revision(key)
        if remote is None or known is None:
            return None
        tags = [dict(t) for t in remote.tags if t.get("name") != TAG_REVISION]
        return [*tags, {"name": TAG_REVISION, "value": str(known + 1)}]

    def _note_revision(self, action: Action, answer: Any) -> None:
        if action.type == "page" and isinstance(answer, dict):
            count = answer.get("revision_count")
            if isinstance(count, int):
                with self._lock:
                    self.revisions[action.key] = count

    def _check_public_url(self, file_urls: dict[tuple[str, int], str]) -> None:
        """Warn once when image URLs (from the server) show another URL than the links."""
        for (kind, _), url in sorted(file_urls.items()):
            problem = upload_mismatch(self.state.base_url, url) if kind == "image" else None
            if problem is not None:
                with self._lock:
                    if problem not in self.result.warnings:
                        self.result.warnings.append(problem)
                return

    def _had_files(self, page: Page) -> bool:
        remote = self.state.pages.get(page.key)
        return bool(remote and remote.tag_values(TAG_FILE))

    # -- removals and the shelf ----------------------------------------------------------------

    def _removals(self) -> None:
        for kind in ("page", "chapter", "book", "bookshelf"):
            actions = [a for a in self.plan.removals if a.kind is Kind.DELETE and a.type == kind]
            self._each(
                actions,
                self._delete,
                lambda a: f"{a.type} {a.name!r} ({a.key})",
                self._removal_books,
            )

    def _removal_books(self, action: Action) -> list[str]:
        if action.type == "book":
            return [self._book_key(action.remote_id)]
        remote = self._remote(action.type, action.remote_id)
        if remote is not None and remote.book_id:
            return [self._book_key(remote.book_id)]
        return [f"{action.type}#{action.remote_id}"]

    def _delete(self, action: Action) -> None:
        if action.type in ("chapter", "book"):
            held = self._kept_inside(action)
            if held:
                # Deleting it would send those pages to the recycle bin, and restoring them
                # gives them new ids: every /link/{id} to them would break.
                with self._lock:
                    self.result.notes.append(
                        f"{action.type} {action.name!r} ({action.key}, #{action.remote_id}) not "
                        f"deleted: it still holds {', '.join(held[:3])}, which the sources keep; "
                        "the next run deletes it once they have moved out"
                    )
                return
        self.client.delete(f"/api/{API_PATHS[action.type]}/{action.remote_id}")
        self._done(action)

    def _kept_inside(self, action: Action) -> list[str]:
        """What the chapter or book to delete still holds that the plan keeps (by type and id)."""
        path = f"/api/{API_PATHS[action.type]}/{action.remote_id}"
        try:
            detail = self.client.get(path)
        except RequestRejected as exc:
            if exc.status == 404:
                return []  # gone already
            raise
        children: list[tuple[str, int]] = []
        if action.type == "chapter":
            children = [("page", int(p["id"])) for p in detail.get("pages") or []]
        for row in detail.get("contents") or []:
            children.append((str(row.get("type")), int(row["id"])))
            children += [("page", int(p["id"])) for p in row.get("pages") or []]
        with self._lock:
            kept = {
                (kind, ref.id): key
                for (kind, key), ref in self.refs.items()
                if kind in ("chapter", "page")
            }
        wanted = {("chapter", c.key) for c in self.bundle.chapters()}
        wanted |= {("page", p.key) for p in self.bundle.pages()}
        return [
            f"{kind} {kept[(kind, child)]}"
            for kind, child in children
            if (kind, child) in kept and (kind, kept[(kind, child)]) in wanted
        ]

    def _shelf(self, final: bool = True) -> None:
        """Create or update the shelf; early (before pages) only when pages link to it."""
        action = self.plan.shelf
        ours = [
            self.refs[("book", b.key)].id for b in self.bundle.books if ("book", b.key) in self.refs
        ]
        deleted = {
            a.remote_id for a in self.result.done if a.type == "book" and a.kind is Kind.DELETE
        }
        theirs = [i for i in self.state.shelf_book_ids if i not in set(ours) and i not in deleted]
        book_ids = ours + theirs
        ref = self.refs.get(("bookshelf", SHELF_KEY))
        content_done = action.kind is Kind.UNCHANGED or self._shelf_written
        if ref is not None and book_ids == self._shelf_books and content_done:
            return
        shelf = self.bundle.shelf
        payload = {
            "name": shelf.name,
            "description_html": shelf.description_html,
            "books": book_ids,
            "tags": owned_tags(self.project, shelf.key, shelf.hash, [], []),
        }
        if ref is None:
            self._remember("bookshelf", SHELF_KEY, self._create("bookshelf", shelf.key, payload))
        else:
            self.client.put(f"/api/shelves/{ref.id}", payload)
        self._shelf_books, self._shelf_written = book_ids, True
        if action.kind is Kind.UNCHANGED or not final:
            why = ("books",) if final else ("pages link to it",)
            kind = Kind.CREATE if ref is None else Kind.UPDATE
            action = Action(kind, "bookshelf", shelf.key, shelf.name, None, why)
        self._done(action)
