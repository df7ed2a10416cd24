"""The numbered shelf / book / chapter / page layout."""

from sphinx_mosaic.layout.model import Folder, Layout, LayoutIssue, Page, build_layout, discover

__all__ = ["Folder", "Layout", "LayoutIssue", "Page", "build_layout", "discover"]
