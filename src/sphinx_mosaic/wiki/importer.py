"""BookStack books (read from ZIP exports) written as a numbered MyST tree.

The tree is the layout sphinx-mosaic reads: one numbered folder per book
(``1-getting-started/``), one per chapter inside it, one numbered ``.md`` file
per page, numbered from BookStack's order (priority, chapters before pages on a
tie), a ``README.md`` per book and chapter holding its description.  The
builder's own conventions are undone, so a tree built to BookStack and imported
again comes back in the same shape:

- a book's or chapter's first page named like the book or chapter is the rest
  of its index page: it goes into the ``README.md`` after the description;
- the first page of the first book named like the shelf is the rest of the
  shelf's ``README.md``;
- ``mosaic-status`` and ``mosaic-audience`` tags become front matter
  ``status`` and ``audience`` (other tags go to ``wiki-tags``), and the status
  badge and "Last updated" line the builder wrote are left out (the build
  writes them again from the front matter).

Images go into ``img/`` beside the page using them, attachments into
``files/``; links between pages become number-free names
(``/guide/setup/install``), which survive renumbering.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from bs4 import BeautifulSoup, Tag

from sphinx_mosaic.bookstack.format.urls import bookstack_slug
from sphinx_mosaic.wiki.convert import Block, PageContext, convert_page, heading_slug
from sphinx_mosaic.wiki.export import WikiBook, WikiChapter, WikiFile, WikiPage
from sphinx_mosaic.wiki.fmt import canonical

_FOOTER = re.compile(r"^\s*Last updated: .*|^\s*Version: .*")


def slug(name: str) -> str:
    """An ASCII file-name slug of *name*: BookStack's own URL slug (one rule, shared with
    the builder), or ``page`` for a name that has none (a name in Chinese, say)."""
    return bookstack_slug(name) or "page"


@dataclass
class ImportOptions:
    #: sphinx-design is in use: ``details`` become ``{dropdown}``.
    design: bool = False
    #: The shelf's name and description (a ZIP has no shelf).
    title: str = ""
    description_html: str = ""


@dataclass
class ImportResult:
    written: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    pages: int = 0


@dataclass
class _Doc:
    """One file to write: a page, or an index page (README.md) of a folder."""

    path: PurePosixPath  # relative to the output folder
    name: str  # number-free name, with a leading "/"
    title: str
    description_html: str = ""
    tags: list[tuple[str, str]] = field(default_factory=list)
    page: WikiPage | None = None
    book: int = 0


def _unique(base: str, taken: set[str]) -> str:
    base = base or "untitled"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


class _Plan:
    """Where every book, chapter and page goes, and the names links use."""

    def __init__(self, books: list[WikiBook], options: ImportOptions) -> None:
        self.docs: list[_Doc] = []
        #: per book index: export ids -> number-free names.
        self.pages: list[dict[int, str]] = []
        self.chapters: list[dict[int, str]] = []
        self.book_names: list[str] = []
        self.urls: dict[str, str] = {}
        self.by_page: dict[tuple[int, int], _Doc] = {}
        root = _Doc(PurePosixPath("README.md"), "/README", options.title or "Wiki")
        root.description_html = options.description_html
        self.docs.append(root)
        taken: set[str] = set()
        for index, book in enumerate(books):
            self._book(index, book, taken, root if index == 0 and options.title else None)

    def _book(self, index: int, book: WikiBook, taken: set[str], root: _Doc | None) -> None:
        base = _unique(slug(book.name), taken)
        folder = PurePosixPath(f"{index + 1}-{base}")
        name = f"/{base}"
        self.book_names.append(name)
        self.pages.append({})
        self.chapters.append({})
        self.urls[f"/books/{bookstack_slug(book.name)}"] = name
        contents = list(book.contents)
        first = contents[0] if contents else None
        if root is not None and isinstance(first, WikiPage) and first.name == root.title:
            contents.pop(0)
            self._attach(index, root, first, bookstack_slug(book.name))
        readme = _Doc(folder / "README.md", name, book.name, book.description_html, book.tags)
        readme.book = index
        self.docs.append(readme)
        first = contents[0] if contents else None
        if isinstance(first, WikiPage) and first.name == book.name:
            contents.pop(0)
            self._attach(index, readme, first, bookstack_slug(book.name))
        used: set[str] = set()
        for number, item in enumerate(contents, 1):
            item_base = _unique(slug(item.name), used)
            if isinstance(item, WikiChapter):
                self._chapter(
                    index,
                    item,
                    folder / f"{number}-{item_base}",
                    f"{name}/{item_base}",
                    bookstack_slug(book.name),
                )
            else:
                doc = _Doc(folder / f"{number}-{item_base}.md", f"{name}/{item_base}", item.name)
                doc.book = index
                self._attach(index, doc, item, bookstack_slug(book.name))
                self.docs.append(doc)

    def _chapter(
        self, index: int, chapter: WikiChapter, folder: PurePosixPath, name: str, book_slug: str
    ) -> None:
        readme = _Doc(
            folder / "README.md", name, chapter.name, chapter.description_html, chapter.tags
        )
        readme.book = index
        self.docs.append(readme)
        self.chapters[index][chapter.id] = name
        self.urls[f"/books/{book_slug}/chapter/{bookstack_slug(chapter.name)}"] = name
        pages = list(chapter.pages)
        if pages and pages[0].name == chapter.name:
            self._attach(index, readme, pages.pop(0), book_slug)
        used: set[str] = set()
        for number, page in enumerate(pages, 1):
            base = _unique(slug(page.name), used)
            doc = _Doc(folder / f"{number}-{base}.md", f"{name}/{base}", page.name)
            doc.book = index
            self._attach(index, doc, page, book_slug)
            self.docs.append(doc)

    def _attach(self, index: int, doc: _Doc, page: WikiPage, book_slug: str) -> None:
        doc.page = page
        doc.book = index
        doc.tags = page.tags or doc.tags
        self.pages[index][page.id] = doc.name
        self.by_page[(index, page.id)] = doc
        self.urls.setdefault(f"/books/{book_slug}/page/{bookstack_slug(page.name)}", doc.name)


_LABEL = re.compile(r"[A-Za-z0-9][\w.-]*")
_TOKEN = re.compile(r"^\[\[bsexport:(page|chapter|book):(\d+)\]\]#(.+)$")
_URL = re.compile(r"^(?:https?://[^/]+)?(/books/[^#?]*)#(.+)$")


def _anchors(
    plan: _Plan, soups: dict[str, BeautifulSoup]
) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """What links with a ``#fragment`` write, page by page, and the MyST targets to add.

    A heading is reached by its MyST slug when that is its id without ``bkmrk-``; any
    other top-level block a link points at (a paragraph, a list, a heading whose slug
    differs) gets a target ``(id)=`` before it, which Sphinx turns back into that id.
    """
    blocks: dict[str, dict[str, str | None]] = {}
    for doc in plan.docs:
        if doc.page is None:
            continue
        soup = soups[doc.name]
        found = blocks.setdefault(doc.name, {})
        for el in soup.find_all(True, recursive=False):
            if el.get("id"):
                heading = el.name in ("h1", "h2", "h3", "h4", "h5", "h6")
                found[str(el["id"])] = " ".join(el.get_text().split()) if heading else None
    anchors: dict[str, dict[str, str]] = {}
    for name, ids in blocks.items():
        anchors[name] = {
            i: heading_slug(text)
            for i, text in ids.items()
            if text is not None and heading_slug(text) == i.removeprefix("bkmrk-")
        }
    wanted: set[tuple[str, str]] = set()
    for doc in plan.docs:
        if doc.page is None:
            continue
        soup = soups[doc.name]
        for a in soup.find_all("a", href=True):
            href = str(a["href"])
            if href.startswith("#"):
                wanted.add((doc.name, href[1:]))
                continue
            token = _TOKEN.match(href)
            if token:
                table = {"page": plan.pages, "chapter": plan.chapters}.get(token.group(1))
                target = table[doc.book].get(int(token.group(2))) if table else None
                if target:
                    wanted.add((target, token.group(3)))
                continue
            url = _URL.match(href)
            if url and url.group(1).rstrip("/") in plan.urls:
                wanted.add((plan.urls[url.group(1).rstrip("/")], url.group(2)))
    labels: dict[str, dict[str, str]] = {}
    used: set[str] = set()
    for name, fragment in sorted(wanted):
        if fragment in anchors.get(name, {}) or fragment not in blocks.get(name, {}):
            continue
        label = fragment.removeprefix("bkmrk-")
        if not _LABEL.fullmatch(label) or label in used:
            continue
        used.add(label)
        labels.setdefault(name, {})[fragment] = label
        anchors.setdefault(name, {})[fragment] = label
    return anchors, labels


def _relative(target: PurePosixPath, start: PurePosixPath) -> str:
    return PurePosixPath(os.path.relpath(target, start)).as_posix()


def _front_matter(tags: list[tuple[str, str]]) -> str:
    status = [v for n, v in tags if n == "mosaic-status" and v]
    audiences = [v for n, v in tags if n == "mosaic-audience" and v]
    others = [f"{n}: {v}" if v else n for n, v in tags if not n.startswith("mosaic-")]
    lines = []
    if status:
        lines.append(f"status: {_yaml(status[0])}")
    if audiences:
        lines.append("audience: [" + ", ".join(_yaml(a) for a in audiences) + "]")
    if others:
        lines.append("wiki-tags:")
        lines.extend(f"  - {_yaml(o)}" for o in others)
    return "---\n" + "\n".join(lines) + "\n---\n\n" if lines else ""


def _yaml(value: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9][\w .-]*", value) and value.strip() == value:
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _generated(blocks: list[Block], tags: list[tuple[str, str]]) -> list[Block]:
    """*blocks* without what sphinx-mosaic's builder wrote on its own: the status badge
    (first, on a page with a ``mosaic-status`` tag) and the "Last updated" line (last)."""
    if not any(n.startswith("mosaic-") for n, _ in tags):
        return blocks
    out = list(blocks)
    if out and any(n == "mosaic-status" for n, _ in tags):
        soup = BeautifulSoup(out[0].html, "html.parser")
        p = soup.find("p")
        if isinstance(p, Tag) and len(p.find_all(True)) == 1 and p.find("strong") is not None:
            out.pop(0)
    if out:
        text = BeautifulSoup(out[-1].html, "html.parser").get_text()
        if _FOOTER.match(text) and text.count("·") <= 2 and len(text) < 200:
            out.pop()
    return out


class _Files:
    """Images and attachments written beside the pages, one file per content."""

    def __init__(self, out: Path, result: ImportResult) -> None:
        self.out = out
        self.result = result
        self.written: dict[PurePosixPath, bytes] = {}

    def save(
        self, folder: PurePosixPath, sub: str, item: WikiFile, default_suffix: str
    ) -> PurePosixPath | None:
        if item.data is None:
            return None
        stem = bookstack_slug(PurePosixPath(item.name).stem) or f"file-{item.id}"
        suffix = item.suffix or PurePosixPath(item.name).suffix.lower() or default_suffix
        taken: set[str] = set()
        while True:
            base = _unique(stem, taken)
            path = folder / sub / f"{base}{suffix}"
            existing = self.written.get(path)
            if existing is None:
                self.written[path] = item.data
                target = self.out / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(item.data)
                self.result.written.append(target)
                return path
            if existing == item.data:
                return path


def import_books(
    books: list[WikiBook], out: Path, options: ImportOptions | None = None
) -> ImportResult:
    """Write *books* as a numbered MyST tree in *out*; return what was written and reported."""
    options = options or ImportOptions()
    plan = _Plan(books, options)
    result = ImportResult()
    files = _Files(out, result)
    # Every page parsed once: for its link targets, then converted.
    soups = {
        doc.name: BeautifulSoup(doc.page.html, "html.parser")
        for doc in plan.docs
        if doc.page is not None
    }
    anchors, labels = _anchors(plan, soups)
    images: list[dict[int, PurePosixPath]] = [{} for _ in books]
    attachments: list[dict[int, PurePosixPath | str]] = [{} for _ in books]
    for doc in plan.docs:
        if doc.page is None:
            continue
        folder = doc.path.parent
        for image in doc.page.images:
            path = files.save(folder, "img", image, ".png")
            if path is None:
                result.problems.append(
                    f"{doc.path}: image '{image.name}' has no file in the export"
                )
            else:
                images[doc.book].setdefault(image.id, path)
        for attachment in doc.page.attachments:
            if attachment.data is None and attachment.link:
                attachments[doc.book].setdefault(attachment.id, attachment.link)
                continue
            path = files.save(folder, "files", attachment, "")
            if path is None:
                result.problems.append(f"{doc.path}: attachment '{attachment.name}' has no file")
            else:
                attachments[doc.book].setdefault(attachment.id, path)

    def include_of(book: int):  # type: ignore[no-untyped-def]
        def include(page_id: int, element: str | None) -> str | None:
            target = plan.by_page.get((book, page_id))
            if target is None or target.page is None:
                return None
            if element is None:
                return target.page.html
            soup = BeautifulSoup(target.page.html, "html.parser")
            found = soup.find(id=element)
            return str(found) if found is not None else None

        return include

    for doc in plan.docs:
        folder = doc.path.parent
        context = PageContext(
            name=doc.name,
            pages=plan.pages[doc.book] if plan.pages else {},
            chapters=plan.chapters[doc.book] if plan.chapters else {},
            books={books[doc.book].id: plan.book_names[doc.book]} if books else {},
            urls=plan.urls,
            images={k: _relative(v, folder) for k, v in images[doc.book].items()} if books else {},
            attachments={
                k: v if isinstance(v, str) else _relative(v, folder)
                for k, v in (attachments[doc.book].items() if books else [])
            },
            anchors=anchors,
            labels=labels.get(doc.name, {}),
            include=include_of(doc.book),
            design=options.design,
        )
        parts = [f"# {_title(doc.title)}"]
        if doc.description_html.strip():
            description = convert_page(doc.description_html, context)
            result.problems.extend(f"{doc.path} (description): {p}" for p in description.problems)
            parts.append(description.markdown)
        if doc.page is not None:
            conversion = convert_page(
                doc.page.html, context, soups.pop(doc.name, None), formatted_blocks=False
            )
            result.problems.extend(f"{doc.path}: {p}" for p in conversion.problems)
            blocks = _generated(conversion.blocks, doc.tags)
            parts.extend(b.markdown for b in blocks if b.markdown.strip())
            result.pages += 1
            linked = " ".join(b.html for b in blocks)
            for attachment in doc.page.attachments:
                if f"[[bsexport:attachment:{attachment.id}]]" not in linked and attachment.data:
                    result.problems.append(
                        f"{doc.path}: attachment '{attachment.name}' is not linked from the page: "
                        "saved beside it, add a link to show it"
                    )
        text = _front_matter(doc.tags) + canonical("\n\n".join(p for p in parts if p))
        target = out / doc.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        result.written.append(target)
    return result


def _title(name: str) -> str:
    """A page name as a heading's text: Markdown characters escaped."""
    return re.sub(r"([\\`*_\[\]<>{}#|])", r"\\\1", name.strip()) or "Untitled"


def write_conf(out: Path, project: str, design: bool) -> Path | None:
    """A ``conf.py`` for the imported tree, unless there is one."""
    conf = out / "conf.py"
    if conf.exists():
        return None
    extensions = ["myst_parser", "sphinx_mosaic"] + (["sphinx_design"] if design else [])
    conf.write_text(
        '"""Sphinx configuration of a tree imported from BookStack by sphinx-mosaic."""\n\n'
        f"project = {project!r}\n"
        f"extensions = {extensions!r}\n"
        "# Definition lists and links to headings of other pages, as the import writes them.\n"
        'myst_enable_extensions = ["deflist"]\n'
        "myst_heading_anchors = 6\n"
        "# The wiki's text already has its typographic quotes and dashes; straight ones that\n"
        "# remain were straight in the wiki (code, option names) and stay so.\n"
        "smartquotes = False\n",
        encoding="utf-8",
    )
    return conf
