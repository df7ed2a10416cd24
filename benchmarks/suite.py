"""The measurements: each compares variants side by side, alternating their runs.

Every measured build runs in a fresh process (:mod:`benchmarks.build`) on
directories prepared just before it, so no run helps another through a
warm environment or output it did not ask for.  Runs alternate between the
variants (A B, then B A, ...; three or more variants rotate) so that noise
from other work on the machine falls on every variant alike; the report uses
medians and ratios of medians.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.subjects import Features, Subject

BUILD_SCRIPT = Path(__file__).with_name("build.py")

Spec = dict[str, Any]
Prepare = Callable[[int], Spec]


@dataclass
class Measurement:
    """One comparison on one subject: raw runs per variant, and what to read from them."""

    name: str
    subject: str
    metric: str  # "total" or "write": the phase the ratio is computed on
    baseline: str  # the variant in the denominator
    variants: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)
    target: float | None = None  # the highest acceptable ratio, if any
    target_variant: str | None = None  # the variant the target applies to
    note: str = ""
    pages: int = 0

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


class Runner:
    """Runs measured builds in fresh processes and alternates variants."""

    def __init__(
        self,
        work: Path,
        repeats: int,
        *,
        profile_dir: Path | None = None,
        log: Callable[[str], None] = print,
    ) -> None:
        self.work = work
        self.repeats = repeats
        self.profile_dir = profile_dir
        self.log = log
        self.builds = 0

    # -- one build ----------------------------------------------------------------------

    def build(self, spec: Spec) -> dict[str, Any]:
        spec_path = Path(spec["outdir"]).parent / f"spec-{self.builds}.json"
        spec_path.parent.mkdir(parents=True, exist_ok=True)
        spec = {**spec, "result": str(spec_path.with_suffix(".result.json"))}
        spec_path.write_text(json.dumps(spec, indent=1, default=str))
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(BUILD_SCRIPT), str(spec_path)],
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - started
        self.builds += 1
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
            raise BuildFailed(
                f"{spec['builder']} build of {spec['srcdir']} failed: " + " | ".join(tail)
            )
        result: dict[str, Any] = json.loads(Path(spec["result"]).read_text())
        result["wall"] = wall
        return result

    def fresh(
        self,
        subject: Subject,
        builder: str,
        tag: str,
        *,
        overrides: dict[str, Any] | None = None,
        parallel: int = 0,
    ) -> Spec:
        """A from-scratch build: empty output and doctree directories, ``-E``."""
        base = self.work / "runs" / subject.name / tag
        for name in ("out", "doctrees"):
            shutil.rmtree(base / name, ignore_errors=True)
        return {
            "srcdir": str(subject.srcdir),
            "confdir": str(subject.confdir),
            "outdir": str(base / "out"),
            "doctreedir": str(base / "doctrees"),
            "builder": builder,
            "freshenv": True,
            "parallel": parallel,
            "confoverrides": {**subject.overrides, **(overrides or {})},
            "profile": self.profile_path(subject, tag),
        }

    def profile_path(self, subject: Subject, tag: str) -> str | None:
        if self.profile_dir is None:
            return None
        self.profile_dir.mkdir(parents=True, exist_ok=True)
        return str(self.profile_dir / f"{subject.name}-{tag}.txt")

    # -- alternating runs ---------------------------------------------------------------

    def alternate(
        self, measurement: Measurement, variants: dict[str, Prepare], repeats: int | None = None
    ) -> Measurement:
        labels = list(variants)
        runs: dict[str, list[dict[str, Any]]] = {label: [] for label in labels}
        for repeat in range(repeats or self.repeats):
            shift = repeat % len(labels)
            order = (
                labels[shift:] + labels[:shift]
                if len(labels) > 2
                else (labels if repeat % 2 == 0 else labels[::-1])
            )
            for label in order:
                result = self.build(variants[label](repeat))
                runs[label].append(result)
                self.log(
                    f"  {measurement.name:<12} {measurement.subject:<16} {label:<28} "
                    f"{measurement.metric}={result[measurement.metric]:7.2f}s "
                    f"total={result['total']:7.2f}s rss={result['maxrss_mib']:6.0f}MiB "
                    f"read={result['docs_read']}"
                )
        measurement.variants.update(runs)
        return measurement


class BuildFailed(RuntimeError):
    pass


# -- the measurements ----------------------------------------------------------------------


def overhead(runner: Runner, subject: Subject) -> Measurement:
    """1. html with and without sphinx_mosaic on the same pages and navigation."""
    m = Measurement(
        "overhead",
        subject.name,
        "total",
        "html, plain Sphinx",
        target=1.05,
        target_variant="html + sphinx_mosaic",
        pages=subject.pages,
        note="fresh -E builds; plain = same pages with hand-written toctrees",
    )
    if subject.plain is None:
        m.unavailable["html, plain Sphinx"] = "the tree uses the extension's markup"
        return m
    plain = subject.plain
    variants: dict[str, Prepare] = {
        "html, plain Sphinx": lambda i: runner.fresh(plain, "html", "overhead-plain"),
        "html + sphinx_mosaic": lambda i: runner.fresh(subject, "html", "overhead-mosaic"),
    }
    if subject.bare is not None:
        # What the extension costs by itself, apart from the content its markup adds
        # (status tables, path boxes, contents lists that Sphinx then writes and indexes).
        bare = subject.bare()
        variants["html + sphinx_mosaic, no markup"] = lambda i: runner.fresh(
            bare, "html", "overhead-bare"
        )
        m.note += "; no markup = the extension on the same pages without its directives and roles"
    return runner.alternate(m, variants)


def write_phases(runner: Runner, subject: Subject, features: Features) -> list[Measurement]:
    """2. The write phase of each builder over one shared, pre-built environment.

    Two readings of the same runs: ``bookstack`` against ``html`` (at most 0.5) and
    ``html`` against ``text`` (at most 3: the html builder's sidebar, search index and
    templates, against a builder that writes only the pages)."""
    m = Measurement(
        "write-phase",
        subject.name,
        "write",
        "html",
        target=0.5,
        target_variant="bookstack",
        pages=subject.pages,
        note="env built once (dummy); each run copies its doctrees and writes all",
    )
    extensions = list(subject.extensions)
    builders = ["dummy", "text", "html"]
    if features.bookstack:
        builders.append("bookstack")
    else:
        m.unavailable["bookstack"] = "not available yet (no bookstack builder)"
    if features.confluence:
        extensions.append("sphinxcontrib.confluencebuilder")
        builders.append("confluence")
    else:
        m.unavailable["confluence"] = (
            "sphinxcontrib-confluencebuilder not installed "
            "(pip install -r benchmarks/requirements.txt)"
        )
    overrides: dict[str, object] = {"extensions": extensions, "confluence_publish": False}
    if features.confluence:
        # confluencebuilder reads sphinxcontrib-mermaid's options whenever that package is
        # importable (our test extra installs it), even when the extension is not loaded,
        # and stops on the missing mermaid_output_format: tell it to leave mermaid alone.
        overrides["confluence_adv_restricted"] = ["ext-sphinxcontrib.mermaid"]
    base = runner.fresh(subject, "dummy", "write-env", overrides=overrides)
    runner.log(f"  write-phase  {subject.name:<16} building the shared environment")
    runner.build(base)
    shared = Path(base["doctreedir"])

    def variant(builder: str) -> Prepare:
        def prepare(repeat: int) -> Spec:
            spec = runner.fresh(subject, builder, f"write-{builder}", overrides=overrides)
            shutil.copytree(shared, spec["doctreedir"])
            return {**spec, "freshenv": False}

        return prepare

    runner.alternate(m, {builder: variant(builder) for builder in builders})
    if features.bookstack:
        m.note += "; " + _check_books(runner.work / "runs" / subject.name / "write-bookstack")
    against_text = Measurement(
        "html write",
        subject.name,
        "write",
        "text",
        variants={label: m.variants[label] for label in ("text", "html")},
        target=3.0,
        target_variant="html",
        pages=subject.pages,
        note="the html and text runs of the write-phase measurement above",
    )
    return [m, against_text]


def _check_books(run: Path) -> str:
    """Whether the BookStack ZIPs the measured builds wrote are valid (we timed real work)."""
    from benchmarks.checks import check_package

    books = sorted((run / "out").rglob("*.zip"))
    invalid = [book.name for book in books if check_package(book)]
    return f"{len(books)} BookStack ZIPs written, {len(invalid)} invalid {invalid or ''}".strip()


def alongside(runner: Runner, subject: Subject, features: Features) -> Measurement:
    """3. An html build that also writes BookStack output, against a plain html build."""
    m = Measurement(
        "alongside",
        subject.name,
        "total",
        "html",
        target=1.2,
        target_variant="html + bookstack alongside",
        pages=subject.pages,
        note="fresh -E builds",
    )
    option = features.alongside_option
    if option is None:
        m.unavailable["html + bookstack alongside"] = "not available yet (no alongside option)"
        return m
    return runner.alternate(
        m,
        {
            "html": lambda i: runner.fresh(subject, "html", "alongside-off"),
            "html + bookstack alongside": lambda i: runner.fresh(
                subject, "html", "alongside-on", overrides={option: True}
            ),
        },
    )


def incremental(runner: Runner, subject: Subject, features: Features) -> Measurement:
    """4. Rebuild after editing one page, without -E, per builder."""
    m = Measurement(
        "incremental",
        subject.name,
        "total",
        "html",
        target=1.0,
        target_variant="bookstack",
        pages=subject.pages,
        note="one page edited before each run; no -E",
    )
    builders = ["html"]
    if features.bookstack:
        builders.append("bookstack")
    else:
        m.unavailable["bookstack"] = "not available yet (no bookstack builder)"
    if subject.edit_page is None:
        m.unavailable["html"] = "no page to edit"
        return m
    variants: dict[str, Prepare] = {}
    for builder in builders:
        spec, page = _edit_copy(
            runner,
            subject,
            f"incremental-{builder}",
            builder,
            subject.overrides,
            f"incremental-{builder}",
        )
        runner.log(f"  incremental  {subject.name:<16} first build ({builder})")
        runner.build({**spec, "profile": None})
        variants[builder] = _editing(spec, page)
    return runner.alternate(m, variants)


def _edit_copy(
    runner: Runner,
    subject: Subject,
    name: str,
    builder: str,
    overrides: dict[str, Any],
    profile: str,
) -> tuple[dict[str, Any], Path]:
    """A fresh copy of *subject*'s tree under ``runs/<subject>/<name>``, the build spec
    of an incremental *builder* build of it, and the copy of the page to edit."""
    assert subject.edit_page is not None
    base = runner.work / "runs" / subject.name / name
    shutil.rmtree(base, ignore_errors=True)
    tree = base / "tree"
    shutil.copytree(subject.confdir, tree, ignore=shutil.ignore_patterns("_build"))
    spec = {
        "srcdir": str(tree / subject.srcdir.relative_to(subject.confdir)),
        "confdir": str(tree),
        "outdir": str(base / "out"),
        "doctreedir": str(base / "doctrees"),
        "builder": builder,
        "freshenv": False,
        "confoverrides": overrides,
        "profile": runner.profile_path(subject, profile),
    }
    return spec, tree / subject.edit_page.relative_to(subject.confdir)


def rebuild(runner: Runner, subject: Subject, features: Features) -> Measurement:
    """4b. html with alongside BookStack output: a one-page rebuild against a fresh build.

    Each incremental run follows a build of the same tree with one paragraph
    added to one page, so it rebuilds what one edit costs (the page, and the pages
    that show what changed), not a no-op."""
    option = features.alongside_option
    overrides = {option: True} if option else {}
    m = Measurement(
        "rebuild",
        subject.name,
        "total",
        "fresh html" + (" + bookstack" if option else ""),
        target=0.10,
        target_variant="one page edited",
        pages=subject.pages,
        note="html"
        + (" with alongside BookStack output" if option else "")
        + "; fresh = -E into empty folders; one page edited = no -E after a paragraph was "
        "added to one page",
    )
    if subject.edit_page is None:
        m.unavailable["one page edited"] = "no page to edit"
        return m
    spec, page = _edit_copy(
        runner,
        subject,
        "rebuild",
        "html",
        {**subject.overrides, **overrides},
        "rebuild-incremental",
    )
    runner.log(f"  rebuild      {subject.name:<16} first build")
    runner.build({**spec, "profile": None})
    return runner.alternate(
        m,
        {
            "fresh html" + (" + bookstack" if option else ""): lambda i: runner.fresh(
                subject, "html", "rebuild-fresh", overrides=overrides
            ),
            "one page edited": _editing(spec, page),
        },
    )


def _editing(spec: Spec, page: Path) -> Prepare:
    def prepare(repeat: int) -> Spec:
        with page.open("a", encoding="utf-8") as source:
            source.write(f"\n\nBenchmark edit {repeat}: one more paragraph of text.\n")
        return spec

    return prepare


def parallel(runner: Runner, subject: Subject) -> Measurement:
    """5. -j 2 against a serial build (html, fresh)."""
    m = Measurement(
        "parallel",
        subject.name,
        "total",
        "html serial",
        pages=subject.pages,
        note="fresh -E builds; 2 cores shared with other work",
    )
    return runner.alternate(
        m,
        {
            "html serial": lambda i: runner.fresh(subject, "html", "serial"),
            "html -j 2": lambda i: runner.fresh(subject, "html", "parallel", parallel=2),
        },
    )


def growth(runner: Runner, subjects: list[Subject], repeats: int) -> list[Measurement]:
    """How a fresh html build grows with the number of pages (synthetic trees).

    The same trees are also built by Sphinx alone (hand-written toctrees, no
    extension), alternated with ours, so the growth that is Sphinx's own can be
    told from what the extension adds.
    """
    ordered = sorted(subjects, key=lambda s: s.pages)
    ours = Measurement(
        "growth",
        "synthetic",
        "total",
        f"{ordered[0].name}",
        pages=ordered[-1].pages,
        note="fresh -E html builds with sphinx_mosaic; pages include index pages",
    )
    sphinx_alone = Measurement(
        "growth (plain Sphinx)",
        "synthetic",
        "total",
        f"{ordered[0].name} plain",
        pages=ordered[-1].pages,
        note="the same trees with hand-written toctrees, without sphinx_mosaic "
        "(alternated with the builds above): the growth that is Sphinx's own",
    )
    if len(ordered) >= 2:
        smaller, larger = ordered[-2], ordered[-1]
        ours.baseline, ours.target_variant = smaller.name, larger.name
        sphinx_alone.baseline = f"{smaller.name} plain"
        # Linear cost: the time ratio may exceed the page ratio by at most 10%.
        ours.target = round(1.1 * larger.size / smaller.size, 2)
    variants = {s.name: _growth_run(runner, s) for s in ordered}
    variants |= {f"{s.name} plain": _growth_run(runner, s.plain) for s in ordered if s.plain}
    both = runner.alternate(
        Measurement("growth", "synthetic", "total", ours.baseline), variants, repeats=repeats
    )
    for label, runs in both.variants.items():
        (sphinx_alone if label.endswith(" plain") else ours).variants[label] = runs
    return [ours, sphinx_alone] if sphinx_alone.variants else [ours]


def _growth_run(runner: Runner, subject: Subject) -> Prepare:
    return lambda repeat: runner.fresh(subject, "html", "growth")
