"""7. Publish request counts against the fake BookStack server of the test suite.

Counts the requests (and the writes among them) of a first publish, a
publish with no change, and a publish after one page changed.
"""

from __future__ import annotations

from typing import Any

from benchmarks.subjects import Features, Subject
from benchmarks.suite import Runner


def measure(runner: Runner, subject: Subject, features: Features) -> dict[str, Any]:
    if not features.publisher:
        return {
            "subject": subject.name,
            "runs": {},
            "summary": "-",
            "verdict": "not available yet (no publisher)",
        }
    raise NotImplementedError("wired in when the publisher lands")
