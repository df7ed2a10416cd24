"""The ``status-table`` directive: one row per book (or per chapter of one book).

The directive leaves a placeholder; :class:`StatusTableResolver` replaces it at
write time with a standard ``nodes.table`` built from the layout model and the
collected statuses and dates, so it renders in every builder and always shows
the data of the current build (the collector returns the pages holding a table
from ``env-get-updated`` whenever that data changes).
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from sphinx_mosaic import envdata
from sphinx_mosaic.layout.model import Folder, Layout, Page, plain_path
from sphinx_mosaic.layout.resolve import NameResolver, resolver_for
from sphinx_mosaic.status.badge import badge_for
from sphinx_mosaic.status.collector import page_status, record_of
from sphinx_mosaic.status.last_updated import format_date, last_updated
from sphinx_mosaic.status.rollup import Rollup, rollup
from sphinx_mosaic.status.vocabulary import PARTIAL, StatusKind, vocabulary_of
from sphinx_mosaic.suggest import did_you_mean
from sphinx_mosaic.warnings import MosaicWarning, warn

_ = get_translation("sphinx_mosaic_status")


class status_table(nodes.General, nodes.Element):
    """Placeholder (attributes ``docname``, ``book``) for a status table."""


class StatusTableDirective(SphinxDirective):
    """``status-table``: the documentation status of every book, or of one book's chapters."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "book": directives.unchanged_required,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        node = status_table(
            docname=self.env.docname,
            book=self.options.get("book", "").strip(),
            classes=self.options.get("class", []),
        )
        self.set_source_info(node)
        record_of(self.env, self.env.docname).tables.append(node["book"])
        envdata.status_table_pages(self.env).add(self.env.docname)
        return [node]


def folder_rollup(env: BuildEnvironment, folder: Folder) -> Rollup:
    """The roll-up of a book or chapter (its index page's status wins).

    Index pages (of the folder and of its chapters) stand for their folder and
    are not counted as pages.
    """
    pages = [page for page in folder.pages() if not page.is_index]
    explicit = page_status(env, folder.index.docname) if folder.index else None
    return rollup(
        [page_status(env, page.docname) for page in pages], vocabulary_of(env.config), explicit
    )


def folder_last_updated(env: BuildEnvironment, folder: Folder) -> date | None:
    """The newest last-updated date of a folder's pages, its index page included."""
    dates = [when for page in folder.pages() if (when := last_updated(env, page.docname))]
    return max(dates) if dates else None


def find_book(resolver: NameResolver, layout: Layout, name: str, fromdoc: str) -> Folder | None:
    """The book *name* means on *fromdoc*: a name the one name resolver gives a book
    (folder path, number-free name, relative or from the shelf), else a book's title."""
    folder = resolver.folder(name, fromdoc)
    if folder is not None and folder.kind == "book":
        return folder
    wanted = name.strip()
    return next((book for book in layout.books if book.title == wanted), None)


def table_items(
    env: BuildEnvironment, layout: Layout, book: str, docname: str
) -> list[Folder | Page] | None:
    """The rows of a status table on *docname*: the books, or the chapters and pages of
    *book* (None when there is no such book)."""
    if not book:
        return list(layout.books)
    found = find_book(resolver_for(env), layout, book, docname)
    return list(found.children) if found is not None else None


RowData = tuple[str, str, Rollup, "date | None"]


def row_data(env: BuildEnvironment, item: Folder | Page) -> RowData | None:
    """What a table's row shows of *item*: the linked document, the title, the roll-up
    and the newest date (None for a folder without an index page)."""
    if isinstance(item, Page):
        status = page_status(env, item.docname)
        # A page row shows the page's own status ("—" when it has none).
        result = rollup([status], vocabulary_of(env.config)) if status else Rollup(None, 0, 1, 0)
        return item.docname, item.title, result, last_updated(env, item.docname)
    if item.host is None:
        return None
    return item.host, item.title, folder_rollup(env, item), folder_last_updated(env, item)


def table_views(env: BuildEnvironment, tables: dict[str, list[str]]) -> dict[str, Any]:
    """For each page of *tables* (docname: the ``book`` option of each of its tables),
    everything its tables show; a page is written again when this changes."""
    layout = envdata.layout(env)
    if layout is None or not layout.active:
        return {docname: None for docname in tables}
    views: dict[str, Any] = {}
    for docname, books in sorted(tables.items()):
        shown = []
        for book in books:
            items = table_items(env, layout, book, docname)
            shown.append(None if items is None else [row_data(env, item) for item in items])
        views[docname] = shown
    return views


class StatusTableResolver(SphinxPostTransform):
    """Replace status table placeholders with real tables."""

    # Before ReferencesResolver (10), which resolves the links to the books.
    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        if not envdata.status_table_pages(self.env):
            # No document holds a table: no walk of the tree.  Any document, not this
            # one: LaTeX, singlehtml and texinfo resolve one tree assembled from many.
            return
        for placeholder in list(self.document.findall(status_table)):
            table = self.build(placeholder)
            if table is None:
                placeholder.parent.remove(placeholder)
            else:
                placeholder.replace_self(table)

    def build(self, placeholder: status_table) -> nodes.table | None:
        layout = envdata.layout(self.env)
        if layout is None or not layout.active:
            warn(
                MosaicWarning.STATUS,
                "status-table needs the numbered layout (numbered book folders); none found",
                location=placeholder,
            )
            return None
        rows = table_items(self.env, layout, placeholder["book"], placeholder["docname"])
        heading = _("Chapter") if placeholder["book"] else _("Book")
        if rows is None:
            names = ", ".join(plain_path(book.path) for book in layout.books)
            warn(
                MosaicWarning.STATUS,
                f"status-table: no book {placeholder['book']!r}"
                f"{did_you_mean(placeholder['book'], (plain_path(b.path) for b in layout.books))}"
                f"; books: {names}",
                location=placeholder,
            )
            return None
        table = nodes.table(classes=["mosaic-status-table", *placeholder["classes"]])
        group = nodes.tgroup(cols=4)
        table += group
        for width in (40, 24, 16, 20):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        head += self.row([str(heading), _("Status"), _("Complete"), _("Last updated")])
        group += head
        body = nodes.tbody()
        for item in rows:
            row = self.item_row(item, placeholder["docname"])
            if row is not None:
                body += row
        if not len(body):
            return None
        group += body
        return table

    def row(self, cells: list[nodes.Node | str]) -> nodes.row:
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            if isinstance(cell, nodes.paragraph):
                entry += cell
            else:
                para = nodes.paragraph()
                para += cell if isinstance(cell, nodes.Node) else nodes.Text(str(cell))
                entry += para
            row += entry
        return row

    def item_row(self, item: Folder | Page, docname: str) -> nodes.row | None:
        env = self.env
        data = row_data(env, item)
        if data is None:
            return None
        host, title, result, when = data
        link = addnodes.pending_xref(
            "",
            nodes.inline("", title),
            refdomain="std",
            reftype="doc",
            reftarget="/" + host,
            refexplicit=True,
            refwarn=True,
            refdoc=docname,
        )
        return self.row(
            [
                link,
                self.status_cell(result, item),
                f"{result.complete}/{result.total}",
                format_date(env, when) if when else "—",
            ]
        )

    def status_cell(self, result: Rollup, item: Folder | Page) -> nodes.paragraph:
        """The badge, with "set by hand" or the percentage complete for a folder."""
        para = nodes.paragraph()
        if result.status is None:
            para += nodes.Text("—")
            return para
        vocabulary = vocabulary_of(self.config)
        kind = (
            vocabulary[result.status]
            if result.status in vocabulary
            else StatusKind(result.status, result.status, "grey", shape="none")
        )
        para += badge_for(kind)
        if isinstance(item, Page):
            return para  # a page's own status, not a roll-up
        if result.by_hand:
            para += nodes.Text(" ")
            para += nodes.emphasis("", _("set by hand"), classes=["mosaic-by-hand"])
        elif result.status == PARTIAL:
            para += nodes.Text(f" {result.percent} %")
        return para


def _skip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


def setup_table(app: Sphinx) -> None:
    skip = (_skip, None)
    app.add_node(status_table, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
    app.add_directive("status-table", StatusTableDirective)
    app.add_post_transform(StatusTableResolver)
