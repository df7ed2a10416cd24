extensions = ["myst_parser", "sphinx_mosaic"]
project = "Status"
copyright = "2026, sphinx-mosaic tests"
version = release = "2.3"
# Test sources are copied out of the repository: dates come from front matter.
mosaic_last_updated_sources = ["front-matter"]
mosaic_status_vocabulary = {
    "in-review": {
        "label": "In review",
        "colour": "purple",
        "emoji": "🟣",
        "weight": 0.8,
        "shape": "cross",
    },
}
