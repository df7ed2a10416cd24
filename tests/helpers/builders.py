"""Every builder sphinx-mosaic promises to support (PRODUCT.md), for tests that loop over them."""

from __future__ import annotations

ALL_BUILDERS = [
    "html",
    "dirhtml",
    "singlehtml",
    "epub",
    "latex",
    "text",
    "man",
    "texinfo",
    "gettext",
    "bookstack",
]
