import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

# Every extension Sphinx ships that a project can list, and the common third-party
# ones: the BookStack builder must run with all of them (issue #14).
extensions = [
    "myst_parser",
    "sphinx_mosaic",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.autosectionlabel",
    "sphinx.ext.coverage",
    "sphinx.ext.doctest",
    "sphinx.ext.duration",
    "sphinx.ext.extlinks",
    "sphinx.ext.githubpages",
    "sphinx.ext.graphviz",
    "sphinx.ext.ifconfig",
    "sphinx.ext.imgconverter",
    "sphinx.ext.inheritance_diagram",
    "sphinx.ext.intersphinx",
    "sphinx.ext.linkcode",
    "sphinx.ext.mathjax",
    "sphinx.ext.napoleon",
    "sphinx.ext.todo",
    "sphinx.ext.viewcode",
    "sphinx_design",
    "sphinx_copybutton",
    # sphinx-tabs before sphinx-inline-tabs: both define "tab", the later one wins.
    "sphinx_tabs.tabs",
    "sphinx_inline_tabs",
    "sphinxcontrib.mermaid",
    "raising",
]
project = "Every extension"
copyright = "2026, sphinx-mosaic tests"
version = release = "1.0"
myst_enable_extensions = ["colon_fence"]
todo_include_todos = True
autosectionlabel_prefix_document = True
extlinks = {"issue": ("https://example.org/issues/%s", "issue %s")}
# No mapping: intersphinx must not reach the network.
intersphinx_mapping: dict[str, tuple[str, None]] = {}
autosummary_generate = False
# sphinx-inline-tabs cannot register its "tab" over sphinx-tabs' one (said once at set-up).
suppress_warnings = ["app.add_directive"]
mosaic_page_footer = False
mosaic_last_updated_sources = []


def linkcode_resolve(domain, info):
    return None
