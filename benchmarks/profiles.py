"""Where a profiled build spends its time inside sphinx-mosaic.

``python -m benchmarks profile`` saves a pyinstrument session per build; this
module sums, for each function of ``sphinx_mosaic``, the time spent in it and
in what it calls, so a profile of a 1,000-page build reads as a short list of
our functions and their cost.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

OUR_PACKAGE = "sphinx_mosaic"


def our_functions(session_path: Path, top: int = 15) -> list[tuple[str, float]]:
    """(function at file:line, inclusive seconds) of our functions, costliest first.

    Inclusive: a function's time includes what it calls (Sphinx's code too, for
    a builder method that calls up).  A recursive function is counted once.
    """
    from pyinstrument.session import Session

    root = Session.load(str(session_path)).root_frame()
    totals: Counter[str] = Counter()

    def walk(frame: Any, active: frozenset[str]) -> None:
        path = frame.file_path or ""
        if OUR_PACKAGE in path and "/benchmarks/" not in path:
            where = path.split(OUR_PACKAGE + "/", 1)[-1]
            name = f"{frame.class_name + '.' if frame.class_name else ''}{frame.function}"
            key = f"{name} ({where}:{frame.line_no})"
            if key not in active:
                totals[key] += frame.time
                active = active | {key}
        for child in frame.children:
            walk(child, active)

    if root is not None:
        walk(root, frozenset())
    return totals.most_common(top)


def total_time(session_path: Path) -> float:
    from pyinstrument.session import Session

    return float(Session.load(str(session_path)).duration)
