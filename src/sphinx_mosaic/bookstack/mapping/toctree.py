"""The toctree as a source of the BookStack model, for projects without the numbered layout.

The mapping (documented in the user guide, "BookStack from an existing Sphinx
project"):

* the root document is the shelf: its title names it, its first paragraph
  describes it; a generic title (``Table of Contents``, ``Contents:``, ``X
  documentation contents``, ``Welcome to X's documentation!``) names neither
  the shelf nor the root's book, the ``project`` of ``conf.py`` does;
* an entry of a root toctree that has toctree entries of its own is a **book**,
  named by its title (or the entry's explicit title) and described by its
  first paragraph; the rest of its content is the book's first page;
* a root toctree with a ``:caption:`` is one book named by the caption, its
  entries the book's chapters and pages (captions group books); a generic
  caption (``Contents:``) groups nothing: its entries map as an uncaptioned
  toctree's;
* the root document's own content and the root toctree entries without
  entries of their own (``changelog``, ``license``) are pages of one book
  named after the root document, first on the shelf.  A flat project (no
  root entry has entries) is therefore that single book;
* inside a book, an entry with entries of its own is a **chapter** (described
  by its first paragraph, its content the chapter's first page), an entry
  without is a page, in toctree order;
* entries below a chapter's entries are flattened into the chapter in
  toctree (depth-first) order, with a ``mosaic.toctree-depth`` warning;
* a large book or chapter (more than :data:`LARGE` pages) whose document groups
  its toctree entries, under two or more toctree captions or section headings,
  is split along those groups: in a book each group is a chapter named by the
  caption or heading; a chapter stays with its index page and the entries
  before the first group, and each group follows it as a chapter of its own
  (``<chapter>: <group>``).  A group's entries and everything below them are
  its pages, in toctree order.  A large book left with a single chapter (no
  groups to split it by) is warned about; the root's own book (its leaf
  entries) is split the same way by the headings its toctrees sit under;
* a document listed in several toctrees is placed where it is met first;
* a document outside the root's tree that has toctree entries of its own (an
  ``:orphan:`` table of contents beside a landing page) maps like a root entry:
  its tree is a book, after the root's books; several such books come in
  natural order of their documents' names (``2.2`` before ``2.10``).  A tree
  one level deep (its entries have no entries of their own) that a page of a
  book links to (``:doc:``, ``:ref:``, a Markdown link) is a chapter at the end
  of the first such book instead;
* the other documents in no toctree (and ``:orphan:`` ones) are left out, listed
  in one warning, or with ``mosaic_bookstack_extras = "books"`` put in one book
  of their own, in natural order of their names.

Keys do not depend on the place in the toctree: a page's key is its
document's name, a book's or chapter's ``<kind>:<document>``, so moving a page
moves it in BookStack rather than replacing it.  Plain Python
over what the environment records (titles, toctree entries, metadata).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from sphinx_mosaic.bookstack.format.files import safe_file_name, unique_stems
from sphinx_mosaic.bookstack.format.model import Book, Chapter, Page, Shelf
from sphinx_mosaic.layout.model import humanize

ORPHANS_KEY = "book:@other-pages"
#: A book or chapter with more pages than this is split along the groups of its
#: document's toctree (captions, section headings), where it has such groups.
LARGE = 50
#: Root titles that say "this is the table of contents" or "welcome" rather than what the
#: project is; the shelf and first book read better by the project's name.
_GENERIC_TITLE = re.compile(
    r"(?:(?:table\s+of\s+)?contents|(?:.+\s+)?documentation\s+contents|"
    r"welcome(?:\s+to\s+.+?(?:['\u2019]s)?\s+documentation)?|documentation|index|home)",
    re.IGNORECASE,
)
#: Sphinx's ``project`` when ``conf.py`` sets none.
_NO_PROJECT = "Project name not set"
_SLUG = re.compile(r"[^\w]+")
_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[list[str | int], str]:
    """Sort key reading runs of digits as numbers: ``release-2.2`` before ``release-2.10``."""
    parts: list[str | int] = [
        int(part) if index % 2 else part.casefold()
        for index, part in enumerate(_DIGITS.split(text))
    ]
    return parts, text


@dataclass(frozen=True)
class RootToctree:
    """One toctree of the root document: its caption and its (title, docname) entries."""

    caption: str | None
    entries: Sequence[tuple[str | None, str]]


@dataclass(frozen=True)
class ToctreeGroup:
    """Entries of a document's toctrees under one caption or section heading.

    *title* is the toctree's caption, else the heading of the section it sits in;
    None for toctrees directly under the document's title.
    """

    title: str | None
    entries: Sequence[str]


def _no_groups(docname: str) -> Sequence[ToctreeGroup]:
    return ()


@dataclass(frozen=True)
class Project:
    """What the toctree source reads from a Sphinx environment."""

    root_doc: str
    project: str
    #: Every document of the build, in a stable order.
    docnames: Sequence[str]
    titles: Mapping[str, str]
    #: docname -> docnames its toctrees include, in order.
    includes: Mapping[str, Sequence[str]]
    root_toctrees: Sequence[RootToctree]
    source_of: Callable[[str], str]
    #: docname -> the documents it links to (cross-references), for orphan trees.
    links: Mapping[str, AbstractSet[str]] = field(default_factory=dict)
    #: docname -> its toctrees' entries by caption or heading (asked of large ones only).
    groups_of: Callable[[str], Sequence[ToctreeGroup]] = _no_groups


@dataclass
class Issue:
    """A mapping problem, reported by the builder as a ``mosaic.*`` warning."""

    subtype: str  # "toctree-depth" or "bookstack"
    docname: str
    message: str


@dataclass
class ToctreeShelf:
    shelf: Shelf
    issues: list[Issue] = field(default_factory=list)
    #: Documents in no book (left out, or in the other-pages book).
    orphans: list[str] = field(default_factory=list)


def _slug(text: str) -> str:
    return _SLUG.sub("-", text.casefold()).strip("-") or "book"


def _stem(docname: str) -> str:
    path = PurePosixPath(docname)
    name = path.parent.name if path.name in ("index", "README") and path.parent.name else path.name
    return safe_file_name(name)


class _Mapper:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.known = set(project.docnames)
        self.placed: set[str] = {project.root_doc}
        self.issues: list[Issue] = []
        #: Keys of the chapters made of toctree groups (unique across the shelf).
        self.group_keys: set[str] = set()

    def title(self, docname: str, explicit: str | None = None) -> str:
        title = explicit or self.project.titles.get(docname)
        if not title or title == "<no title>":  # Sphinx's title for a page without one
            return humanize(PurePosixPath(docname).name)
        return title

    def children(self, docname: str) -> list[str]:
        return [d for d in self.project.includes.get(docname, ()) if d in self.known]

    def take(self, docname: str) -> bool:
        """Claim *docname* for one place; False when it is placed already."""
        if docname not in self.known or docname in self.placed:
            return False
        self.placed.add(docname)
        return True

    def page(self, docname: str, *, is_index: bool = False, name: str | None = None) -> Page:
        return Page(
            key=docname,
            docname=docname,
            source=self.project.source_of(docname),
            name=self.title(docname, name),
            is_index=is_index,
        )

    def flattened(self, docname: str) -> list[Page]:
        """Pages of every document below *docname*, depth first, each met once."""
        pages: list[Page] = []
        for child in self.children(docname):
            if self.take(child):
                pages.append(self.page(child))
                pages.extend(self.flattened(child))
        return pages

    def size(self, docname: str) -> int:
        """How many pages the documents below *docname* not placed yet would make."""
        seen: set[str] = set()
        stack = list(self.children(docname))
        while stack:
            child = stack.pop()
            if child in seen or child in self.placed:
                continue
            seen.add(child)
            stack.extend(self.children(child))
        return len(seen)

    def groups(self, docname: str) -> list[ToctreeGroup]:
        """The groups to split *docname*'s tree by: two or more with a title, when the
        tree is large; else none."""
        if self.size(docname) <= LARGE:
            return []
        groups = list(self.project.groups_of(docname))
        if sum(1 for group in groups if group.title) < 2:
            return []
        grouped = {entry for group in groups for entry in group.entries}
        rest = [child for child in self.children(docname) if child not in grouped]
        if rest:  # entries no toctree node lists (should not happen): kept, at the end
            groups.append(ToctreeGroup(None, rest))
        return groups

    def group_chapters(
        self,
        docname: str,
        groups: list[ToctreeGroup],
        prefix: str = "",
        *,
        keep_empty: bool = False,
    ) -> list[Chapter]:
        """One chapter per titled group: its entries and everything below them."""
        chapters: list[Chapter] = []
        keys = self.group_keys
        for group in groups:
            if group.title is None:
                continue
            key, n = f"chapter:{docname}:{_slug(group.title)}", 1
            while key in keys:
                n += 1
                key = f"chapter:{docname}:{_slug(group.title)}-{n}"
            keys.add(key)
            chapter = Chapter(
                key=key, docname=None, source=None, name=prefix + group.title, pages=[]
            )
            for child in group.entries:
                if self.take(child):
                    chapter.pages.append(self.page(child))
                    chapter.pages.extend(self.flattened(child))
            if chapter.pages or keep_empty:
                chapters.append(chapter)
        return chapters

    def entry(self, docname: str, name: str | None) -> list[Chapter | Page]:
        """A book's entry: a chapter when it has entries of its own, else a page; a large
        chapter whose entries are grouped is followed by a chapter per group."""
        if not any(child not in self.placed for child in self.children(docname)):
            return [self.page(docname, name=name)]
        chapter = Chapter(
            key=f"chapter:{docname}",
            docname=docname,
            source=self.project.source_of(docname),
            name=self.title(docname, name),
            pages=[self.page(docname, is_index=True, name=name)],
        )
        groups = self.groups(docname)
        ungrouped = [entry for group in groups if group.title is None for entry in group.entries]
        for child in ungrouped if groups else self.children(docname):
            if not self.take(child):
                continue
            chapter.pages.append(self.page(child))
            deeper = self.flattened(child)
            if deeper:
                chapter.pages.extend(deeper)
                names = ", ".join(page.docname for page in deeper)
                self.issues.append(
                    Issue(
                        "toctree-depth",
                        child,
                        f"the toctree of {child!r} nests deeper than book > chapter > page; "
                        f"BookStack output puts {names} in chapter {chapter.name!r} after it, "
                        "in toctree order (move them up a level to keep the structure)",
                    )
                )
        return [chapter, *self.group_chapters(docname, groups, f"{chapter.name}: ")]

    def contents(self, entries: Sequence[tuple[str | None, str]]) -> list[Chapter | Page]:
        result: list[Chapter | Page] = []
        for name, docname in entries:
            if self.take(docname):
                result.extend(self.entry(docname, name))
        return result

    def book(self, docname: str, name: str | None) -> Book:
        book = Book(
            key=f"book:{docname}",
            docname=docname,
            source=self.project.source_of(docname),
            name=self.title(docname, name),
            file_stem=_stem(docname),
        )
        book.contents.append(self.page(docname, is_index=True, name=name))
        groups = self.groups(docname)
        if not groups:
            book.contents += self.contents([(None, child) for child in self.children(docname)])
            return book
        for group in groups:
            if group.title is None:
                book.contents += self.contents([(None, child) for child in group.entries])
            else:
                book.contents += self.group_chapters(docname, [group])
        return book


def has_entries(project: Project, docname: str) -> bool:
    return any(child in set(project.docnames) for child in project.includes.get(docname, ()))


def _orphan_trees(project: Project, mapper: _Mapper, placed: Sequence[Book]) -> list[Book]:
    """Place the documents outside the root's tree that have toctree entries.

    Those no other toctree includes come first (a table of contents beside the
    landing page), then any left (toctrees that only include each other), each in
    natural order of the document names; a document whose entries are all placed
    already is placed nowhere.  A tree one level deep (its entries have no entries
    of their own) that a page of the books *placed* links to is a chapter at the end
    of the first such book; any other tree is a book of its own (returned).
    """
    included = {child for children in project.includes.values() for child in children}
    unplaced = sorted((d for d in project.docnames if d not in mapper.placed), key=natural_key)
    books: list[Book] = []
    for docname in [d for d in unplaced if d not in included] + unplaced:
        if docname in mapper.placed:
            continue
        entries = [child for child in mapper.children(docname) if child not in mapper.placed]
        if not entries:
            continue
        home = None
        if not any(mapper.children(child) for child in entries):
            home = _linking_book(project, docname, [*placed, *books])
        mapper.take(docname)
        if home is None:
            books.append(mapper.book(docname, None))
        else:
            home.contents.extend(mapper.entry(docname, None))
    return books


def _linking_book(project: Project, docname: str, books: Sequence[Book]) -> Book | None:
    """The first of *books* with a page that links to *docname*."""
    linking = {source for source, targets in project.links.items() if docname in targets}
    if not linking:
        return None
    for book in books:
        if any(page.docname in linking for page in book.iter_pages()):
            return book
    return None


def is_generic_title(title: str) -> bool:
    """Whether *title* names a table of contents or a welcome rather than a project."""
    return bool(_GENERIC_TITLE.fullmatch(title.strip().rstrip(":!.").strip()))


def shelf_name(project: Project, title: str) -> str:
    """The shelf's name: the root's *title*, or ``project`` where the title is generic."""
    name = project.project.strip()
    if name and name != _NO_PROJECT and is_generic_title(title):
        return name
    return title


def _grouped_root(
    project: Project, mapper: _Mapper, contents: list[Chapter | Page]
) -> list[Chapter | Page]:
    """The root book's contents, its pages in a chapter per section heading of the root
    document when there are more than :data:`LARGE` of them under two or more headings."""
    pages = [entry for entry in contents if isinstance(entry, Page) and not entry.is_index]
    if len(pages) <= LARGE:
        return contents
    title_of = {
        docname: group.title
        for group in project.groups_of(project.root_doc)
        for docname in group.entries
    }
    if len({title_of.get(page.docname) for page in pages} - {None}) < 2:
        return contents
    grouped: list[Chapter | Page] = []
    chapters: dict[str, Chapter] = {}
    for entry in contents:
        title = title_of.get(entry.docname or "") if isinstance(entry, Page) else None
        if title is None or not isinstance(entry, Page) or entry.is_index:
            grouped.append(entry)
            continue
        if title not in chapters:
            (chapter,) = mapper.group_chapters(
                project.root_doc, [ToctreeGroup(title, [])], keep_empty=True
            )
            chapters[title] = chapter
            grouped.append(chapter)
        chapters[title].pages.append(entry)
    return grouped


def _lone_chapter(book: Book) -> list[Issue]:
    """A warning for a large book of pages beside a single chapter (nothing to split by)."""
    chapters = book.chapters
    pages = [e for e in book.contents if isinstance(e, Page) and not e.is_index]
    if len(chapters) != 1 or len(pages) <= LARGE:
        return []
    chapter = chapters[0]
    where = book.docname or chapter.docname or ""
    grouped = f"the entries of {book.docname!r}" if book.docname else "the entries"
    return [
        Issue(
            "bookstack",
            where,
            f"book {book.name!r} holds {len(pages)} pages beside a single chapter, "
            f"{chapter.name!r}; BookStack lists that chapter among the pages, as the only "
            f"group of the book (group {grouped} under toctree captions or section headings "
            f"to make chapters of them: a book of more than {LARGE} pages is split along "
            "such groups)",
        )
    ]


def map_toctree(project: Project, *, extras: str) -> ToctreeShelf:
    """Map the toctree of *project* onto BookStack's shelf > book > chapter > page."""
    mapper = _Mapper(project)
    root = project.root_doc
    shelf = Shelf(
        name=shelf_name(project, mapper.title(root)) if root in mapper.known else project.project,
        docname=root if root in mapper.known else None,
        project=project.project,
        source="toctree",
    )
    known_root = root in mapper.known
    root_book = Book(
        key=f"book:{root}",
        docname=root if known_root else None,
        source=project.source_of(root) if known_root else None,
        name=shelf.name,
        file_stem=safe_file_name(project.project or _stem(root)),
    )
    if known_root:
        root_book.contents.append(mapper.page(root, is_index=True))
    books: list[Book] = []
    for toctree in project.root_toctrees:
        # A generic caption ("Contents:", as Jinja's) says where the reader is, not what
        # the entries are: it groups nothing, and its entries map as an uncaptioned
        # toctree's (into the root's book, named like the shelf, or books of their own).
        if toctree.caption and not is_generic_title(toctree.caption):
            book = Book(
                key=f"caption:{_slug(toctree.caption)}",
                docname=None,
                source=None,
                name=toctree.caption,
                file_stem=safe_file_name(_slug(toctree.caption)),
            )
            book.contents = mapper.contents(toctree.entries)
            if book.contents:
                books.append(book)
            continue
        for name, docname in toctree.entries:
            if docname in mapper.placed or docname not in mapper.known:
                continue
            if has_entries(project, docname):
                mapper.take(docname)
                books.append(mapper.book(docname, name))
            else:
                mapper.take(docname)
                root_book.contents.append(mapper.page(docname, name=name))
    root_book.contents = _grouped_root(project, mapper, root_book.contents)
    books += _orphan_trees(project, mapper, [root_book, *books])
    # The root book holds the root page and the root's leaf entries: first on the shelf.
    if any(not (isinstance(e, Page) and e.is_index) for e in root_book.contents) or not books:
        shelf.books.append(root_book)
    elif root_book.contents:
        # Only the root page: it opens the first book instead of making a book of its own.
        books[0].contents.insert(0, root_book.contents[0])
    shelf.books += books
    result = ToctreeShelf(shelf, mapper.issues)
    result.orphans = sorted(
        (d for d in project.docnames if d not in mapper.placed), key=natural_key
    )
    if result.orphans and extras == "books":
        other = Book(
            key=ORPHANS_KEY,
            docname=None,
            source=None,
            name="Other pages",
            file_stem="other-pages",
        )
        other.contents = [mapper.page(docname) for docname in result.orphans]
        shelf.books.append(other)
    elif result.orphans:
        listed = ", ".join(result.orphans)
        result.issues.append(
            Issue(
                "bookstack",
                root,
                f"the BookStack output leaves out the documents in no toctree: {listed} (list "
                'them in a toctree, or set mosaic_bookstack_extras = "books" to put them in a '
                "book of their own)",
            )
        )
    for book in shelf.books:
        for entry in book.contents:
            if isinstance(entry, Chapter):
                entry.book_key = book.key
        result.issues += _lone_chapter(book)
    unique_stems(shelf.books)
    return result
