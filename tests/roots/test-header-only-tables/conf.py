extensions = ["myst_parser", "sphinx_mosaic"]
project = "Hardening tables"
copyright = "2026, sphinx-mosaic tests"
version = release = "1.0"
