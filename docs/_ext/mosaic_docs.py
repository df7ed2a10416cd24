"""Directives for our own docs: reference tables generated from the package's registries.

``{mosaic-options}`` renders every ``mosaic_*`` option from
:mod:`sphinx_mosaic.config`; ``{mosaic-warnings}`` renders the warning
catalogue from :mod:`sphinx_mosaic.warnings`.  Documenting from the same
declaration keeps the reference honest.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from sphinx_mosaic.config import all_options
from sphinx_mosaic.warnings import MosaicWarning


def _table(headers: list[str], rows: list[list[nodes.Node]], widths: list[int]) -> nodes.table:
    table = nodes.table(classes=["mosaic-reference"])
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head_row = nodes.row()
    head += head_row
    for header in headers:
        head_row += nodes.entry("", nodes.paragraph(text=header))
    body = nodes.tbody()
    group += body
    for cells in rows:
        row = nodes.row()
        body += row
        for cell in cells:
            row += nodes.entry("", cell)
    return table


class OptionsDirective(SphinxDirective):
    """List every configuration option: name, default, rebuild, description."""

    def run(self) -> list[nodes.Node]:
        rows: list[list[nodes.Node]] = []
        for option in all_options():
            name = nodes.paragraph("", "", nodes.literal(text=option.key))
            target = nodes.target("", "", ids=[f"confval-{option.key.replace('_', '-')}"])
            name.insert(0, target)
            default = nodes.paragraph("", "", nodes.literal(text=repr(option.default)))
            if option.choices:
                default += nodes.Text(" (one of ")
                for index, choice in enumerate(option.choices):
                    if index:
                        default += nodes.Text(", ")
                    default += nodes.literal(text=repr(choice))
                default += nodes.Text(")")
            description = nodes.paragraph()
            text, _messages = self.parse_inline(option.doc, lineno=self.lineno)
            description.extend(text)
            rows.append([name, default, description])
        return [_table(["Option", "Default", "Description"], rows, [25, 20, 55])]


class WarningsDirective(SphinxDirective):
    """List every warning subtype with what it means."""

    def run(self) -> list[nodes.Node]:
        rows: list[list[nodes.Node]] = []
        for kind in MosaicWarning:
            name = nodes.paragraph("", "", nodes.literal(text=f"mosaic.{kind.subtype}"))
            description = nodes.paragraph()
            text, _messages = self.parse_inline(kind.description, lineno=self.lineno)
            description.extend(text)
            rows.append([name, description])
        return [_table(["Subtype", "Meaning"], rows, [30, 70])]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("mosaic-options", OptionsDirective)
    app.add_directive("mosaic-warnings", WarningsDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
