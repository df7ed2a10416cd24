import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

extensions = [
    "myst_parser",
    "sphinx_mosaic",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx_design",
    # sphinx-tabs before sphinx-inline-tabs: both define "tab", the earlier one keeps it.
    "sphinx_tabs.tabs",
    "sphinx_inline_tabs",
]
project = "Fidelity"
copyright = "2026, sphinx-mosaic tests"
version = release = "1.0"
myst_enable_extensions = ["colon_fence"]
suppress_warnings = ["app.add_directive"]
mosaic_page_footer = False
mosaic_last_updated_sources = []
