extensions = ["myst_parser", "sphinx_mosaic"]
project = "Status bad"
copyright = "2026, sphinx-mosaic tests"
version = release = "1.0"
mosaic_last_updated_sources = ["front-matter"]
