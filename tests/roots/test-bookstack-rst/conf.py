# A plain project as `sphinx-quickstart` makes it: no highlight_language (so "default":
# Python where it lexes), glob images (``pic.*``) beside their files.
extensions = ["myst_parser", "sphinx_mosaic"]
project = "Plain"
