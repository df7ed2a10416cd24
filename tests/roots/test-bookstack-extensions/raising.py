"""A made-up extension whose html visitor raises outside HTML builders (the BookStack
builder keeps its text)."""

from docutils import nodes
from sphinx.util.docutils import SphinxDirective


class fragile_node(nodes.General, nodes.Element):
    pass


def visit_fragile(self, node):
    # Only Sphinx's HTML builders have a theme: AttributeError in the BookStack build.
    self.body.append(f'<div class="fragile {self.builder.theme.name}">')


def depart_fragile(self, node):
    self.body.append("</div>")


class Fragile(SphinxDirective):
    has_content = True

    def run(self):
        node = fragile_node()
        node += nodes.paragraph(text=" ".join(self.content))
        self.set_source_info(node)
        return [node]


def setup(app):
    app.add_node(fragile_node, html=(visit_fragile, depart_fragile))
    app.add_directive("fragile", Fragile)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
