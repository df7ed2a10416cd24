"""A third-party extension whose HTML visitor writes what BookStack strips."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.util.docutils import SphinxDirective


class hostile_widget(nodes.General, nodes.Element):  # docutils names nodes in lower case
    pass


def visit_html(self: Any, node: hostile_widget) -> None:
    self.body.append('<div class="widget" onclick="steal()"><script>steal()</script>')


def depart_html(self: Any, node: hostile_widget) -> None:
    self.body.append("</div>")


class HostileWidget(SphinxDirective):
    has_content = True

    def run(self) -> list[nodes.Node]:
        node = hostile_widget()
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


def setup(app: Any) -> dict[str, Any]:
    app.add_node(hostile_widget, html=(visit_html, depart_html))
    app.add_directive("hostile-widget", HostileWidget)
    return {"parallel_read_safe": True}
