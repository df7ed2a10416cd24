"""A stand-in for a third-party extension with its own nodes."""

from docutils import nodes
from sphinx.util.docutils import SphinxDirective


class mystery_node(nodes.General, nodes.Element):
    """No visitor for any format at all (its text must survive)."""


class marked_node(nodes.General, nodes.Element):
    """Only an html visitor (the BookStack output falls back to it)."""


def visit_marked(self, node):
    self.body.append("<mark>")


def depart_marked(self, node):
    self.body.append("</mark>")


class Mystery(SphinxDirective):
    has_content = True

    def run(self):
        node = mystery_node()
        node += nodes.paragraph(text=" ".join(self.content))
        self.set_source_info(node)
        return [node]


class Marked(SphinxDirective):
    has_content = True

    def run(self):
        node = marked_node()
        node += nodes.Text(" ".join(self.content))
        return [nodes.paragraph("", "", node)]


def setup(app):
    app.add_node(marked_node, html=(visit_marked, depart_marked))
    app.add_directive("mystery", Mystery)
    app.add_directive("marked", Marked)
    return {"parallel_read_safe": True}
