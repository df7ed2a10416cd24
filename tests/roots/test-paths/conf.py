extensions = ["myst_parser", "sphinx_mosaic"]
project = "Paths"
copyright = "2026, sphinx-mosaic tests"
version = release = "1.0"
latex_documents = [("README", "paths.tex", "Paths", "Tests", "manual")]
