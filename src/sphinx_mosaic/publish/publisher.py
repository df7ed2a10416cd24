"""One publish run: read the build output and the server, plan, print, then apply."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sphinx_mosaic.publish.apply import Applier, ApplyResult
from sphinx_mosaic.publish.bundle import load_bundle
from sphinx_mosaic.publish.client import BookStackClient, ClientSettings, Clock, RequestCounter
from sphinx_mosaic.publish.errors import ServerUnreachable, redact
from sphinx_mosaic.publish.notice import add_notices
from sphinx_mosaic.publish.plan import Kind, Plan, PlanOptions, containers_to_order, make_plan
from sphinx_mosaic.publish.public_url import base_of_entity, choose_public_url
from sphinx_mosaic.publish.state import ServerState, read_sort_rules, read_state
from sphinx_mosaic.publish.wiki_edits import WikiEdit, find_wiki_edits, guard, read_pages

ENV_URL = "BOOKSTACK_URL"
ENV_TOKEN_ID = "BOOKSTACK_TOKEN_ID"
#: The secret is read from here only: never from options, files or the command line.
ENV_TOKEN_SECRET = "BOOKSTACK_TOKEN_SECRET"


@dataclass(frozen=True)
class PublishOptions:
    dry_run: bool = False
    prune: bool = False
    force: bool = False
    use_import: bool = True
    verbose: bool = False
    #: Write pages even when they were edited in the wiki since the last publish.
    overwrite_wiki_edits: bool = False
    #: HTML put at the top of every page ({source}, {docname}, {key}, {name}); "" for none.
    page_notice: str = ""
    #: The URL readers reach the wiki at, for links in pages; "" to take the server's own.
    public_url: str = ""


@dataclass
class PublishReport:
    plan: Plan
    result: ApplyResult = field(default_factory=ApplyResult)
    requests: RequestCounter = field(default_factory=RequestCounter)
    seconds: float = 0.0
    #: How new books are created on this server, and why: "imports API" or "page by page".
    path: str = "page by page"
    path_reason: str = ""
    #: Pages changed in the wiki since the last publish (kept, unless overwriting).
    wiki_edits: list[WikiEdit] = field(default_factory=list)
    overwrote: bool = False

    @property
    def ok(self) -> bool:
        return not self.result.errors and (self.overwrote or not self.wiki_edits)

    def summary(self, dry_run: bool) -> str:
        counts = {kind: 0 for kind in Kind}
        for action in self.result.done:
            counts[action.kind] += 1
        if dry_run:
            done = f"dry run, nothing written ({self.plan.summary()})"
        else:
            # What was written, then what the plan left alone on purpose: unchanged, kept
            # (removed from the sources), edited in the wiki (not overwritten).
            planned = self.plan.counts()
            parts = [f"{n} {kind.value}" for kind, n in counts.items() if n]
            parts.append(f"{planned[Kind.UNCHANGED]} unchanged")
            parts += [f"{planned[k]} {k.value}" for k in (Kind.KEEP, Kind.EDITED) if planned[k]]
            done = ", ".join(parts)
        errors = len(self.result.errors) + (0 if self.overwrote else len(self.wiki_edits))
        return (
            f"publish: {done}; {self.requests.total} requests ({self.requests.reads} reads, "
            f"{self.requests.writes} writes) in {self.seconds:.1f} s; "
            f"{errors} error{'s' if errors != 1 else ''}; {self.path_line()}"
        )

    def path_line(self) -> str:
        return f"new books {self.path} ({self.path_reason})"


def settings_from(
    url: str | None,
    token_id: str | None,
    environ: Mapping[str, str],
    **limits: float,
) -> ClientSettings:
    """Client settings from options, falling back to the environment (secret: env only)."""
    return ClientSettings(
        url=(url or environ.get(ENV_URL, "")).strip(),
        token_id=(token_id or environ.get(ENV_TOKEN_ID, "")).strip(),
        token_secret=environ.get(ENV_TOKEN_SECRET, "").strip(),
        **limits,  # type: ignore[arg-type]
    )


def publish(
    output: Path,
    settings: ClientSettings,
    options: PublishOptions,
    *,
    out: Callable[[str], None] = print,
    clock: Clock | None = None,
) -> PublishReport:
    """Sync the bookstack build in *output* to the server; print the plan and progress."""
    try:
        return _publish(output, settings, options, _redacting(out, settings), clock)
    except ServerUnreachable as exc:
        if options.dry_run:
            raise exc.in_dry_run() from None
        raise


def _redacting(out: Callable[[str], None], settings: ClientSettings) -> Callable[[str], None]:
    def show(line: str) -> None:
        # Plan lines quote names and server messages: the last check for a secret.
        out(redact(line, settings.secrets))

    return show


def public_url_of(state: ServerState, reached: str, explicit: str) -> tuple[str, list[str]]:
    """The URL links in pages start with, and warnings (see :mod:`.public_url`)."""
    if state.has_system:
        own: str | None = state.base_url
        source = "base_url of /api/system"
    else:
        own = base_of_entity(state.listed_url) if state.listed_url else None
        source = "the URLs its search returns"
    return choose_public_url(explicit, reached, own, source)


def _publish(
    output: Path,
    settings: ClientSettings,
    options: PublishOptions,
    out: Callable[[str], None],
    clock: Clock | None,
) -> PublishReport:
    started = time.monotonic()
    bundle = load_bundle(output)
    add_notices(bundle, options.page_notice)
    client = BookStackClient(settings, clock=clock)
    try:
        state = read_state(client, bundle.project)
        state.base_url, url_warnings = public_url_of(state, client.base_url, options.public_url)
        for warning in url_warnings:
            out(f"warning: {warning}")
        # Only books whose order we are about to set are asked about their sort rule.
        chapter_book = {c.key: c.book_key for c in bundle.chapters()}
        read_sort_rules(
            client,
            state,
            {
                key if kind == "book" else chapter_book[key]
                for kind, key in containers_to_order(bundle, state)
                if kind == "book" or key in chapter_book
            },
        )
        plan = make_plan(
            bundle,
            state,
            PlanOptions(prune=options.prune, force=options.force, use_import=options.use_import),
        )
        # Trample protection: read each page about to be rewritten and compare it with
        # what we last wrote (also in a dry run, so the plan shows it).
        details = read_pages(client, state, plan)
        edits = find_wiki_edits(state, plan, details, {p.key: p for p in bundle.pages()})
        plan = guard(plan, edits, options.overwrite_wiki_edits)
        for line in plan.describe(options.verbose):
            out(line)
        report = PublishReport(plan=plan, requests=client.counter, wiki_edits=edits)
        report.overwrote = options.overwrite_wiki_edits
        uses_import, report.path_reason = state.import_path(options.use_import)
        report.path = "through the imports API" if uses_import else "page by page"
        if not options.dry_run and plan.writes:
            revisions = {
                key: int(detail["revision_count"])
                for key, detail in details.items()
                if isinstance(detail.get("revision_count"), int)
            }
            report.result = Applier(client, bundle, state, plan, out, revisions).run()
            if report.result.page_by_page is not None:
                report.path, report.path_reason = "page by page", report.result.page_by_page
    finally:
        client.close()
    report.seconds = time.monotonic() - started
    for note in report.result.notes:
        out(f"note: {note}")
    for warning in report.result.warnings:
        out(f"warning: {warning}")
    pages = {page.key: page for page in bundle.pages()}
    for edit in report.wiki_edits:
        label = pages[edit.key].label if edit.key in pages else f"page {edit.name!r}"
        if options.overwrite_wiki_edits:
            out(f"note: {label}: {edit.describe()}; overwritten (--overwrite-wiki-edits)")
        else:
            out(
                f"error: {label}: {edit.describe()}; not overwritten. Bring the change into "
                "the source (sphinx-mosaic pull) and publish again, or publish with "
                "--overwrite-wiki-edits"
            )
    for error in report.result.errors:
        out(f"error: {error}")
    out(report.summary(options.dry_run))
    return report
