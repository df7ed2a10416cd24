"""``sphinx-mosaic pull``: edits made in the wiki brought back into the source files.

For each page of the build that the wiki-edit check finds edited since our last
publish (:func:`~sphinx_mosaic.publish.wiki_edits.edited`, the check ``publish``
makes before it writes), the page is merged three ways (:mod:`.merge`):

base
    the HTML we last published.  It is not kept in the wiki (BookStack has no
    revisions API) nor in a state file: it is the page of a bookstack build whose
    content hash equals the page's ``mosaic-hash`` tag, the hash of what the last
    publish wrote.  The build given (``OUTPUT``) is looked at first: when the pages
    of the current sources have not changed since the publish, it *is* the base;
    each ``--base`` build (for instance the build of the last published commit,
    kept by CI) after it.  The hash proves the copy is the published one, so a
    stale or wrong build is never taken for the base.
theirs
    the page as the wiki holds it (``raw_html`` of ``GET /api/pages/{id}``).
ours
    the source file, and the page HTML the build made of it.

Addresses into the wiki (links to pages, uploaded images) differ between what we
send (``[[bsexport:...]]`` references, predicted paths) and what BookStack
stores (its URLs), so they are set aside before comparing: a link re-pointed to
another wiki page is not brought back (the page's text is).

Changes that cannot be merged go to a side file next to the source,
``<source>.wiki.md``, with the wiki's version of each block: nothing is lost, the
run says so and exits with 1.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx_mosaic.bookstack.format.model import Page
from sphinx_mosaic.layout.model import SIDE_SUFFIX
from sphinx_mosaic.publish.bundle import Bundle, load_bundle
from sphinx_mosaic.publish.client import BookStackClient, ClientSettings
from sphinx_mosaic.publish.errors import RequestRejected
from sphinx_mosaic.publish.notice import add_notices
from sphinx_mosaic.publish.state import RemoteEntity, read_state, stamp
from sphinx_mosaic.publish.wiki_edits import edited, wiki_body_is
from sphinx_mosaic.wiki.convert import convert_page
from sphinx_mosaic.wiki.merge import Conflict, merge

#: An address into the wiki, as we send it or as BookStack stores it, in an attribute.
_ADDRESS = re.compile(
    r"""(?P<attr>\b(?:href|src)=)(?P<q>["'])(?P<url>(?:\[\[bsexport:[a-z]+:\d+\]\]|"""
    r"""(?:https?://[^"'#]*?)?/(?:books/[^"'#]*|uploads/images/[^"'#]*|attachments/\d+|"""
    r"""link/\d+)))(?P<rest>[^"']*)(?P=q)"""
)
#: What an address into the wiki becomes for the merge.
PLACEHOLDER = "mosaic-wiki-address"


def set_addresses_aside(html: str) -> str:
    """*html* with every address into the wiki replaced by one placeholder (fragments kept)."""
    return _ADDRESS.sub(lambda m: f"{m['attr']}{m['q']}{PLACEHOLDER}{m['rest']}{m['q']}", html)


@dataclass(frozen=True)
class PullOptions:
    #: The folder the build's ``source`` paths are relative to (Sphinx's source folder).
    source_dir: Path = Path()
    #: Other bookstack builds to find a page's last published HTML in.
    bases: tuple[Path, ...] = ()
    dry_run: bool = False
    #: The --page-notice the publish used (it is part of what was published).
    page_notice: str = ""


@dataclass
class PagePull:
    """What happened to one edited page."""

    label: str
    source: Path | None
    url: str
    who: str
    applied: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    side_file: Path | None = None
    diff: str = ""
    #: Why the page could not be merged at all, its source being missing ("" if it was).
    missing: str = ""


@dataclass
class PullReport:
    pages: list[PagePull] = field(default_factory=list)
    #: Edited pages whose wiki content the sources already hold.
    up_to_date: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.conflicts or p.missing for p in self.pages)


def pull(
    output: Path,
    settings: ClientSettings,
    options: PullOptions,
    *,
    out: Callable[[str], None] = print,
) -> PullReport:
    """Bring the wiki's edits of the pages built in *output* into their source files."""
    bundle = _bundle(output, options.page_notice)
    published: dict[tuple[str, str], Page] = {}
    for build in [bundle, *(_bundle(b, options.page_notice) for b in options.bases)]:
        for page in build.pages():
            published.setdefault((page.key, stamp(page.hash)), page)
    client = BookStackClient(settings)
    try:
        state = read_state(client, bundle.project)
        owned = [(p, state.pages[p.key]) for p in bundle.pages() if p.key in state.pages]
        details = _read(client, owned)
    finally:
        client.close()
    report = PullReport()
    for page, remote in owned:
        detail = details.get(page.key)
        if detail is None:
            continue
        tags = {str(t.get("name")): str(t.get("value") or "") for t in remote.tags}
        if not edited(detail, tags):
            continue
        if wiki_body_is(detail, page):
            report.up_to_date.append(page.label)
            continue
        base = published.get((page.key, remote.hash))
        result = _pull_page(page, remote, detail, base, state.base_url, options)
        report.pages.append(result)
    _print(report, options, out)
    return report


def _bundle(root: Path, notice: str) -> Bundle:
    bundle = load_bundle(root)
    add_notices(bundle, notice)
    return bundle


def _read(
    client: BookStackClient, owned: list[tuple[Page, RemoteEntity]]
) -> dict[str, dict[str, Any]]:
    def read(item: tuple[Page, RemoteEntity]) -> tuple[str, dict[str, Any] | None]:
        page, remote = item
        try:
            detail: dict[str, Any] = client.get(f"/api/pages/{remote.id}")
        except RequestRejected as exc:
            if exc.status != 404:
                raise
            return page.key, None
        return page.key, detail

    with ThreadPoolExecutor(max_workers=client.settings.concurrency) as pool:
        return {key: d for key, d in pool.map(read, owned) if d is not None}


def _who(detail: dict[str, Any]) -> str:
    user = detail.get("updated_by")
    if isinstance(user, dict):
        return str(user.get("name") or "someone")
    return "someone"


def _pull_page(
    page: Page,
    remote: RemoteEntity,
    detail: dict[str, Any],
    base: Page | None,
    base_url: str,
    options: PullOptions,
) -> PagePull:
    url = f"{base_url}/link/{remote.id}"
    source = options.source_dir / page.source if page.source else None
    result = PagePull(page.label, source, url, _who(detail))
    theirs = set_addresses_aside(str(detail.get("raw_html") or ""))
    whole = convert_page(theirs).markdown
    if source is None or not source.is_file():
        # Nothing was changed and the wiki keeps the edit: no side file in a wrong folder.
        result.missing = (
            f"the source file {source if source else '(none)'} does not exist: pass "
            "--source-dir, the folder the build was made from"
        )
    elif base is None:
        result.conflicts.append(
            Conflict(
                f"no build holds what was last published (its {remote.hash or 'missing'} "
                "mosaic-hash): pass --base with the build of the published sources",
                whole,
            )
        )
    else:
        text = source.read_text(encoding="utf-8")
        merged = merge(
            set_addresses_aside(base.html),
            theirs,
            set_addresses_aside(page.html),
            text,
            markdown=source.suffix.lower() != ".rst",
            # A new link or image into the wiki: its target is a wiki URL, not a source.
            unwritable=PLACEHOLDER,
        )
        result.applied = merged.applied
        result.conflicts.extend(merged.conflicts)
        wiki_name = " ".join(str(detail.get("name") or "").split())
        if wiki_name and wiki_name not in (base.name, page.name):
            result.conflicts.append(
                Conflict(
                    "renamed in the wiki: give the source this title",
                    f"# {wiki_name}",
                    f"# {base.name}",
                )
            )
        if merged.changed:
            # As git prints it from the current folder (an absolute path outside it).
            name = os.path.relpath(source)
            old_name, new_name = (
                (str(source), str(source)) if name.startswith("..") else (f"a/{name}", f"b/{name}")
            )
            result.diff = "".join(
                difflib.unified_diff(
                    text.splitlines(keepends=True),
                    merged.text.splitlines(keepends=True),
                    old_name,
                    new_name,
                )
            )
            if not options.dry_run:
                source.write_text(merged.text, encoding="utf-8")
    if result.conflicts and source is not None:
        side = source.with_name(source.name + SIDE_SUFFIX)
        result.side_file = side
        if not options.dry_run:
            side.parent.mkdir(parents=True, exist_ok=True)
            side.write_text(side_file(page, result, detail), encoding="utf-8")
    return result


def _fence(text: str, info: str = "markdown") -> str:
    longest = max((len(m) for m in re.findall(r"`{3,}", text)), default=2)
    ticks = "`" * max(4, longest + 1)
    return f"{ticks}{info}\n{text}\n{ticks}"


def side_file(page: Page, result: PagePull, detail: dict[str, Any]) -> str:
    """The side file's Markdown: each block the merge left, the wiki's version first."""
    lines = [
        f"# Wiki edits not merged: {page.name}",
        "",
        f"The page {result.url} was edited in the wiki by {result.who} "
        f"(revision {detail.get('revision_count')}, {detail.get('updated_at')}). "
        f"These changes could not be written into {page.source} by `sphinx-mosaic pull`: "
        "bring them in by hand, then delete this file.",
    ]
    if any(PLACEHOLDER in c.theirs + c.base + c.ours for c in result.conflicts):
        lines += [
            "",
            f"A link or image into the wiki shows as `{PLACEHOLDER}` (its #fragment kept): "
            "see the page in the wiki for its target.",
        ]
    for n, conflict in enumerate(result.conflicts, 1):
        lines += ["", f"## {n}. {conflict.why}", ""]
        lines += ["The wiki now:", "", _fence(conflict.theirs or "(removed)")]
        if conflict.base:
            lines += ["", "What was published:", "", _fence(conflict.base)]
        if conflict.ours:
            lines += ["", "The source now builds:", "", _fence(conflict.ours)]
    return "\n".join(lines) + "\n"


def _print(report: PullReport, options: PullOptions, out: Callable[[str], None]) -> None:
    for label in report.up_to_date:
        out(f"{label}: edited in the wiki; the source already says the same")
    for page in report.pages:
        where = page.source if page.source is not None else "?"
        for change in page.applied:
            out(f"{page.label}: {change.replace(PLACEHOLDER, '...')} ({where})")
        if page.diff and options.dry_run:
            out(page.diff.rstrip("\n"))
        if page.missing:
            out(f"error: {page.label}: edited in the wiki by {page.who}; {page.missing}")
        if page.conflicts:
            verb = "would go" if options.dry_run else "written"
            out(
                f"error: {page.label}: {len(page.conflicts)} change(s) by {page.who} not merged "
                f"({', '.join(c.why for c in page.conflicts)}); {verb} to {page.side_file}"
            )
    merged = sum(1 for p in report.pages if p.applied)
    conflicts = sum(1 for p in report.pages if p.conflicts or p.missing)
    mode = "dry run, nothing written; " if options.dry_run else ""
    out(
        f"pull: {mode}{len(report.pages)} page(s) edited in the wiki, {merged} merged into "
        f"the sources, {conflicts} with changes not merged"
    )
