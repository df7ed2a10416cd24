"""Publish a bookstack build to the fake server in two-worker race mode and count the damage.

    PYTHONPATH=src:tests python tests/helpers/fake_bookstack/race.py [OUTDIR] [--version v24.10]
        [--drop-every N] [--concurrency N] [--runs 2]

Without OUTDIR it builds our own docs (``-b bookstack -c . docs``) into a temporary
directory first.  Each run prints the publisher's summary line, then the requests,
wall time and errors, and what the server holds: chapters and pages per key
(duplicates), entities saved but hidden, and keys the manifest has but the server
does not show.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from helpers.fake_bookstack.server import FakeBookStack
from sphinx_mosaic.publish.client import ClientSettings
from sphinx_mosaic.publish.publisher import PublishOptions, publish

ROOT = Path(__file__).resolve().parents[3]


def build_docs(outdir: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "bookstack", "-c", ".", "docs", str(outdir)],
        cwd=ROOT,
        check=True,
    )
    return outdir


def manifest_keys(outdir: Path) -> dict[str, set[str]]:
    manifest = json.loads((outdir / "manifest.json").read_text())
    keys: dict[str, set[str]] = {"books": set(), "chapters": set(), "pages": set()}
    for book in manifest["books"]:
        keys["books"].add(book["key"])
        for item in book["contents"]:
            if item["type"] == "chapter":
                keys["chapters"].add(item["key"])
                keys["pages"] |= {page["key"] for page in item["pages"]}
            else:
                keys["pages"].add(item["key"])
    return keys


def damage(server: FakeBookStack, project: str, wanted: dict[str, set[str]]) -> dict[str, Any]:
    """Duplicates, hidden entities and missing keys, as the server's database holds them."""
    result: dict[str, Any] = {}
    for table, keys in wanted.items():
        owned = server.tagged(table, "mosaic-project", project)
        per_key = collections.Counter(
            next(t["value"] for t in e["tags"] if t["name"] == "mosaic-key") for e in owned
        )
        visible = {
            next(t["value"] for t in e["tags"] if t["name"] == "mosaic-key")
            for e in owned
            if (table, e["id"]) not in server.hidden
        }
        result[table] = {
            "held": sum(per_key.values()),
            "duplicates": sum(n - 1 for n in per_key.values()),
            "missing": len(keys - visible),
            "extra": len(set(per_key) - keys),
        }
    result["hidden"] = len(server.hidden)
    result["races"] = dict(server.races)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", nargs="?", type=Path)
    parser.add_argument("--version", default="v24.10", help="the fake server's version")
    parser.add_argument("--drop-every", type=int, default=None)
    parser.add_argument("--concurrency", type=int, default=None)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        outdir = args.outdir or build_docs(Path(tmp) / "bookstack")
        project = json.loads((outdir / "manifest.json").read_text())["project"]
        wanted = manifest_keys(outdir)
        limits: dict[str, Any] = {"requests_per_minute": 100_000}
        if args.concurrency is not None:
            limits["concurrency"] = args.concurrency
        server = FakeBookStack(
            version=args.version, workers=2, race=True, drop_every=args.drop_every
        )
        with server:
            settings = ClientSettings(server.url, server.token_id, server.token_secret, **limits)
            for run in range(1, args.runs + 1):
                server.reset_counts()
                lines: list[str] = []
                started = time.monotonic()
                report = publish(outdir, settings, PublishOptions(), out=lines.append)
                seconds = time.monotonic() - started
                print(f"run {run}: {lines[-1]}")
                for line in lines:
                    if line.startswith("error:"):
                        print(f"  {line[:160]}")
                print(
                    f"run {run}: {len(server.log)} requests ({server.writes} writes), "
                    f"{seconds:.2f} s, {len(report.result.errors)} errors, "
                    f"{json.dumps(damage(server, project, wanted))}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
