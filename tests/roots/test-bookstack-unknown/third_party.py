"""A stand-in for a third-party extension with its own nodes."""

from docutils import nodes
from sphinx.util.docutils import SphinxDirective


class mystery_node(nodes.General, nodes.Element):
    """No visitor for any format at all (its text must survive)."""


class marked_node(nodes.General, nodes.Element):
    """Only an html visitor (the BookStack output falls back to it)."""


class framed_node(nodes.General, nodes.Element):
    """A visitor registered for the bookstack format (``app.add_node(bookstack=...)``)."""


class framed_child(framed_node):
    """No visitor of its own: rendered by its base class's (registered) visitor."""


class boxed_node(nodes.General, nodes.Element):
    """Its bookstack visitor writes its children's text itself (and skips them)."""


class hidden_node(nodes.General, nodes.Inline, nodes.Element):
    """No visitor at all, but only ever inside a boxed node: never met by the translator."""


def visit_boxed(self, node):
    self.body.append(f"<p>{node.astext()}</p>")
    raise nodes.SkipNode


def visit_framed(self, node):
    self.body.append("<strong>")


def depart_framed(self, node):
    self.body.append("</strong>")


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


class Framed(SphinxDirective):
    has_content = True

    def run(self):
        node = framed_child()
        node += nodes.Text(" ".join(self.content))
        return [nodes.paragraph("", "", node)]


class Boxed(SphinxDirective):
    has_content = True

    def run(self):
        node = boxed_node()
        node += hidden_node("", nodes.Text(" ".join(self.content)))
        return [node]


def setup(app):
    app.add_node(marked_node, html=(visit_marked, depart_marked))
    app.add_node(framed_node, bookstack=(visit_framed, depart_framed))
    app.add_directive("framed", Framed)
    app.add_node(boxed_node, bookstack=(visit_boxed, None), html=(visit_boxed, None))
    app.add_directive("boxed", Boxed)
    app.add_directive("mystery", Mystery)
    app.add_directive("marked", Marked)
    return {"parallel_read_safe": True}
