import sys
from pathlib import Path

# shapes.py, the tiny module of the inheritance diagram.
sys.path.insert(0, str(Path(__file__).parent))

extensions = [
    "myst_parser",
    "sphinx_mosaic",
    "sphinx.ext.graphviz",
    "sphinx.ext.inheritance_diagram",
]
myst_enable_extensions = ["dollarmath"]
project = "Diagrams test"
copyright = "2026, sphinx-mosaic tests"
version = release = "1.0"
mosaic_page_footer = False
mosaic_last_updated_sources = []
