# Content extensions make at read time for the builder that reads it: `only`
# directives, sphinx.ext.ifconfig, sphinx.ext.linkcode, sphinx.ext.viewcode (autodoc of
# dependent.py), sphinx-tabs, and post-transforms (warner.py) that warn for one builder
# format. Alongside mode (read by the html builder) must write the bytes of
# -b bookstack (read by the bookstack builder) and give each warning once.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

extensions = [
    "sphinx_mosaic",
    "sphinx.ext.autodoc",
    "sphinx.ext.ifconfig",
    "sphinx.ext.linkcode",
    "sphinx.ext.viewcode",
    "sphinx_tabs.tabs",
    "warner",
]
project = "Builder-dependent"
copyright = "2026, sphinx-mosaic tests"
mosaic_page_footer = False
mosaic_last_updated_sources = []
show_warning_types = True


def linkcode_resolve(domain, info):
    if domain != "py" or not info["module"]:
        return None
    return f"https://example.org/src/{info['module']}.py#{info['fullname']}"
