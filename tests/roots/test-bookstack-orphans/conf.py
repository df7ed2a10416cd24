# A landing page with a small toctree, and :orphan: tables of contents beside it holding
# most of the tree (the shape of many big projects' docs); leaf orphans named with
# version numbers, which sort naturally (2.2 before 2.10); a one-level orphan tree that a
# page links to is a chapter of that page's book (history by :ref:, z-more by a Markdown
# link), one no page links to (w-lone) or deeper (b) a book.
extensions = ["myst_parser", "sphinx_mosaic"]
project = "Orphans"
exclude_patterns = ["_build"]
