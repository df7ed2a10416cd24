"""One measured Sphinx build, run in a fresh process: ``python -m benchmarks.build SPEC``.

SPEC is a JSON file with the build's arguments; the result is written as JSON
to ``SPEC``'s ``result`` path.  A fresh process per build makes the peak
memory (``ru_maxrss``) that build's own, and keeps imports and caches of one
build from helping the next.

Phases come from Sphinx's own events, so they need no change to any builder:

* ``init``: creating the application (extensions, config, loading a pickled
  environment);
* ``read``: ``env-before-read-docs`` to ``env-updated`` (reading and parsing
  the outdated documents);
* ``write``: ``env-updated`` to the return of ``app.build()`` (consistency
  checks, resolving and writing every outdated document, the builder's
  ``finish``: static files, search index, ZIPs, and every ``build-finished``
  handler, where alongside mode writes its BookStack output);
* ``total``: the start of the process's work (importing Sphinx) to the return
  of ``app.build()``;
* ``cpu``: CPU seconds (user + system) of the process and its ``-j`` workers
  over the same span: less disturbed than wall time when other work shares
  the machine, so the report shows its ratio beside the wall-time ratio.
"""

from __future__ import annotations

import io
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def run(spec: dict[str, Any]) -> dict[str, Any]:
    marks: dict[str, float] = {}
    read_counts: list[int] = []

    def count_read(app: Any, env: Any, docnames: list[str]) -> None:
        read_counts.append(len(docnames))

    def mark(name: str) -> Any:
        def handler(*args: Any) -> None:
            marks.setdefault(name, time.perf_counter())

        return handler

    profiler = None
    if spec.get("profile"):
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.002)
        profiler.start()
    start, cpu_start = time.perf_counter(), _cpu_seconds()
    from sphinx.application import Sphinx
    from sphinx.util.console import nocolor

    nocolor()
    warnings = io.StringIO()
    app = Sphinx(
        srcdir=spec["srcdir"],
        confdir=spec["confdir"],
        outdir=spec["outdir"],
        doctreedir=spec["doctreedir"],
        buildername=spec["builder"],
        confoverrides=spec.get("confoverrides") or {},
        status=None,
        warning=warnings,
        freshenv=bool(spec.get("freshenv")),
        parallel=int(spec.get("parallel", 0)),
        keep_going=True,
    )
    created = time.perf_counter()
    # Priority 900: after the extensions' own handlers of the same event.
    app.connect("env-before-read-docs", mark("read_start"), priority=100)
    app.connect("env-before-read-docs", count_read, priority=900)
    app.connect("env-updated", mark("read_end"), priority=900)
    app.build()
    end, cpu_end = time.perf_counter(), _cpu_seconds()
    if profiler is not None:
        profiler.stop()
        Path(spec["profile"]).write_text(profiler.output_text(unicode=True, show_all=False))
        Path(spec["profile"]).with_suffix(".html").write_text(profiler.output_html())
        if profiler.last_session is not None:
            profiler.last_session.save(str(Path(spec["profile"]).with_suffix(".pyisession")))
    read_start = marks.get("read_start", created)
    read_end = marks.get("read_end", read_start)
    write_end = end
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    text = warnings.getvalue()
    lines = [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line]
    return {
        "init": created - start,
        "read": read_end - read_start,
        "write": write_end - read_end,
        "total": write_end - start,
        "cpu": cpu_end - cpu_start,
        # Linux reports kibibytes.  Workers of a -j build are children.
        "maxrss_mib": max(own, workers) / 1024,
        "docs_read": sum(read_counts),
        "status": app.statuscode,
        "warnings": len(lines),
        "warning_sample": lines[:5],
    }


def main(argv: list[str]) -> int:
    spec_path = Path(argv[0])
    spec = json.loads(spec_path.read_text())
    result = run(spec)
    Path(spec["result"]).write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
