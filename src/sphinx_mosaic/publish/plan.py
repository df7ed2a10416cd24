"""Compare what the build wants with what the server holds: a plan, computed without I/O.

Each shelf, book, chapter and page gets one :class:`Action`.  Its kind is the
strongest change (create > update > move > reorder > relink > unchanged) and its
reasons list every difference, so the printed plan says why each write happens.
"""

from __future__ import annotations

import collections
import dataclasses
import enum
from dataclasses import dataclass, field

from sphinx_mosaic.bookstack.format.model import Book, Chapter, Page
from sphinx_mosaic.publish.bundle import Bundle
from sphinx_mosaic.publish.links import link_targets
from sphinx_mosaic.publish.state import RemoteEntity, ServerState, stamp


class Kind(enum.Enum):
    IMPORT = "import"  # a whole new book through the imports API
    CREATE = "create"
    UPDATE = "update"  # content, name or tags changed
    MOVE = "move"  # another book or chapter
    REORDER = "reorder"  # another priority
    RELINK = "relink"  # a link target was created or renamed: rewrite the links
    UNCHANGED = "unchanged"
    DELETE = "delete"  # pruned (to BookStack's recycle bin), or a duplicate
    KEEP = "keep"  # no longer in the sources, but pruning is off (or it holds foreign content)
    EDITED = "edited"  # changed in the wiki since the last publish: not overwritten

    @property
    def writes(self) -> bool:
        return self not in (Kind.UNCHANGED, Kind.KEEP, Kind.EDITED)


@dataclass(frozen=True)
class Action:
    kind: Kind
    type: str  # "bookshelf", "book", "chapter", "page"
    key: str
    name: str
    remote_id: int | None = None
    reasons: tuple[str, ...] = ()

    def describe(self) -> str:
        why = f" ({', '.join(self.reasons)})" if self.reasons else ""
        target = f" #{self.remote_id}" if self.remote_id is not None else ""
        label = "shelf" if self.type == "bookshelf" else self.type
        return f"{self.kind.value:<9} {label:<7} {self.key}{target} {self.name!r}{why}"


@dataclass
class Plan:
    project: str
    base_url: str
    shelf: Action
    books: list[Action] = field(default_factory=list)
    chapters: list[Action] = field(default_factory=list)
    pages: list[Action] = field(default_factory=list)
    #: Removals, in a safe order: pages, then chapters, then books.
    removals: list[Action] = field(default_factory=list)
    #: Warnings about the server, one per book at most (sort rules).
    notes: list[str] = field(default_factory=list)

    def actions(self) -> list[Action]:
        return [self.shelf, *self.books, *self.chapters, *self.pages, *self.removals]

    def counts(self) -> collections.Counter[Kind]:
        return collections.Counter(action.kind for action in self.actions())

    @property
    def writes(self) -> bool:
        return any(action.kind.writes for action in self.actions())

    def imports(self) -> set[str]:
        return {a.key for a in self.books if a.kind is Kind.IMPORT}

    def summary(self) -> str:
        counts = self.counts()
        parts = [f"{counts[kind]} {kind.value}" for kind in Kind if counts[kind]]
        return ", ".join(parts) or "nothing to do"

    def describe(self, verbose: bool = False) -> list[str]:
        lines = [f"plan for project {self.project!r} on {self.base_url}:"]
        shown = [a for a in self.actions() if verbose or a.kind is not Kind.UNCHANGED]
        lines.extend(f"  {action.describe()}" for action in shown)
        lines.append(f"plan: {self.summary()}")
        lines.extend(f"warning: {note}" for note in self.notes)
        return lines


@dataclass(frozen=True)
class PlanOptions:
    prune: bool = False
    force: bool = False
    use_import: bool = True


def _content_reasons(remote: RemoteEntity, name: str, hash_: str, force: bool) -> list[str]:
    if force:
        return ["forced"]
    if remote.hash != stamp(hash_):
        return ["renamed" if remote.name != name else "content"]
    return []


def _kind(reasons: list[str]) -> Kind:
    if any(r in ("content", "renamed", "forced", "unfinished") for r in reasons):
        return Kind.UPDATE
    if "moved" in reasons:
        return Kind.MOVE
    if "priority" in reasons:
        return Kind.REORDER
    if "links" in reasons:
        return Kind.RELINK
    return Kind.UNCHANGED


def _book_action(book: Book, state: ServerState, importable: bool, force: bool) -> Action:
    remote = state.books.get(book.key)
    if remote is None:
        kind = Kind.IMPORT if importable else Kind.CREATE
        return Action(kind, "book", book.key, book.name)
    reasons = _content_reasons(remote, book.name, book.hash, force)
    return Action(_kind(reasons), "book", book.key, book.name, remote.id, tuple(reasons))


def containers_to_order(bundle: Bundle, state: ServerState) -> set[tuple[str, str]]:
    """Books and chapters whose owned children need their ``priority`` set.

    Only the relative order counts: BookStack's importer assigns its own
    priorities (chapters 2, 3, 4, ...; book-level pages 2, 3, ...; pages in a
    chapter 1, 2, ...), and a book in the right order needs no writes.  A
    container is reordered when its children are out of order, two of them share
    a priority (their order on the page is then BookStack's choice, not ours), or
    one is new or moves in.
    """
    result: set[tuple[str, str]] = set()
    containers: list[tuple[tuple[str, str], list[tuple[str, str]], int | None]] = []
    for book in bundle.books:
        remote_book = state.books.get(book.key)
        direct = [(c.priority, "chapter", c.key) for c in book.chapters]
        direct += [(p.priority, "page", p.key) for p in book.pages if p.chapter_key is None]
        containers.append(
            (
                ("book", book.key),
                [(k, key) for _, k, key in sorted(direct)],
                remote_book.id if remote_book else None,
            )
        )
        for chapter in book.chapters:
            remote_chapter = state.chapters.get(chapter.key)
            children = [("page", p.key) for p in sorted(chapter.pages, key=lambda p: p.priority)]
            containers.append(
                (("chapter", chapter.key), children, remote_chapter.id if remote_chapter else None)
            )
    for container, children, container_id in containers:
        remotes = [state.by_type(kind).get(key) for kind, key in children]
        if container_id is None or any(r is None for r in remotes):
            result.add(container)
            continue
        placed = [
            r is not None
            and (
                (r.chapter_id == container_id)
                if container[0] == "chapter"
                else (r.book_id == container_id and (r.type == "chapter" or r.chapter_id is None))
            )
            for r in remotes
        ]
        current = sorted(
            (r for r in remotes if r is not None),
            key=lambda r: (r.priority or 0, r.type != "chapter", r.id),
        )
        tied = len({r.priority for r in current}) != len(current)
        if not all(placed) or tied or [r.key for r in current] != [key for _, key in children]:
            result.add(container)
    return result


def _chapter_action(
    chapter: Chapter, state: ServerState, order: set[tuple[str, str]], force: bool
) -> Action:
    remote = state.chapters.get(chapter.key)
    if remote is None:
        return Action(Kind.CREATE, "chapter", chapter.key, chapter.name)
    reasons = _content_reasons(remote, chapter.name, chapter.hash, force)
    book = state.books.get(chapter.book_key)
    if book is None or remote.book_id != book.id:
        reasons.append("moved")
    if ("book", chapter.book_key) in order and remote.priority != chapter.priority:
        reasons.append("priority")
    return Action(_kind(reasons), "chapter", chapter.key, chapter.name, remote.id, tuple(reasons))


def _page_action(
    page: Page,
    book: Book,
    state: ServerState,
    renewed: set[tuple[str, str]],
    order: set[tuple[str, str]],
    force: bool,
) -> Action:
    remote = state.pages.get(page.key)
    if remote is None:
        return Action(Kind.CREATE, "page", page.key, page.name)
    reasons = _content_reasons(remote, page.name, page.hash, force)
    if remote.hash == "" and not force:
        reasons = ["unfinished"]  # created by a run that stopped before writing the content
    if page.chapter_key is not None:
        chapter = state.chapters.get(page.chapter_key)
        moved = chapter is None or remote.chapter_id != chapter.id
    else:
        owner = state.books.get(page.book_key)
        moved = owner is None or remote.book_id != owner.id or remote.chapter_id is not None
    if moved:
        reasons.append("moved")
    container = ("chapter", page.chapter_key) if page.chapter_key else ("book", page.book_key)
    if container in order and remote.priority != page.priority:
        reasons.append("priority")
    if link_targets(page, book) & renewed:
        reasons.append("links")
    return Action(_kind(reasons), "page", page.key, page.name, remote.id, tuple(reasons))


def _removals(bundle: Bundle, state: ServerState, prune: bool) -> list[Action]:
    wanted = {
        "book": {b.key for b in bundle.books},
        "chapter": {c.key for c in bundle.chapters()},
        "page": {p.key for p in bundle.pages()},
    }
    removals = [
        Action(Kind.DELETE, d.type, d.key, d.name, d.id, ("duplicate",))
        for d in sorted(
            state.duplicates, key=lambda d: ("page chapter book bookshelf".find(d.type), d.id)
        )
    ]
    for kind in ("page", "chapter", "book"):
        for key, remote in sorted(state.by_type(kind).items()):
            if key in wanted[kind]:
                continue
            if kind == "chapter":
                foreign = state.foreign_in_chapter.get(remote.id)
            elif kind == "book":
                foreign = state.foreign_in_book.get(remote.id)
            else:
                foreign = None
            why: tuple[str, ...]
            if foreign:
                why = ("source removed", "holds content sphinx-mosaic did not create")
                removals.append(Action(Kind.KEEP, kind, key, remote.name, remote.id, why))
            elif prune:
                removals.append(Action(Kind.DELETE, kind, key, remote.name, remote.id, ("pruned",)))
            else:
                why = ("source removed; --prune deletes it",)
                removals.append(Action(Kind.KEEP, kind, key, remote.name, remote.id, why))
    return removals


def pair_moved_pages(bundle: Bundle, state: ServerState) -> dict[str, str]:
    """Re-key pages whose source moved to another folder; returns new key -> old key.

    A page's key is its number-free path, so moving ``reference/glossary.md``
    into ``getting-started/setup/`` changes it.  An owned page whose key is
    gone and a new key with the same last part (``glossary``) are the same
    page when the pairing is unambiguous (one each); the server page is then
    updated and moved, keeping its id and so every ``/link/{id}`` to it.
    *state* is re-keyed in place, so planning and applying both see the move.
    """
    wanted = {page.key for page in bundle.pages()}
    new = [key for key in sorted(wanted) if key not in state.pages]
    gone = [key for key in sorted(state.pages) if key not in wanted]

    def last(key: str) -> str:
        return key.rsplit("/", 1)[-1]

    moved: dict[str, str] = {}
    for key in new:
        twins = [old for old in gone if last(old) == last(key)]
        rivals = [other for other in new if last(other) == last(key)]
        if len(twins) == 1 and len(rivals) == 1:
            moved[key] = twins[0]
    for key, old in moved.items():
        state.pages[key] = state.pages.pop(old)
    return moved


def sort_rule_note(label: str, rule: int) -> str:
    """The warning for a book BookStack re-sorts itself (once per book and run)."""
    return (
        f"{label}: BookStack re-sorts this book by its sort rule (#{rule}, set on the book or "
        "given to it as the instance's default when it was created) on every change, so it "
        "may not follow the layout's order. To keep the layout's order, set the book's sort "
        "rule to none in BookStack (the book's Sort page; the default for new books is under "
        "Settings, Sorting)"
    )


def make_plan(bundle: Bundle, state: ServerState, options: PlanOptions) -> Plan:
    """The plan that brings the server to *bundle*, touching only owned content."""
    moved = pair_moved_pages(bundle, state)
    present = {e.key for e in state.all_entities()}
    book_actions = []
    for book in bundle.books:
        own_keys = {book.key} | {c.key for c in book.chapters} | {p.key for p in book.pages}
        importable = options.use_import and state.supports_import and not own_keys & present
        book_actions.append(_book_action(book, state, importable, options.force))
    imported = {a.key for a in book_actions if a.kind is Kind.IMPORT}
    # A book with a sort rule is re-sorted by BookStack on every change: priorities we
    # set there would be overridden, and every run would set them again.
    chapter_book = {c.key: c.book_key for c in bundle.chapters()}
    order = {
        (kind, key)
        for kind, key in containers_to_order(bundle, state)
        if (key if kind == "book" else chapter_book.get(key)) not in state.sort_rules
    }

    chapter_actions = []
    for chapter in bundle.chapters():
        if chapter.book_key in imported:
            chapter_actions.append(
                Action(Kind.CREATE, "chapter", chapter.key, chapter.name, None, ("in import",))
            )
        else:
            chapter_actions.append(_chapter_action(chapter, state, order, options.force))

    # Links to these must be rewritten: they are new (new id) or renamed (new slug).
    renewed = {(a.type, a.key) for a in book_actions + chapter_actions if a.kind is Kind.CREATE}
    renewed |= {(a.type, a.key) for a in book_actions if a.kind is Kind.IMPORT}
    renewed |= {(a.type, a.key) for a in book_actions + chapter_actions if "renamed" in a.reasons}
    renewed |= {("page", p.key) for p in bundle.pages() if p.key not in state.pages}
    # A duplicate is deleted and the one with the lower id kept: pages that linked to the
    # copy (written while the kept one was invisible, say) must point at the kept one.
    renewed |= {(d.type, d.key) for d in state.duplicates}
    if state.shelf is None:
        renewed.add(("bookshelf", bundle.shelf.key))

    page_actions = []
    for book in bundle.books:
        for page in book.pages:
            if book.key in imported:
                page_actions.append(
                    Action(Kind.CREATE, "page", page.key, page.name, None, ("in import",))
                )
            else:
                action = _page_action(page, book, state, renewed, order, options.force)
                if page.key in moved:
                    # An update, not a bare move: its mosaic-key tag must be rewritten too.
                    action = dataclasses.replace(
                        action,
                        kind=Kind.UPDATE,
                        reasons=(*action.reasons, f"was {moved[page.key]}"),
                    )
                page_actions.append(action)

    shelf = bundle.shelf
    if state.shelf is None:
        shelf_action = Action(Kind.CREATE, "bookshelf", shelf.key, shelf.name)
    else:
        reasons = _content_reasons(state.shelf, shelf.name, shelf.hash, options.force)
        our_ids = [state.books[b.key].id if b.key in state.books else -1 for b in bundle.books]
        theirs = [i for i in state.shelf_book_ids if i not in set(our_ids)]
        # Book ids only: a page or chapter removed may have the same id as a book.
        gone = {
            a.remote_id
            for a in _removals(bundle, state, options.prune)
            if a.kind is Kind.DELETE and a.type == "book"
        }
        if our_ids + [i for i in theirs if i not in gone] != state.shelf_book_ids:
            reasons.append("books")
        kind = Kind.UPDATE if reasons else Kind.UNCHANGED
        shelf_action = Action(
            kind, "bookshelf", shelf.key, shelf.name, state.shelf.id, tuple(reasons)
        )
    notes = [
        sort_rule_note(book.label, state.sort_rules[book.key])
        for book in bundle.books
        if book.key in state.sort_rules
    ]
    return Plan(
        notes=notes,
        project=bundle.project,
        base_url=state.base_url,
        shelf=shelf_action,
        books=book_actions,
        chapters=chapter_actions,
        pages=page_actions,
        removals=_removals(bundle, state, options.prune),
    )
