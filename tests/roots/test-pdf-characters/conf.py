extensions = ["myst_parser", "sphinx_mosaic"]
project = "Characters"
copyright = "2026, sphinx-mosaic tests"
latex_documents = [("README", "characters.tex", "Characters", "Tests", "manual")]
