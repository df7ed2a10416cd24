import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

extensions = ["myst_parser", "sphinx_mosaic", "hostile_extension"]
project = 'Safety "test" & <script>alert(1)</script>'
copyright = "2026, sphinx-mosaic tests"
version = release = "1.0"
myst_enable_extensions = ["colon_fence", "tasklist"]
# Fixed output: no dates or git history in the pages.
mosaic_page_footer = False
mosaic_last_updated_sources = []
