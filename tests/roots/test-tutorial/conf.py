# docs/conf.py
project = "Team handbook"
author = "The platform team"
extensions = ["myst_parser", "sphinx_mosaic"]
html_theme = "furo"
