"""Medians, ratios and targets of a suite run, as JSON and as a Markdown table."""

from __future__ import annotations

import json
import os
import platform
import statistics
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.suite import Measurement

PACKAGES = (
    "sphinx",
    "docutils",
    "myst-parser",
    "furo",
    "sphinx-mosaic",
    "sphinxcontrib-confluencebuilder",
)


def machine() -> dict[str, Any]:
    """What ran the suite: processor, cores, memory, versions and load."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        kib = int(meminfo.read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "system": platform.platform(terse=True),
        "versions": versions,
    }


def summarize(m: Measurement) -> dict[str, Any]:
    rows: dict[str, dict[str, Any]] = {}
    for label, runs in m.variants.items():
        if not runs:
            continue
        rows[label] = {
            "runs": len(runs),
            "metric": statistics.median(r[m.metric] for r in runs),
            "total": statistics.median(r["total"] for r in runs),
            "read": statistics.median(r["read"] for r in runs),
            "write": statistics.median(r["write"] for r in runs),
            "maxrss_mib": statistics.median(r["maxrss_mib"] for r in runs),
            # Older results have no CPU time.
            "cpu": statistics.median(r.get("cpu", 0.0) for r in runs),
            "docs_read": statistics.median(r["docs_read"] for r in runs),
            "warnings": max(r["warnings"] for r in runs),
        }
    base = rows.get(m.baseline)
    for row in rows.values():
        row["ratio"] = row["metric"] / base["metric"] if base and base["metric"] else None
        # CPU time spans the whole process: comparable only where the metric does too.
        comparable = m.metric == "total" and base and base["cpu"] and row["cpu"]
        row["cpu_ratio"] = row["cpu"] / base["cpu"] if comparable else None
    verdict, ratio, cpu_ratio = "no target", None, None
    if m.target is not None and m.target_variant is not None:
        if m.target_variant in m.unavailable:
            verdict = f"not available yet: {m.unavailable[m.target_variant]}"
        elif m.baseline in m.unavailable:
            verdict = f"not measured: {m.unavailable[m.baseline]}"
        elif m.target_variant in rows and base:
            ratio = rows[m.target_variant]["ratio"]
            cpu_ratio = rows[m.target_variant]["cpu_ratio"]
            verdict = "met" if ratio is not None and ratio <= m.target else "missed"
    return {"rows": rows, "verdict": verdict, "ratio": ratio, "cpu_ratio": cpu_ratio}


TARGET_TEXT = {
    "overhead": "html + sphinx_mosaic / plain html, total",
    "write-phase": "bookstack write / html write, same environment",
    "alongside": "html + alongside / html, total",
    "incremental": "bookstack / html, one-page rebuild",
    "growth": "larger / smaller tree, fresh html total",
    "publish": "no-change publish: writes = 0, requests <= 20",
}


def markdown(result: dict[str, Any]) -> str:
    info = result["machine"]
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    out = [
        f"Run {result['started']} to {result['finished']} (UTC), `{result['command']}`, "
        f"{result['repeats']} runs per variant, medians.",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']}; "
        f"load average {result['load_before']} before, {result['load_after']} after "
        f"(shared with other work); Python {info['python']}; {versions}.",
        "",
        "| measurement | tree | target | ratio | CPU ratio | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for entry in result["measurements"]:
        summary = entry["summary"]
        if entry["target"] is None:
            continue
        ratio = f"{summary['ratio']:.2f}" if summary["ratio"] is not None else "-"
        cpu = summary.get("cpu_ratio")
        cpu_text = f"{cpu:.2f}" if cpu is not None else "-"
        what = TARGET_TEXT.get(entry["name"], entry["name"])
        out.append(
            f"| {entry['name']} | {entry['subject']} | {what} <= {entry['target']} "
            f"| {ratio} | {cpu_text} | {summary['verdict']} |"
        )
    for entry in result.get("publish", []):
        out.append(
            f"| publish | {entry['subject']} | {TARGET_TEXT['publish']} | "
            f"{entry['summary']} | - | {entry['verdict']} |"
        )
    out += [
        "",
        "| measurement | tree (pages) | variant | median (s) | read (s) | write (s) "
        "| total (s) | ratio | CPU (s) | peak RSS (MiB) | docs read |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for entry in result["measurements"]:
        rows = entry["summary"]["rows"]
        for label, row in rows.items():
            ratio = f"{row['ratio']:.2f}" if row["ratio"] is not None else "-"
            out.append(
                f"| {entry['name']} ({entry['metric']}) | {entry['subject']} ({entry['pages']}) "
                f"| {label} | {row['metric']:.2f} | {row['read']:.2f} | {row['write']:.2f} "
                f"| {row['total']:.2f} | {ratio} | {row['cpu']:.2f} | {row['maxrss_mib']:.0f} "
                f"| {row['docs_read']:.0f} |"
            )
        for label, reason in entry["unavailable"].items():
            # A failure's text can hold a traceback ("<module>", "|"): keep it inert in
            # Markdown, or MyST reads it as raw HTML and the table falls apart.
            inert = "`" + str(reason).replace("`", "'").replace("|", "/") + "`"
            out.append(
                f"| {entry['name']} | {entry['subject']} ({entry['pages']}) | {label} "
                f"| {inert} | | | | | | | |"
            )
    if result.get("publish"):
        # Never a header without rows: Sphinx's LaTeX writer crashes on a table without
        # a body (StopIteration in depart_table), which would break our docs' PDF.
        out += [
            "",
            "| publish | tree (pages) | requests | writes | by method | seconds |",
            "|---|---|---|---|---|---|",
        ]
    for entry in result.get("publish", []):
        if not entry["runs"]:
            out.append(f"| - | {entry['subject']} ({entry['pages']}) | {entry['verdict']} | | | |")
        for label, run in entry["runs"].items():
            methods = ", ".join(f"{k} {v}" for k, v in sorted(run["by_method"].items()))
            out.append(
                f"| {label} | {entry['subject']} ({entry['pages']}) | {run['requests']} "
                f"| {run['writes']} | {methods} | {run['seconds']} |"
            )
    out += ["", "Notes:", ""]
    for entry in result["measurements"]:
        out.append(f"- {entry['name']}, {entry['subject']}: {entry['note']}")
    return "\n".join(out) + "\n"


def write(result: dict[str, Any], directory: Path, stem: str) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    for entry in result["measurements"]:
        entry.setdefault("summary", {})
    json_path = directory / f"{stem}.json"
    md_path = directory / f"{stem}.md"
    json_path.write_text(json.dumps(result, indent=1, default=str) + "\n")
    md_path.write_text(markdown(result))
    return json_path, md_path
