"""``python -m benchmarks run --size small|medium|full`` and ``python -m benchmarks generate``.

Run from the repository root.  Results go to ``benchmarks/results/<size>.json``
and ``.md``; the working trees and build outputs to ``benchmarks/_work/``
(ignored by Git).
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import suite
from benchmarks.generator import FEATURES, TreeShape, generate
from benchmarks.profiles import our_functions, total_time
from benchmarks.report import machine, summarize, write
from benchmarks.subjects import (
    FAST_THEME,
    Subject,
    available_features,
    corpus_subject,
    docs_subject,
    synthetic_subject,
)

HERE = Path(__file__).resolve().parent
MEASUREMENTS = (
    "overhead",
    "write-phase",
    "alongside",
    "incremental",
    "rebuild",
    "parallel",
    "growth",
    "publish",
)

#: subjects, the two or three synthetic sizes of the growth measurement, runs per variant.
SIZES: dict[str, dict[str, Any]] = {
    # Under 5 minutes on 2 quiet cores.
    "small": {
        "subjects": ["docs", "synthetic-50"],
        "growth": [10, 50],
        "repeats": 3,
        "growth_repeats": 2,
    },
    # About 15 minutes: every measurement on the real trees and 200 pages.
    "medium": {
        "subjects": ["docs", "corpus", "synthetic-200"],
        "growth": [200, 1000],
        "repeats": 3,
        "growth_repeats": 2,
    },
    # An hour or more: adds the 1,000-page tree and the 5,000-page growth point.
    "full": {
        "subjects": ["docs", "corpus", "synthetic-200", "synthetic-1000"],
        "growth": [200, 1000, 5000],
        "repeats": 3,
        "growth_repeats": 2,
    },
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the suite and write the results table")
    run.add_argument("--size", choices=sorted(SIZES), default="small")
    run.add_argument(
        "--only",
        nargs="+",
        choices=MEASUREMENTS,
        default=list(MEASUREMENTS),
        help="run only these measurements",
    )
    run.add_argument(
        "--subjects",
        nargs="+",
        help="trees to measure (docs, corpus, synthetic-N); default: the size's",
    )
    run.add_argument("--growth", nargs="+", type=int, help="synthetic sizes to compare")
    run.add_argument("--repeats", type=int, help="runs per variant (default: the size's)")
    run.add_argument(
        "--profile",
        action="store_true",
        help="profile every measured build with pyinstrument (slower)",
    )
    run.add_argument("--work", type=Path, default=HERE / "_work")
    run.add_argument("--results", type=Path, default=HERE / "results")
    run.add_argument("--name", help="file name of the results (default: the size)")
    run.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when a build fails or a publish reports errors (for CI; a missed target "
        "is a measurement, not a failure)",
    )
    run.set_defaults(run=run_suite)
    prof = commands.add_parser("profile", help="profile one build with pyinstrument")
    prof.add_argument("subject", help="docs, corpus or synthetic-N")
    prof.add_argument("builder", help="html, bookstack, text, ...")
    prof.add_argument(
        "--mode",
        choices=("fresh", "write", "alongside", "incremental"),
        default="write",
        help="fresh -E build, write phase over a pre-built environment, an html build with "
        "alongside output, or a rebuild after editing one page",
    )
    prof.add_argument("--work", type=Path, default=HERE / "_work")
    prof.set_defaults(run=profile_build)
    gen = commands.add_parser("generate", help="write a synthetic tree")
    gen.add_argument("directory", type=Path)
    gen.add_argument("--pages", type=int, default=200)
    gen.add_argument("--seed", type=int, default=1)
    gen.add_argument("--variant", choices=("mosaic", "plain"), default="mosaic")
    gen.add_argument(
        "--features",
        nargs="*",
        choices=FEATURES,
        help="markup to include (default: what the installed extension has)",
    )
    gen.set_defaults(run=generate_tree)
    args = parser.parse_args(argv)
    status: int = args.run(args)
    return status


def generate_tree(args: argparse.Namespace) -> int:
    features = args.features if args.features is not None else available_features().markup
    shape = TreeShape.for_pages(args.pages)
    plan = generate(args.directory, shape, seed=args.seed, variant=args.variant, features=features)
    print(
        f"wrote {len(plan.pages)} pages ({shape.books} books x {shape.chapters} chapters x "
        f"{shape.pages} pages + 1 per book) to {args.directory}"
    )
    return 0


def profile_build(args: argparse.Namespace) -> int:
    features = available_features()
    subject = _subject(args.subject, args.work, features.markup)
    if subject is None:
        raise SystemExit(f"{args.subject} is not available here")
    runner = suite.Runner(args.work, 1, profile_dir=args.work / "profiles")
    tag = f"profile-{args.mode}-{args.builder}"
    if args.mode == "write":
        env = runner.fresh(subject, "dummy", "profile-env")
        runner.build({**env, "profile": None})
        spec = runner.fresh(subject, args.builder, tag)
        shutil.copytree(env["doctreedir"], spec["doctreedir"])
        spec["freshenv"] = False
    elif args.mode == "incremental":
        spec = runner.fresh(subject, args.builder, tag)
        runner.build({**spec, "profile": None})
        assert subject.edit_page is not None
        original = subject.edit_page.read_text(encoding="utf-8")
        subject.edit_page.write_text(original + "\n\nOne more paragraph.\n", encoding="utf-8")
        spec["freshenv"] = False
    else:
        overrides = {features.alongside_option: True} if args.mode == "alongside" else {}
        spec = runner.fresh(subject, args.builder, tag, overrides=overrides)
    result = runner.build(spec)
    print(
        f"{args.builder} ({args.mode}) on {subject.name}: read {result['read']:.2f} s, "
        f"write {result['write']:.2f} s, total {result['total']:.2f} s; profile in "
        f"{spec['profile']} and .html"
    )
    session = Path(spec["profile"]).with_suffix(".pyisession")
    if session.is_file():
        print(f"time in sphinx_mosaic functions, inclusive (of {total_time(session):.1f} s):")
        for where, seconds in our_functions(session):
            print(f"  {seconds:8.2f} s  {where}")
    return 0


def run_suite(args: argparse.Namespace) -> int:
    size = SIZES[args.size]
    repeats = args.repeats or size["repeats"]
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    load_before = _load()
    features = available_features()
    print(
        f"sphinx-mosaic benchmarks, size {args.size}: markup {features.markup or '-'}, "
        f"bookstack {'yes' if features.bookstack else 'not yet'}, alongside "
        f"{features.alongside_option or 'not yet'}, publisher "
        f"{'yes' if features.publisher else 'not yet'}, confluence "
        f"{'yes' if features.confluence else 'not installed'}"
    )
    runner = suite.Runner(work, repeats, profile_dir=work / "profiles" if args.profile else None)
    wanted = [] if set(args.only) <= {"growth"} else (args.subjects or size["subjects"])
    subjects = [s for s in (_subject(name, work, features.markup) for name in wanted) if s]
    measurements: list[suite.Measurement] = []
    per_subject: dict[str, Callable[[Subject], suite.Measurement | list[suite.Measurement]]] = {
        "overhead": lambda s: suite.overhead(runner, s),
        "write-phase": lambda s: suite.write_phases(runner, s, features),
        "alongside": lambda s: suite.alongside(runner, s, features),
        "incremental": lambda s: suite.incremental(runner, s, features),
        "rebuild": lambda s: suite.rebuild(runner, s, features),
        "parallel": lambda s: suite.parallel(runner, s),
    }
    publish_results: list[dict[str, Any]] = []
    clock = time.perf_counter()

    def save(finished: bool) -> tuple[Path, Path]:
        # Written after every measurement, so an interrupted run keeps what it measured.
        result = {
            "command": "python -m benchmarks " + shlex.join(sys.argv[1:]),
            "size": args.size,
            "repeats": repeats,
            "started": started,
            "finished": time.strftime("%Y-%m-%d %H:%M", time.gmtime())
            + ("" if finished else " (interrupted: partial results)"),
            "load_before": load_before,
            "load_after": _load(),
            "machine": machine(),
            "features": {
                "markup": features.markup,
                "bookstack": features.bookstack,
                "alongside": features.alongside_option,
                "publisher": features.publisher,
                "confluence": features.confluence,
            },
            "measurements": [{**m.to_dict(), "summary": summarize(m)} for m in measurements],
            "publish": publish_results,
        }
        return write(result, args.results, args.name or args.size)

    for subject in subjects:
        print(f"{subject.name}: {subject.pages} pages, {subject.note}")
        for name, measure in per_subject.items():
            if name in args.only:
                measured = _guarded(measure, subject, name)
                measurements.extend(measured if isinstance(measured, list) else [measured])
                save(finished=False)
        if "publish" in args.only:
            publish_results.append(_publish(runner, subject, features))
            save(finished=False)
    if "growth" in args.only:
        sizes = args.growth or size["growth"]
        trees = [_subject(f"synthetic-{n}", work, features.markup) for n in sizes]
        measurements.extend(
            suite.growth(
                runner, [t for t in trees if t is not None], args.repeats or size["growth_repeats"]
            )
        )
    json_path, md_path = save(finished=True)
    verdicts = [summarize(m)["verdict"] for m in measurements if m.target is not None]
    print(
        f"{runner.builds} builds in {time.perf_counter() - clock:.0f} s; targets: "
        f"{verdicts.count('met')} met, {verdicts.count('missed')} missed, "
        f"{len(verdicts) - verdicts.count('met') - verdicts.count('missed')} not measured; "
        f"results in {md_path} and {json_path}"
    )
    failed = [f"{m.name} on {m.subject}" for m in measurements if "build" in m.unavailable] + [
        f"publish on {entry['subject']}"
        for entry in publish_results
        if str(entry.get("verdict", "")).startswith("build failed")
        or any(run["errors"] for run in entry.get("runs", {}).values())
    ]
    if args.check and failed:
        print(f"failed: {', '.join(failed)}")
        return 1
    return 0


def _subject(name: str, work: Path, markup: list[str]) -> Subject | None:
    trees = work / "trees"
    trees.mkdir(parents=True, exist_ok=True)
    if name == "docs":
        return docs_subject(trees)
    if name == "corpus":
        return corpus_subject(trees)
    if name.startswith("synthetic-"):
        _, pages, *theme = name.split("-")
        return synthetic_subject(trees, int(pages), markup, theme=theme[0] if theme else FAST_THEME)
    raise SystemExit(f"unknown subject {name!r}: use docs, corpus, synthetic-N or synthetic-N-furo")


def _guarded(
    measure: Callable[[Subject], suite.Measurement | list[suite.Measurement]],
    subject: Subject,
    name: str,
) -> suite.Measurement | list[suite.Measurement]:
    """A failed build is reported in the table, not allowed to end the suite."""
    try:
        return measure(subject)
    except suite.BuildFailed as exc:
        print(f"  {name} on {subject.name}: {exc}")
        m = suite.Measurement(name, subject.name, "total", "-", pages=subject.pages)
        m.unavailable["build"] = f"failed: {exc}"[:300]
        return m


def _publish(runner: suite.Runner, subject: Subject, features: Any) -> dict[str, Any]:
    from benchmarks import publishing

    return publishing.measure(runner, subject, features)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
