# Ids that Sphinx moves onto object descriptions and descriptions: a label before a
# py:function, a crossref type (app.add_crossref_type) before an autofunction, a label
# before a topic, and labels before the first paragraph of a book's and a chapter's index
# page (the paragraph becomes the description); labels on sphinx-design tabs and cards,
# whose labels and titles are written by rules of their own.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

extensions = ["sphinx.ext.autodoc", "sphinx_design", "sphinx_mosaic"]
project = "Anchors"
exclude_patterns = ["_build"]


def setup(app):
    app.add_crossref_type("setting", "setting")
