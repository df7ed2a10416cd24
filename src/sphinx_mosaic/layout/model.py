"""The layout model: a numbered docs tree as Shelf > Book > Chapter > Page.

Plain typed Python with no Sphinx import.  The Sphinx extension, the status
table, the reading paths, the BookStack builder, the publisher and the command
line all use this one model.

Rules (documented in the user guide, "The numbered layout"):

* a name ``{N}-{name}`` or ``{N}_{name}`` carries the number N; numbers
  compare as integers, ties are broken by name;
* ``README`` or ``index`` (any source suffix) is the index page of its folder;
* top-level numbered folders are books, numbered folders in a book are
  chapters, deeper folders are sections (legal for HTML, flattened into their
  chapter for BookStack);
* an unnumbered top-level folder that holds numbered pages or folders (an
  older tree such as ``engineering/getting-started/01-setup.md``) is a book,
  its sub-folders chapters, all ordered by number and then by name, with a
  ``unnumbered-book`` issue naming the way out (``unnumbered_books="never"``);
* other unnumbered top-level folders are *extras* (working notes), unless
  ``unnumbered="books"`` makes them books and chapters ordered by name.

The html navigation, the PDF and the BookStack output all follow
:attr:`Folder.kind`, so the three agree on what is a book.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from sphinx_mosaic.layout.sources import SourceInfo, read_source

NUMBERED = re.compile(r"^(\d+)[-_](.+)$")
TITLE_NUMBER = re.compile(r"^\d+(?:\.\d+)*[.)]?\s+(?=\S)")
INDEX_STEMS = ("README", "index")

Unnumbered = Literal["after", "hidden", "drop", "books"]
UnnumberedBooks = Literal["auto", "never"]
FolderKind = Literal["shelf", "book", "chapter", "section", "extra"]


def split_number(name: str) -> tuple[int | None, str]:
    """``"01-quick-start"`` -> ``(1, "quick-start")``; unnumbered names give None."""
    match = NUMBERED.match(name)
    if match is None:
        return None, name
    return int(match.group(1)), match.group(2)


def humanize(slug: str) -> str:
    """``"quick-start"`` -> ``"Quick start"`` (titles of folders without an index)."""
    words = re.sub(r"[-_]+", " ", slug).strip()
    return words[:1].upper() + words[1:] if words else slug


def strip_title_number(title: str) -> str:
    """``"01 Gitea"`` -> ``"Gitea"``; a title that is only a number is kept."""
    stripped = TITLE_NUMBER.sub("", title, count=1)
    return stripped or title


def holds_numbered(names: Iterable[str]) -> bool:
    """Whether any of *names* (file stems and folder names below a folder) carries a number.

    The test that makes an unnumbered top-level folder a book: a page or folder
    anywhere below it is named ``{N}-...``.
    """
    return any(split_number(name)[0] is not None for name in names)


@dataclass(frozen=True)
class LayoutIssue:
    """A structure problem found while building the model.

    ``code`` is the warning subtype (``duplicate-number``, ...); ``path`` is the
    source path (file or folder) relative to the source directory.
    """

    code: str
    path: str
    message: str
    line: int | None = None
    #: The document the warning is reported on: the page itself, or for a
    #: folder the page that stands for it (its index, else its first page).
    docname: str | None = None
    #: A front matter warning that leaves the block in use (a mistyped key); the
    #: others mean the block is refused and blanked before MyST reads the page.
    advisory: bool = False


@dataclass
class Page:
    docname: str
    source: str
    number: int | None
    slug: str
    title: str
    front_matter: dict[str, Any] = field(default_factory=dict)
    is_index: bool = False

    kind: Literal["page"] = "page"

    @property
    def sort_key(self) -> tuple[int, int, str]:
        return _sort_key(self.number, PurePosixPath(self.source).name)


@dataclass
class Folder:
    kind: FolderKind
    path: str
    number: int | None
    slug: str
    title: str
    index: Page | None = None
    children: list[Folder | Page] = field(default_factory=list)

    @property
    def sort_key(self) -> tuple[int, int, str]:
        return _sort_key(self.number, PurePosixPath(self.path).name)

    def pages(self) -> Iterator[Page]:
        """Every page below this folder in reading order (index pages first)."""
        if self.index is not None:
            yield self.index
        for child in self.children:
            if isinstance(child, Page):
                yield child
            else:
                yield from child.pages()

    def folders(self) -> Iterator[Folder]:
        """This folder and every folder below it, in reading order."""
        yield self
        for child in self.children:
            if isinstance(child, Folder):
                yield from child.folders()

    @property
    def host(self) -> str | None:
        """The document that stands for this folder in navigation.

        The index page, or, for a folder without one, its first page: clicking
        a chapter without a README opens the chapter's first page.
        """
        return next((page.docname for page in self.pages()), None)

    @property
    def content_pages(self) -> list[Page]:
        """Pages below this folder other than its own index page."""
        return [page for page in self.pages() if page is not self.index]


def _sort_key(number: int | None, name: str) -> tuple[int, int, str]:
    # Numbered entries first, by number; then unnumbered by name.
    return (0, number, name) if number is not None else (1, 0, name.casefold())


@dataclass
class Layout:
    """The whole shelf: its root folder, its books, extras, and the issues found."""

    root: Folder
    active: bool
    unnumbered: Unnumbered
    issues: list[LayoutIssue] = field(default_factory=list)

    @property
    def books(self) -> list[Folder]:
        return [
            child
            for child in self.root.children
            if isinstance(child, Folder) and child.kind == "book"
        ]

    @property
    def extras(self) -> list[Folder]:
        return [
            child
            for child in self.root.children
            if isinstance(child, Folder) and child.kind == "extra"
        ]

    def pages(self) -> Iterator[Page]:
        return self.root.pages()

    def folders(self) -> Iterator[Folder]:
        return self.root.folders()

    def page(self, docname: str) -> Page | None:
        return self._pages.get(docname)

    def book_of(self, docname: str) -> Folder | None:
        """The book a page belongs to (None for shelf pages and extras)."""
        return self._book_of.get(docname)

    def folder_of(self, docname: str) -> Folder | None:
        """The innermost folder whose pages include *docname*."""
        return self._folder_of.get(docname)

    def __post_init__(self) -> None:
        self._toctrees: dict[str, list[tuple[str, str]]] | None = None
        self._names: tuple[dict[str, str], dict[str, list[str]]] | None = None
        self._hidden: set[str] | None = None
        self._pages: dict[str, Page] = {}
        self._book_of: dict[str, Folder] = {}
        self._folder_of: dict[str, Folder] = {}
        for folder in self.root.folders():
            members = ([folder.index] if folder.index else []) + [
                child for child in folder.children if isinstance(child, Page)
            ]
            for page in members:
                self._pages[page.docname] = page
                self._folder_of[page.docname] = folder
        for book in self.books:
            for page in book.pages():
                self._book_of[page.docname] = book

    # -- navigation ---------------------------------------------------------

    def toctree_entries(self, folder: Folder) -> list[tuple[str, str]]:
        """The (title, docname) entries of the toctree *folder* hosts.

        A child folder hosted on the same document (a folder without index
        whose first page lies in a sub-folder) is inlined at its place.
        """
        host = folder.host
        entries: list[tuple[str, str]] = []
        for child in folder.children:
            if isinstance(child, Page):
                if child.docname != host:
                    entries.append((child.title, child.docname))
            elif (child.kind == "extra" and self.unnumbered != "after") or child.host is None:
                continue
            elif child.host == host:
                entries.extend(self.toctree_entries(child))
            else:
                entries.append((child.title, child.host))
        return entries

    def toctrees(self) -> dict[str, list[tuple[str, str]]]:
        """Every generated toctree: host docname -> entries, in reading order.

        Computed once: every page asks while it is read (do not mutate the result).
        """
        if self._toctrees is None:
            self._toctrees = self._compute_toctrees()
        return self._toctrees

    def _compute_toctrees(self) -> dict[str, list[tuple[str, str]]]:
        result: dict[str, list[tuple[str, str]]] = {}
        if not self.active:
            return result
        for folder in self.root.folders():
            host = folder.host
            if host is None or host in result:
                continue
            entries = self.toctree_entries(folder)
            if entries:
                result[host] = entries
        return result

    def hidden_docnames(self) -> set[str]:
        """Pages built but kept out of navigation (extras with ``unnumbered="hidden"``)."""
        if self._hidden is None:
            hidden = self.active and self.unnumbered == "hidden"
            self._hidden = (
                {page.docname for extra in self.extras for page in extra.pages()}
                if hidden
                else set()
            )
        return self._hidden

    # -- number-free names --------------------------------------------------

    def plain_names(self) -> dict[str, str]:
        """Number-free name -> docname, for every page and folder.

        ``1-getting-started/1-quick-start/1-overview`` is also
        ``getting-started/quick-start/overview``; a folder's name leads to its
        host.  Names claimed by two documents are left out (see
        :meth:`ambiguous_names`).
        """
        names, _ = self._plain_names()
        return names

    def ambiguous_names(self) -> dict[str, list[str]]:
        _, clashes = self._plain_names()
        return clashes

    def _plain_names(self) -> tuple[dict[str, str], dict[str, list[str]]]:
        # Computed once: every page's references ask (do not mutate the result).
        if self._names is None:
            self._names = self._compute_plain_names()
        return self._names

    def _compute_plain_names(self) -> tuple[dict[str, str], dict[str, list[str]]]:
        claims: dict[str, set[str]] = {}

        def claim(name: str, docname: str | None) -> None:
            if docname is not None and name:
                claims.setdefault(name, set()).add(docname)

        for folder in self.root.folders():
            if folder.kind != "shelf":
                claim(plain_path(folder.path), folder.host)
        for page in self.pages():
            if not page.is_index:
                claim(plain_path(page.docname), page.docname)
        names: dict[str, str] = {}
        clashes: dict[str, list[str]] = {}
        for name, docnames in sorted(claims.items()):
            if len(docnames) == 1:
                names[name] = next(iter(docnames))
            else:
                clashes[name] = sorted(docnames)
        # A name equal to a real docname would only shadow it; drop those.
        real = {page.docname for page in self.pages()}
        return {k: v for k, v in names.items() if k not in real or k == v}, clashes

    # -- serialisation ------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description (``sphinx-mosaic tree --json``)."""

        def page_dict(page: Page) -> dict[str, Any]:
            return {
                "kind": "page",
                "number": page.number,
                "title": page.title,
                "docname": page.docname,
                "source": page.source,
                "name": plain_path(page.docname),
            }

        def folder_dict(folder: Folder) -> dict[str, Any]:
            return {
                "kind": folder.kind,
                "number": folder.number,
                "title": folder.title,
                "path": folder.path,
                "name": plain_path(folder.path),
                "index": page_dict(folder.index) if folder.index else None,
                "children": [
                    folder_dict(c) if isinstance(c, Folder) else page_dict(c)
                    for c in folder.children
                ],
            }

        return {
            "active": self.active,
            "unnumbered": self.unnumbered,
            "shelf": folder_dict(self.root),
            "issues": [issue.__dict__ for issue in self.issues],
        }


def plain_path(path: str) -> str:
    """Drop the number of every component: ``1-a/02-b`` -> ``a/b``."""
    return "/".join(split_number(part)[1] for part in PurePosixPath(path).parts)


# -- building the model -------------------------------------------------------

Reader = Callable[[str], SourceInfo]


@dataclass
class _Dir:
    files: dict[str, str] = field(default_factory=dict)  # stem -> source path
    dirs: dict[str, _Dir] = field(default_factory=dict)

    def names(self) -> Iterator[str]:
        """File stems and folder names below this folder (index pages left out)."""
        for stem in self.files:
            if stem not in INDEX_STEMS:
                yield stem
        for name, sub in self.dirs.items():
            yield name
            yield from sub.names()


def build_layout(
    sources: Iterable[str],
    reader: Reader,
    *,
    unnumbered: Unnumbered = "after",
    strip_title_numbers: bool = False,
    suffix_order: tuple[str, ...] = (".md", ".rst"),
    root_doc: str | None = None,
    unnumbered_books: UnnumberedBooks = "auto",
    folder_books: bool = True,
) -> Layout:
    """Build the model from source paths (relative, POSIX, with suffix).

    *reader* returns the front matter and heading of a source path.  *root_doc*
    names the shelf page when it is not a top-level README or index (Sphinx's
    ``root_doc``).  *unnumbered_books* ``"never"`` keeps unnumbered top-level
    folders extras even when they hold numbered content.

    A tree with no number anywhere whose root page writes no toctree would
    leave every page but the root unreachable; with *folder_books* (and
    *unnumbered_books* ``"auto"``) its top-level folders are books, in name
    order, each with a ``mosaic.unnumbered-book`` warning.
    """
    tree = _Dir()
    for source in sorted(set(sources)):
        parts = PurePosixPath(source).parts
        node = tree
        for part in parts[:-1]:
            node = node.dirs.setdefault(part, _Dir())
        stem = PurePosixPath(parts[-1]).stem
        if stem in node.files:
            # Two sources with one docname (a.md and a.rst): Sphinx keeps one.
            ranked = sorted([node.files[stem], source], key=lambda s: _suffix_rank(s, suffix_order))
            node.files[stem] = ranked[0]
        else:
            node.files[stem] = source
    builder = _Builder(reader, unnumbered, strip_title_numbers)
    if root_doc is not None and "/" not in root_doc:
        builder.root_stem = root_doc
    if unnumbered == "books" or unnumbered_books == "auto":
        builder.by_name = {
            name
            for name, sub in tree.dirs.items()
            if split_number(name)[0] is None
            and (unnumbered == "books" or holds_numbered(sub.names()))
        }
    root = builder.folder(tree, "", depth=0)
    active = (
        unnumbered == "books"
        or bool(builder.by_name)
        or any(split_number(name)[0] is not None for name in tree.dirs)
    )
    unreachable = (
        not active
        and folder_books
        and unnumbered_books == "auto"
        and root.index is not None
        and not reader(root.index.source).has_toctree
    )
    if unreachable and any(sub.files or sub.dirs for sub in tree.dirs.values()):
        builder = _Builder(reader, unnumbered, strip_title_numbers)
        builder.root_stem = root_doc if root_doc is not None and "/" not in root_doc else None
        builder.without_numbers = True
        builder.by_name = set(tree.dirs)
        root = builder.folder(tree, "", depth=0)
        active = True
    if not active:
        builder.issues.clear()
    return Layout(root=root, active=active, unnumbered=unnumbered, issues=builder.issues)


def _suffix_rank(source: str, order: tuple[str, ...]) -> int:
    suffix = PurePosixPath(source).suffix
    return order.index(suffix) if suffix in order else len(order)


class _Builder:
    def __init__(self, reader: Reader, unnumbered: Unnumbered, strip: bool) -> None:
        self.reader = reader
        self.unnumbered = unnumbered
        self.strip = strip
        self.issues: list[LayoutIssue] = []
        self.root_stem: str | None = None
        #: Unnumbered top-level folders that are books, their entries ordered by name.
        self.by_name: set[str] = set()
        #: The shelf has no number anywhere: its top-level folders are all books.
        self.without_numbers = False

    def page(self, source: str, stem: str, *, is_index: bool, fallback: str | None = None) -> Page:
        """A page; *fallback* titles an index page without heading (its folder's name)."""
        info = self.reader(source)
        number, slug = (None, stem) if is_index else split_number(stem)
        docname = str(PurePosixPath(source).with_suffix(""))
        if info.front_matter_error:
            line, message = info.front_matter_error
            # Say what the page lost: every key of the block, not only the broken one.
            message += (
                "; the page gets nothing from its front matter (no status, title or audience) "
                "until it is fixed"
            )
            self.issues.append(LayoutIssue("front-matter", source, message, line, docname))
        for line, message in info.front_matter_typos:
            self.issues.append(
                LayoutIssue("front-matter", source, message, line, docname, advisory=True)
            )
        title_value = info.front_matter.get("title")
        title = str(title_value).strip() if title_value not in (None, "") else None
        title = title or info.heading or fallback or humanize(slug)
        if self.strip:
            title = strip_title_number(title)
        return Page(
            docname=docname,
            source=source,
            number=number,
            slug=slug,
            title=title,
            front_matter=info.front_matter,
            is_index=is_index,
        )

    def kind_for(
        self, depth: int, numbered: bool, parent: FolderKind | None, path: str = ""
    ) -> FolderKind:
        if parent == "extra" or (depth == 1 and not numbered and path not in self.by_name):
            return "extra"
        return {1: "book", 2: "chapter"}.get(depth, "section")  # type: ignore[return-value]

    def folder(self, node: _Dir, path: str, depth: int, parent: FolderKind | None = None) -> Folder:
        name = PurePosixPath(path).name
        number, slug = split_number(name) if path else (None, "")
        kind: FolderKind = (
            "shelf" if depth == 0 else self.kind_for(depth, number is not None, parent, path)
        )
        index: Page | None = None
        stems = INDEX_STEMS if depth or self.root_stem is None else (self.root_stem,)
        for stem in stems:
            if stem in node.files:
                fallback = humanize(slug) if path else "Home"
                index = self.page(node.files[stem], stem, is_index=True, fallback=fallback)
                break
        children: list[Folder | Page] = []
        for stem, source in node.files.items():
            if index is not None and source == index.source:
                continue
            children.append(self.page(source, stem, is_index=False))
        for dirname, sub in node.dirs.items():
            child_path = f"{path}/{dirname}" if path else dirname
            folder = self.folder(sub, child_path, depth + 1, kind)
            if folder.index is not None or folder.children:
                children.append(folder)
        children.sort(key=lambda child: child.sort_key)
        title = index.title if index is not None else humanize(slug)
        folder = Folder(
            kind=kind,
            path=path,
            number=number,
            slug=slug,
            title=title,
            index=index,
            children=children,
        )
        self.check(folder)
        if depth == 1 and kind == "book" and number is None and self.unnumbered != "books":
            self.issues.append(
                LayoutIssue(
                    "unnumbered-book",
                    path,
                    (
                        f"folder {path!r} has no number, and neither has any folder or page "
                        "of the shelf, whose root page writes no toctree: so that its pages "
                        "are reachable it is a book (by name); number the folders to order "
                        f"them ('1-{name}'), write a toctree in the root page, or set "
                        'mosaic_unnumbered_books = "never" to leave the pages unlisted'
                    )
                    if self.without_numbers
                    else f"folder {path!r} has no number but holds numbered pages, so it is a "
                    "book (after the numbered books, by name); number it to place it "
                    f"('1-{name}'), or set mosaic_unnumbered_books = \"never\" to keep "
                    "unnumbered folders out of the books",
                    docname=folder.host,
                )
            )
        return folder

    def ordered_by_name(self, folder: Folder) -> bool:
        """Whether unnumbered entries of *folder* are expected (no ``unnumbered`` issue)."""
        top = PurePosixPath(folder.path).parts[:1]
        return self.unnumbered == "books" or (bool(top) and top[0] in self.by_name)

    def check(self, folder: Folder) -> None:
        if folder.kind == "extra":
            return

        def report(code: str, child: Folder | Page, message: str) -> None:
            path = child.source if isinstance(child, Page) else child.path
            docname = child.docname if isinstance(child, Page) else child.host
            self.issues.append(LayoutIssue(code, path, message, docname=docname))

        seen: dict[int, list[Folder | Page]] = {}
        for child in folder.children:
            name = child.source if isinstance(child, Page) else child.path
            if child.number is not None:
                seen.setdefault(child.number, []).append(child)
            elif folder.kind == "shelf" and isinstance(child, Page):
                continue  # unnumbered pages beside the shelf index are extras
            elif folder.kind != "shelf" and not self.ordered_by_name(folder):
                report(
                    "unnumbered",
                    child,
                    f"{name!r} has no number inside {folder.kind} {folder.path!r}; it is "
                    "placed after the numbered entries (name it '{N}-...' to order it)",
                )
            if folder.kind == "shelf" and isinstance(child, Page) and child.number is not None:
                report(
                    "outside-book",
                    child,
                    f"page {name!r} is outside every book; move it into a book folder",
                )
            if isinstance(child, Folder) and child.kind == "section":
                report(
                    "too-deep",
                    child,
                    f"folder {name!r} is nested deeper than book > chapter; BookStack output "
                    "flattens its pages into the enclosing chapter",
                )
        for number, children in sorted(seen.items()):
            if len(children) > 1:
                names = ", ".join(
                    repr(c.source if isinstance(c, Page) else c.path) for c in children
                )
                report(
                    "duplicate-number",
                    children[1],
                    f"number {number} is used by {names} in {folder.path or 'the shelf'!r}; "
                    "they are ordered by name (renumber one of them)",
                )
        if folder.kind == "book" and not folder.content_pages:
            report(
                "empty-book",
                folder.index or folder,
                f"book {folder.path!r} has no pages besides its index",
            )


#: The side file ``sphinx-mosaic pull`` writes next to a source (wiki edits it could not
#: merge): never a page.
SIDE_SUFFIX = ".wiki.md"


def discover(
    srcdir: Path,
    *,
    suffixes: Iterable[str] = (".md", ".rst"),
    exclude: Callable[[str], bool] | None = None,
    unnumbered: Unnumbered = "after",
    strip_title_numbers: bool = False,
    unnumbered_books: UnnumberedBooks = "auto",
) -> Layout:
    """Walk *srcdir* and build its layout (for the command line).

    Hidden folders, ``_``-prefixed folders (``_build``, ``_static``) and
    paths *exclude* accepts are skipped.
    """
    wanted = tuple(suffixes)
    found: list[str] = []
    for path in sorted(srcdir.rglob("*")):
        relative = path.relative_to(srcdir).as_posix()
        if any(part.startswith((".", "_")) for part in PurePosixPath(relative).parts):
            continue
        if relative.endswith(SIDE_SUFFIX):
            continue
        if path.suffix in wanted and path.is_file() and not (exclude and exclude(relative)):
            found.append(relative)
    return build_layout(
        found,
        lambda source: read_source(srcdir / source),
        unnumbered=unnumbered,
        strip_title_numbers=strip_title_numbers,
        suffix_order=wanted,
        unnumbered_books=unnumbered_books,
    )
