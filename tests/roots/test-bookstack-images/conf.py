extensions = ["myst_parser", "sphinx_mosaic"]
project = "BookStack images test"
copyright = "2026, sphinx-mosaic tests"
version = release = "1.0"
mosaic_page_footer = False
mosaic_last_updated_sources = []
