"""7. Publish request counts against the fake BookStack server of the test suite.

A fresh ``bookstack`` build of the subject, then three publishes to one fake
server (``tests/helpers/fake_bookstack/server.py``, on 127.0.0.1): the first (everything is
new), one with no change, and one after a page was edited and the output
rebuilt incrementally.  The server counts every request it receives; writes
are all requests but GET.  The client's own pacing is lifted (the fake server
does not throttle), so the publish times are the publisher's and the server's
work, not a rate limit.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from benchmarks.subjects import Features, Subject, import_test_helpers
from benchmarks.suite import BuildFailed, Runner

#: No-change publish of a 1,000-page tree: zero writes, at most this many requests.
NO_CHANGE_REQUESTS = 20


def measure(runner: Runner, subject: Subject, features: Features) -> dict[str, Any]:
    entry: dict[str, Any] = {"subject": subject.name, "pages": subject.pages, "runs": {}}
    if not features.publisher or not features.bookstack:
        missing = "publisher" if not features.publisher else "bookstack builder"
        return {**entry, "summary": "-", "verdict": f"not available yet (no {missing})"}
    if subject.edit_page is None:
        return {**entry, "summary": "-", "verdict": "not measured: no page to edit"}
    import_test_helpers()
    server_module = importlib.import_module("helpers.fake_bookstack.server")
    from sphinx_mosaic.publish.publisher import PublishOptions, publish, settings_from

    spec = runner.fresh(subject, "bookstack", "publish")
    page = Path(subject.edit_page)
    original = page.read_text(encoding="utf-8")
    try:
        runner.log(f"  publish      {subject.name:<16} bookstack build")
        runner.build({**spec, "profile": None})
        output = Path(spec["outdir"])
        with server_module.FakeBookStack() as server:
            settings = settings_from(
                server.url,
                server.token_id,
                {"BOOKSTACK_TOKEN_SECRET": server.token_secret},
                requests_per_minute=1_000_000,
            )
            for label in ("first", "no change", "one page changed"):
                if label == "one page changed":
                    page.write_text(original + "\n\nOne changed paragraph.\n", encoding="utf-8")
                    runner.build({**spec, "freshenv": False, "profile": None})
                server.reset_counts()
                lines: list[str] = []
                report = publish(output, settings, PublishOptions(), out=lines.append)
                counts = dict(server.counts)
                entry["runs"][label] = {
                    "requests": sum(counts.values()),
                    "writes": server.writes,
                    "by_method": counts,
                    "seconds": round(report.seconds, 2),
                    "errors": len(report.result.errors),
                    "summary": lines[-1] if lines else "",
                }
                runner.log(f"  publish      {subject.name:<16} {label:<28} {lines[-1]}")
    except BuildFailed as exc:
        return {**entry, "summary": "-", "verdict": f"build failed: {exc}"[:300]}
    finally:
        page.write_text(original, encoding="utf-8")
    quiet = entry["runs"]["no change"]
    entry["summary"] = f"{quiet['writes']} writes, {quiet['requests']} requests"
    entry["target"] = f"0 writes, <= {NO_CHANGE_REQUESTS} requests"
    met = quiet["writes"] == 0 and quiet["requests"] <= NO_CHANGE_REQUESTS
    entry["verdict"] = "met" if met else "missed"
    return entry
