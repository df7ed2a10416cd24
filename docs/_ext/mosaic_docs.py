"""Directives for our own docs: reference tables generated from the package's registries.

``{mosaic-options}`` renders every ``mosaic_*`` option from
:mod:`sphinx_mosaic.config`; ``{mosaic-warnings}`` renders the warning
catalogue from :mod:`sphinx_mosaic.warnings`; ``{mosaic-modules}`` renders the
architecture table from the first paragraph of each module's docstring (read
with ``ast``, nothing imported).  Documenting from the same declaration keeps
the reference honest.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

import sphinx_mosaic
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


#: A cross-reference role in a docstring (``:mod:`x```, ``:func:`~a.b```): shown as code.
_ROLE = re.compile(r":[a-z]+(?::[a-z]+)?:`~?([^`]+)`")


def module_summaries(package: Path) -> list[tuple[str, str]]:
    """(path below the package, first paragraph of its docstring) of every module, in
    path order: packages (their ``__init__.py``) before their modules."""
    found = []
    for path in package.rglob("*.py"):
        relative = path.relative_to(package)
        name = relative.parent.as_posix() + "/" if path.name == "__init__.py" else ""
        name = name if name not in ("./", "") else relative.as_posix()
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        first = " ".join(docstring.strip().split("\n\n")[0].split())
        found.append((name, _ROLE.sub(r"``\1``", first)))
    return sorted(found, key=lambda item: [part for part in item[0].split("/") if part])


def _inline(text: str) -> nodes.paragraph:
    """*text* with its ``double-backquoted`` parts as code."""
    paragraph = nodes.paragraph()
    for index, part in enumerate(re.split(r"``(.+?)``", text)):
        if part:
            paragraph += nodes.literal(text=part) if index % 2 else nodes.Text(part)
    return paragraph


class ModulesDirective(SphinxDirective):
    """The architecture table: every module of the package with its docstring's summary."""

    def run(self) -> list[nodes.Node]:
        package = Path(sphinx_mosaic.__file__).parent
        rows: list[list[nodes.Node]] = [
            [nodes.paragraph("", "", nodes.literal(text=name)), _inline(summary)]
            for name, summary in module_summaries(package)
        ]
        for path in package.rglob("*.py"):
            self.env.note_dependency(str(path))
        return [_table(["module", "what lives there"], rows, [30, 70])]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("mosaic-modules", ModulesDirective)
    app.add_directive("mosaic-options", OptionsDirective)
    app.add_directive("mosaic-warnings", WarningsDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
