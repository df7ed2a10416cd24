"""The write phase of ``-b bookstack`` against ``-b html`` over the same environment.

    python -m benchmarks.bookstack_write [--subject docs|corpus|real|all|NAME] [--repeats 3]
                                         [--fresh]

Run from the repository root.  For each subject (our docs, the mosaic-sdk
corpus with its unnumbered folders as books, and with ``real`` or a project's
name the docs real projects ship in their sdists: click, flask, jinja2,
pytest, sphinx-inline-tabs, see ``tests/helpers/real_projects.py``) the environment is built once
with the ``dummy`` builder; every measured run then copies those doctrees,
builds with ``html`` or ``bookstack`` without reading anything, and times
from Sphinx's ``write-started`` event to ``build-finished`` (so the time
includes ``finish()``: ZIPs, manifest and browsable copy, or HTML's static
files and search index).  Diagrams and formulas are drawn once, by an untimed
bookstack build, whose drawing cache the measured runs share.  Runs alternate
between the two builders; the report gives medians and the ratio bookstack /
html (target: at most 0.5).  Each run also times Sphinx's own resolution of the
doctrees it writes (``get_and_resolve_doctree``: unpickling, post-transforms,
cross-references, toctrees), which both builders do alike; *resolving* is the
html runs' median of it and *floor* that over html's write phase: the ratio
bookstack would have if it wrote nothing itself.  Measured builds run in the benchmark's process,
one after the other, unless ``--fresh`` runs each in a new process, as
``sphinx-build`` does (in one process, later builds find caches warm).  The BookStack
output of the last run is also checked with ``tests/helpers/zip_checker.py``.

This is a benchmark, not a test: numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from benchmarks.checks import check_package
from benchmarks.subjects import (
    Subject,
    corpus_subject,
    docs_subject,
    real_project_names,
    real_project_subject,
)

BUILDERS = ("html", "bookstack")
#: Seconds spent in ``BuildEnvironment.get_and_resolve_doctree`` since the process started.
_resolving = [0.0]
#: Whether the wrapper that counts it is installed in this process.
_resolving_timed: list[bool] = []


def _timed_resolution() -> None:
    """Count the time of Sphinx's resolution of each doctree written, in :data:`_resolving`.

    A wrapper on the class, installed once per process: both builders call the
    environment's method for every document they write (Sphinx 8 and 9).
    """
    if _resolving_timed:
        return
    _resolving_timed.append(True)
    original = BuildEnvironment.get_and_resolve_doctree

    def timed(self: BuildEnvironment, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            _resolving[0] += time.perf_counter() - start

    BuildEnvironment.get_and_resolve_doctree = timed  # type: ignore[method-assign]


#: The diagrams component's cache of drawn PNGs, in the doctree folder.
DRAWINGS = "mosaic-drawings"


def _app(subject: Subject, builder: str, outdir: Path, doctreedir: Path) -> Sphinx:
    return Sphinx(
        str(subject.srcdir),
        str(subject.confdir),
        str(outdir),
        str(doctreedir),
        builder,
        confoverrides=dict(subject.overrides),
        status=StringIO(),
        warning=StringIO(),
        freshenv=False,
    )


def write_seconds(
    subject: Subject, builder: str, shared: Path, work: Path, fresh: bool = False
) -> tuple[float, float]:
    """One run: copy the shared doctrees, build, return the write phase in seconds and the
    part of it Sphinx spent resolving doctrees.

    *fresh*: build in a new Python process, as each ``sphinx-build`` run is.  In one
    process, later builds find module-level caches warm (imports, compiled templates,
    Pygments' lexers) that no ``sphinx-build`` run has.
    """
    if fresh:
        job = {
            "name": subject.name,
            "srcdir": str(subject.srcdir),
            "confdir": str(subject.confdir),
            "overrides": subject.overrides,
            "builder": builder,
            "shared": str(shared),
            "work": str(work),
        }
        command = [sys.executable, "-m", "benchmarks.bookstack_write", "--one", json.dumps(job)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            raise SystemExit(f"{builder} build of {subject.name} failed: {done.stderr[-2000:]}")
        seconds, resolving = done.stdout.strip().splitlines()[-1].split()
        return float(seconds), float(resolving)
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(shared, work / "doctrees")
    _timed_resolution()
    app = _app(subject, builder, work / builder, work / "doctrees")
    marks: dict[str, float] = {}

    def started(*args: Any) -> None:
        marks.setdefault("start", time.perf_counter())
        marks.setdefault("resolving", _resolving[0])

    app.connect("write-started", started)
    app.connect("build-finished", lambda *args: marks.setdefault("end", time.perf_counter()))
    app.build()
    if app.statuscode:
        raise SystemExit(f"{builder} build of {subject.name} failed")
    return marks["end"] - marks["start"], _resolving[0] - marks["resolving"]


def _one(job: dict[str, Any]) -> None:
    """``--one``: time one build for a *fresh* run and print its seconds and resolution."""
    subject = Subject(
        job["name"], Path(job["srcdir"]), Path(job["confdir"]), 0, [], overrides=job["overrides"]
    )
    seconds, resolving = write_seconds(
        subject, job["builder"], Path(job["shared"]), Path(job["work"])
    )
    print(seconds, resolving)


def measure(subject: Subject, repeats: int, root: Path, fresh: bool = False) -> dict[str, Any]:
    shared = root / "shared"
    app = _app(subject, "dummy", root / "dummy", shared)
    app.build()
    # One untimed bookstack build draws the diagrams and formulas; its drawing cache (and
    # nothing else of it: not its translations) is shared with the measured runs, as on
    # any rebuild after the first.
    write_seconds(subject, "bookstack", shared, root / "warm")
    drawings = root / "warm" / "doctrees" / DRAWINGS
    if drawings.is_dir():
        shutil.copytree(drawings, shared / DRAWINGS)
    times: dict[str, list[float]] = {builder: [] for builder in BUILDERS}
    resolving: dict[str, list[float]] = {builder: [] for builder in BUILDERS}
    for repeat in range(repeats):
        order = BUILDERS if repeat % 2 == 0 else tuple(reversed(BUILDERS))
        for builder in order:
            seconds, resolved = write_seconds(subject, builder, shared, root / "run", fresh=fresh)
            times[builder].append(seconds)
            resolving[builder].append(resolved)
    books = sorted((root / "run" / "bookstack" / "books").glob("*.zip"))
    problems = {path.name: check_package(path) for path in books}
    medians = {builder: statistics.median(values) for builder, values in times.items()}
    resolution = {builder: statistics.median(values) for builder, values in resolving.items()}
    return {
        "subject": subject.name,
        "pages": subject.pages,
        "times": times,
        "medians": medians,
        "ratio": medians["bookstack"] / medians["html"],
        "resolving": resolution,
        # html's: the same work, and in html's runs fewer of the collector's full passes over
        # the pages written before fall into it (they run at allocation peaks, which in the
        # bookstack runs are mostly the unpickling).
        "floor": resolution["html"] / medians["html"],
        "books": len(books),
        "invalid": {name: found for name, found in problems.items() if found},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    real = real_project_names()
    choices = ("docs", "corpus", "real", "all", *real)
    parser.add_argument("--subject", choices=choices, default="all")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="each measured build in a new Python process, as sphinx-build runs it",
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        _one(json.loads(args.one))
        return 0
    failed = False
    with tempfile.TemporaryDirectory(prefix="bookstack-write-") as tmp:
        work = Path(tmp)
        makers: dict[str, Callable[[Path], Subject | None]] = {
            "docs": docs_subject,
            "corpus": corpus_subject,
        }
        for project in real:
            makers[project] = lambda path, project=project: real_project_subject(project, path)
        groups = {"all": ["docs", "corpus"], "real": real}
        names = groups.get(args.subject, [args.subject])
        print(
            f"{'subject':<18} {'pages':>5} {'html s':>8} {'bookstack s':>12} {'ratio':>6} "
            f"{'resolving s':>12} {'floor':>6}  books"
        )
        for name in names:
            subject = makers[name](work / "subjects")
            if subject is None:
                print(f"{name:<18} not available on this machine")
                continue
            result = measure(subject, args.repeats, work / name, fresh=args.fresh)
            medians = result["medians"]
            print(
                f"{name:<18} {result['pages']:>5} {medians['html']:>8.2f} "
                f"{medians['bookstack']:>12.2f} {result['ratio']:>6.2f} "
                f"{result['resolving']['html']:>12.2f} {result['floor']:>6.2f}  "
                f"{result['books']} ZIPs, {len(result['invalid'])} invalid"
            )
            if result["invalid"]:
                failed = True
                for zip_name, found in result["invalid"].items():
                    print(f"  {zip_name}: {found[:5]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
