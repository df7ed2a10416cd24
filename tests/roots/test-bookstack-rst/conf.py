# A plain reStructuredText project as `sphinx-quickstart` makes it: no highlight_language,
# glob images (``pic.*``) beside their files.
extensions = ["sphinx_mosaic"]
project = "Plain"
