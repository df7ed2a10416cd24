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


class brittle_node(nodes.General, nodes.Element):
    """Its visit works everywhere; its departure needs an HTML builder's theme."""


def visit_brittle(self, node):
    self.body.append("<blockquote>")


def depart_brittle(self, node):
    self.body.append(f"</blockquote><!-- {self.builder.theme.name} -->")


class Fragile(SphinxDirective):
    has_content = True

    def run(self):
        node = (brittle_node if self.name == "brittle" else fragile_node)()
        node += nodes.paragraph(text=" ".join(self.content))
        self.set_source_info(node)
        return [node]


def setup(app):
    app.add_node(fragile_node, html=(visit_fragile, depart_fragile))
    app.add_node(brittle_node, html=(visit_brittle, depart_brittle))
    app.add_directive("fragile", Fragile)
    app.add_directive("brittle", Fragile)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
