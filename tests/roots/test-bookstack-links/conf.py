extensions = ["myst_parser", "sphinx_mosaic"]
project = "Links test"
copyright = "2026, sphinx-mosaic tests"
version = release = "1.0"
myst_heading_anchors = 3
mosaic_page_footer = False
mosaic_last_updated_sources = []
