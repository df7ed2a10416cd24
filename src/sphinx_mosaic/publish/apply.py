"""Carry out a plan, in an order that keeps the live wiki readable if the run stops.

Order: whole-book imports; books; chapters; placeholder pages that others link
to or that hold files; then every page's files followed by its content; then
removals (pages, chapters, books); the shelf's book list last.  Files are
uploaded before the content that shows them, and every link target exists
before the page linking to it is written.  Each step is safe to repeat: a rerun
finds what an interrupted run created by its tags and finishes it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sphinx_mosaic.bookstack.manifest import reference
from sphinx_mosaic.publish.bundle import SHELF_KEY, Asset, Book, Bundle, Chapter, Page
from sphinx_mosaic.publish.client import BookStackClient
from sphinx_mosaic.publish.errors import AmbiguousWrite, RequestRejected, ServerUnreachable
from sphinx_mosaic.publish.files import PageFiles
from sphinx_mosaic.publish.imports import (
    ImportRefused,
    ImportUnsupported,
    owned_tags,
    run_import,
)
from sphinx_mosaic.publish.links import link_targets, render
from sphinx_mosaic.publish.plan import Action, Kind, Plan, containers_to_order, sort_rule_note
from sphinx_mosaic.publish.state import (
    TAG_BODY,
    TAG_FILE,
    TAG_REVISION,
    ServerState,
    find_owned,
    read_state,
)
from sphinx_mosaic.publish.wiki_edits import fingerprint

PLACEHOLDER_HTML = "<p>This page is being published; reload in a minute.</p>"
API_PATHS = {"bookshelf": "shelves", "book": "books", "chapter": "chapters", "page": "pages"}
Item = TypeVar("Item")


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
        self._load_refs(state)

    # -- bookkeeping -----------------------------------------------------------------------

    def _load_refs(self, state: ServerState) -> None:
        for kind in ("book", "chapter", "page"):
            for key, remote in state.by_type(kind).items():
                self.refs[(kind, key)] = Ref(remote.id, remote.slug)
        if state.shelf is not None:
            self.refs[("bookshelf", SHELF_KEY)] = Ref(state.shelf.id, state.shelf.slug)
        for book_id, slug in state.book_slugs.items():
            for ref in self.refs.values():
                if ref.id == book_id and not ref.slug:
                    ref.slug = slug

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
        self, items: Iterable[Item], work: Callable[[Item], None], label: Callable[[Item], str]
    ) -> None:
        """Run *work* on every item concurrently; item errors are collected, faults abort."""
        items = list(items)
        if not items:
            return
        with ThreadPoolExecutor(max_workers=self.client.settings.concurrency) as pool:
            futures: dict[Future[None], Item] = {pool.submit(work, item): item for item in items}
            pending = set(futures)
            while pending:
                finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
                for future in finished:
                    exc = future.exception()
                    if exc is None:
                        continue
                    if isinstance(exc, RequestRejected):
                        self.result.errors.append(str(exc.about(label(futures[future]))))
                        continue
                    for other in pending:
                        other.cancel()
                    wait(pending)
                    raise exc

    def _create(self, kind: str, key: str, payload: dict[str, Any]) -> dict[str, Any]:
        """POST a new entity; after a lost answer, adopt it if it did get created."""
        for _ in range(self.client.settings.attempts):
            try:
                answer: dict[str, Any] = self.client.post(f"/api/{API_PATHS[kind]}", payload)
                return answer
            except AmbiguousWrite:
                found = find_owned(self.client, self.project, key, kind)
                if found is not None:
                    return found
        raise ServerUnreachable(f"creating {kind} {key} kept failing")

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
            actions, lambda a: self._write_book(a, books[a.key]), lambda a: books[a.key].label
        )
        chapters = {c.key: c for c in self.bundle.chapters()}
        actions = [a for a in self.plan.chapters if a.kind.writes and not self._imported(a)]
        self._each(
            actions,
            lambda a: self._write_chapter(a, chapters[a.key]),
            lambda a: chapters[a.key].label,
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
                        f"{book.label}: the server refused the ZIP ({exc}); publishing the book "
                        "page by page"
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
                self.result.notes.append(
                    f"{book.label}: the server refused its import ({exc}); publishing the "
                    "book page by page"
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
        sort_rules = self.state.sort_rules
        self.state = read_state(self.client, self.project)
        self.state.sort_rules.update(sort_rules)
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

        def reorder(item: tuple[str, int, int, Action]) -> None:
            path, remote_id, priority, action = item
            self.client.put(f"/api/{path}/{remote_id}", {"priority": priority})
            self._done(action)

        self._each(writes, reorder, lambda item: f"{item[3].type} {item[3].name!r}")

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
                answer = self.client.put(f"/api/books/{action.remote_id}", payload)
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
                answer = self._create("chapter", chapter.key, payload)
            else:
                answer = self.client.put(f"/api/chapters/{action.remote_id}", payload)
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
        self._each(with_files, lambda a: self._placeholder(pages[a.key]), label)

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
                )
                pending = [a for a in pending if a not in wave]
                continue
            # A link cycle: give its targets a placeholder, then everything can be written.
            cycle = {k for a in pending for k in waits[a.key] if not ready(k)}
            self._each(
                [a for a in pending if a.key in cycle],
                lambda a: self._placeholder(pages[a.key]),
                label,
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
        answer = self._create("page", page.key, payload)
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
            written = {TAG_BODY: fingerprint(page.name, body, bool(page.markdown))}
            # BookStack counts every write: a new page has revision 1, an update adds one.
            known = 0 if ref is None else self.revisions.get(page.key)
            if known is not None:
                written[TAG_REVISION] = str(known + 1)
            payload.update(
                name=page.name,
                # Without its hash while a file is missing: the next run tries the page again.
                tags=owned_tags(
                    self.project, page.key, None if refused else page.hash, page.tags, kept, written
                ),
            )
            payload["markdown" if page.markdown else "html"] = body
        if ref is None:
            try:
                answer = self._create("page", page.key, payload)
            except RequestRejected:
                self.failed.add(("page", page.key))
                raise
        else:
            answer = self.client.put(f"/api/pages/{ref.id}", payload)
        self._remember("page", page.key, answer)
        if isinstance(answer.get("revision_count"), int):
            with self._lock:
                self.revisions[page.key] = answer["revision_count"]
        for path in stale:
            self.client.delete(path)
        self._done(action)

    def _had_files(self, page: Page) -> bool:
        remote = self.state.pages.get(page.key)
        return bool(remote and remote.tag_values(TAG_FILE))

    # -- removals and the shelf ----------------------------------------------------------------

    def _removals(self) -> None:
        for kind in ("page", "chapter", "book", "bookshelf"):
            actions = [a for a in self.plan.removals if a.kind is Kind.DELETE and a.type == kind]
            self._each(actions, self._delete, lambda a: f"{a.type} {a.name!r} ({a.key})")

    def _delete(self, action: Action) -> None:
        self.client.delete(f"/api/{API_PATHS[action.type]}/{action.remote_id}")
        self._done(action)

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
