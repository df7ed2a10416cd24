# A small flat project, shaped like sphinx-copybutton's docs: one index.md whose toctree
# lists a few pages, none of them with a toctree of its own.
extensions = ["myst_parser", "sphinx_mosaic"]
project = "Copy Button"
