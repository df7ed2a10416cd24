"""Make tables with a header and no body rows safe for every builder.

A Markdown table whose rows were never written (``| a | b |`` and its
``|---|---|`` line, nothing below) parses to a ``tgroup`` with a ``thead`` and
no ``tbody`` at all.  Sphinx's LaTeX builder stops the whole build on it: its
footnote post-transform (``LaTeXFootnoteVisitor.depart_table`` in
``sphinx/builders/latex/transforms.py``) takes ``next(table.findall(tbody))``
and raises ``StopIteration``.  The other builders write it (HTML as a
``<table>`` with a ``<thead>`` only; text, man and texinfo as one header
row), so only LaTeX stops, but all of them now get the same table.

This transform moves the header row(s) of such a table into a new body, so
the header text is kept and shown as the table's first row, and warns
``mosaic.table`` with the file and line.  A table with no rows at all (only
other extensions build one) gets an empty body, so the LaTeX builder does
not stop on it either; it has no text to keep, so it is not reported.

reST's ``list-table`` and ``csv-table`` refuse a table that has only header
rows ("Insufficient data supplied"): docutils reports an error and Sphinx
drops the table, header text and all.  Our subclasses of the standard
directives accept it instead, so it reaches this transform like the Markdown
table does.  They replace only the standard directives: a table directive
another extension registered first is left alone.

It runs at read time rather than as a post-transform for LaTeX only: the
pickled doctree is then fixed once for every builder (the LaTeX, singlehtml
and texinfo builders assemble it, BookStack walks it), it works unchanged with
``-j 2`` (each worker fixes the documents it reads) and on incremental builds
(an unchanged document keeps its fixed doctree), and the warning is given once
per table, when its source is read, not once per builder run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.directives.tables import ListTable, Table
from sphinx.application import Sphinx
from sphinx.directives.patches import CSVTable
from sphinx.transforms import SphinxTransform

from sphinx_mosaic.warnings import MosaicWarning, warn

_Child = TypeVar("_Child", bound=nodes.Node)


def _children(node: nodes.Element, kind: type[_Child]) -> list[_Child]:
    return [child for child in node.children if isinstance(child, kind)]


def _body_rows(tgroup: nodes.tgroup) -> list[nodes.row]:
    return [row for body in _children(tgroup, nodes.tbody) for row in _children(body, nodes.row)]


def _header_text(thead: nodes.thead, limit: int = 60) -> str:
    first = thead.next_node(nodes.row)
    if first is None:
        return ""
    text = " | ".join(" ".join(entry.astext().split()) for entry in _children(first, nodes.entry))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _located(table: nodes.table) -> nodes.Node:
    """The table, or the first node in it that knows its line (tables other
    extensions build may have none; their cells usually do)."""
    if table.line is not None:
        return table
    return next((node for node in table.findall() if node.line is not None), table)


class TablesWithoutBody(SphinxTransform):
    # After i18n's Locale (20), so translated tables are checked too; before
    # DoctreeReadEvent (880), so doctree-read handlers see the fixed table.
    default_priority = 500

    def apply(self, **kwargs: Any) -> None:
        for table in list(self.document.findall(nodes.table)):
            for tgroup in _children(table, nodes.tgroup):
                if not _body_rows(tgroup):
                    self.fix(table, tgroup)

    @staticmethod
    def fix(table: nodes.table, tgroup: nodes.tgroup) -> None:
        bodies = _children(tgroup, nodes.tbody)
        if bodies:
            tbody = bodies[0]
        else:
            tbody = nodes.tbody()
            tgroup += tbody
        heads = _children(tgroup, nodes.thead)
        rows = [row for thead in heads for row in _children(thead, nodes.row)]
        if not rows:
            # No rows at all (only other extensions make such tables): there is no
            # text to keep, and the empty body is enough for the LaTeX builder.
            return
        header = _header_text(heads[0])
        for thead in heads:
            tgroup.remove(thead)
        tbody.extend(rows)
        warn(
            MosaicWarning.TABLE,
            f"table with a header ({header!r}) and no body rows; its header is shown as an "
            "ordinary first row (Sphinx's LaTeX builder cannot write a table without body "
            "rows): add rows under the header, or remove the table",
            location=_located(table),
        )


class _AcceptHeaderOnly(Table):
    def check_table_dimensions(self, rows: list[Any], header_rows: int, stub_columns: int) -> None:
        if len(rows) == header_rows > 0:
            # docutils raises here and the table is lost; build it with an empty
            # body instead, for TablesWithoutBody to fix and report.
            header_rows = 0
        super().check_table_dimensions(rows, header_rows, stub_columns)

    def locate(self, result: Sequence[nodes.Node]) -> None:
        """Give the tables the directive's line: docutils leaves them without one,
        and the warning should point at the directive."""
        for node in result:
            if isinstance(node, nodes.table) and node.line is None:
                node.source, node.line = self.state_machine.get_source_and_line(self.lineno)


class HeaderOnlyListTable(_AcceptHeaderOnly, ListTable):
    """``list-table`` that keeps a table of header rows only."""

    def run(self) -> Sequence[nodes.table | nodes.system_message]:
        result = super().run()
        self.locate(result)
        return result


class HeaderOnlyCSVTable(_AcceptHeaderOnly, CSVTable):
    """``csv-table`` (Sphinx's variant) that keeps a table of header rows only."""

    # Sphinx's CSVTable already returns list[Node] against docutils' stub.
    def run(self) -> list[nodes.Node]:  # type: ignore[override]
        result = super().run()
        self.locate(result)
        return result


def _is_standard(name: str, standard: type[Table]) -> bool:
    # The registry Sphinx's own is_directive_registered() reads.  docutils loads
    # its directives lazily, so an absent name is the standard one.
    registered = getattr(directives, "_directives", {}).get(name, standard)
    return registered is standard


def setup_tables(app: Sphinx) -> None:
    app.add_transform(TablesWithoutBody)
    for name, standard, ours in (
        ("list-table", ListTable, HeaderOnlyListTable),
        ("csv-table", CSVTable, HeaderOnlyCSVTable),
    ):
        if _is_standard(name, standard):
            app.add_directive(name, ours, override=True)
