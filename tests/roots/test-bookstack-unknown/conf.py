import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

extensions = ["myst_parser", "sphinx_mosaic", "third_party"]
project = "Unknown nodes"
copyright = "2026, sphinx-mosaic tests"
version = release = "1.0"
