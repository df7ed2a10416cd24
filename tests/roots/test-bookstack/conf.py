extensions = ["myst_parser", "sphinx_mosaic", "sphinx.ext.todo"]
project = "BookStack test"
copyright = "2026, sphinx-mosaic tests"
version = release = "1.0"
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath", "tasklist", "fieldlist"]
myst_heading_anchors = 3
todo_include_todos = True
# The deep folder is on purpose: it tests BookStack's flattening rule.
suppress_warnings = ["mosaic.too-deep"]
# Fixed dates: snapshots must not change with the calendar.
mosaic_page_footer = False
mosaic_last_updated_sources = []
# Maths stays LaTeX source here (the translator's own rendering, snapshotted); drawing it
# as images is tested on the root test-diagrams.
mosaic_diagrams = False
