"""The reading paths' options, one module-level constant each, read with ``config.value``.

In a module of their own so that the directives and the resolver, which
``paths/__init__.py`` imports, can read them too.
"""

from __future__ import annotations

from typing import Literal

from sphinx_mosaic.config import Option

PATH_NAVIGATION: Option[Literal["top", "bottom", "both", "none"]] = Option(
    "path_navigation",
    "top",
    "Where the reading-path navigation box goes on each page that is a step of a path: "
    "``top`` (under the title), ``bottom``, ``both`` or ``none``.",
    choices=("top", "bottom", "both", "none"),
)

#: The paths' options: :func:`~sphinx_mosaic.paths.setup_paths` declares them.
OPTIONS = (PATH_NAVIGATION,)
