# An ordinary Sphinx project, shaped like the docs of MyST-Parser and sphinx-design:
# an index.md with captioned and plain toctrees, Markdown and reStructuredText, a glob,
# a section nested three levels deep, an orphan page and a page in no toctree.
extensions = ["myst_parser", "sphinx_mosaic"]
project = "Widget"
root_doc = "index"
exclude_patterns = ["_build"]
