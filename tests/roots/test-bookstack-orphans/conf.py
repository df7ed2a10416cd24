# A landing page with a small toctree, and :orphan: tables of contents beside it holding
# most of the tree (the shape of many big projects' docs); leaf orphans named with
# version numbers, which sort naturally (2.2 before 2.10).
extensions = ["sphinx_mosaic"]
project = "Orphans"
exclude_patterns = ["_build"]
