"""Post-transforms that warn for one builder format: a warning the BookStack resolve
gives, and the html one does not, comes once in alongside mode too."""

from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)


class BookStackOnly(SphinxPostTransform):
    default_priority = 900
    formats = ("bookstack",)

    def run(self, **kwargs):
        if self.env.docname.endswith("only"):
            logger.warning("seen by a BookStack post-transform", location=self.env.docname)


class HtmlOnly(BookStackOnly):
    formats = ("html",)

    def run(self, **kwargs):
        if self.env.docname.endswith("only"):
            logger.warning("seen by an html post-transform", location=self.env.docname)


def setup(app):
    app.add_post_transform(BookStackOnly)
    app.add_post_transform(HtmlOnly)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
