"""Resolve recorded paths against the current build: targets, titles, statuses, audiences.

Everything here is computed from the environment when it is needed (at
resolve time, for the consistency checks and for the incremental-build
snapshot), never stored at read time, so a page added, renamed or retitled
after the path was read is always reflected.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sphinx_mosaic import envdata
from sphinx_mosaic.layout.resolve import NameResolver, resolver_for
from sphinx_mosaic.paths.domain import get_domain
from sphinx_mosaic.paths.model import (
    AudiencePath,
    ResolvedPath,
    ResolvedStep,
    normalize_audience,
)
from sphinx_mosaic.status import page_status

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


@dataclass(frozen=True)
class PathsView:
    """Every path of the build, resolved; the first definition of an id wins."""

    paths: tuple[ResolvedPath, ...]
    #: docname -> normalised audiences of its ``audience`` front matter field
    audiences: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: audience -> its display title (the title of the first path for it)
    audience_titles: dict[str, str] = field(default_factory=dict)
    #: (defining docname, index in it) -> every definition, duplicates included
    definitions: dict[tuple[str, int], ResolvedPath] = field(default_factory=dict)

    def definition(self, docname: str, index: int) -> ResolvedPath | None:
        return self.definitions.get((docname, index))

    def paths_of(self, docname: str) -> list[tuple[ResolvedPath, int]]:
        """The paths *docname* is a step of, with the index of its (first) step."""
        found = []
        for path in self.paths:
            index = path.position(docname)
            if index is not None:
                found.append((path, index))
        return found

    def off_path_pages(self, audience: str) -> list[str]:
        """Pages for *audience* that are on no path, in reading order."""
        on_paths = frozenset().union(*(path.members for path in self.paths))
        return [
            doc
            for doc, values in self.audiences.items()
            if audience in values and doc not in on_paths
        ]


def reading_order(env: BuildEnvironment) -> list[str]:
    layout = envdata.layout(env)
    ordered = [page.docname for page in layout.pages()] if layout is not None else []
    known = set(ordered)
    return ordered + sorted(doc for doc in env.found_docs if doc not in known)


def page_title(env: BuildEnvironment, docname: str) -> str:
    """The title navigation shows for *docname* (numbers stripped as the layout says)."""
    layout = envdata.layout(env)
    page = layout.page(docname) if layout is not None else None
    if page is not None:
        return page.title
    title = env.titles.get(docname)
    return title.astext() if title is not None else docname


def resolve_path(
    path: AudiencePath,
    env: BuildEnvironment,
    resolver: NameResolver,
) -> ResolvedPath:
    steps = []
    for number, step in enumerate(path.steps, start=1):
        docname = None if step.target is None else resolver.resolve(step.target, path.docname)
        if docname is not None:
            label = step.label or page_title(env, docname)
        else:
            label = step.label or step.target or ""
        steps.append(
            ResolvedStep(
                number=number,
                docname=docname,
                label=label,
                note=step.note,
                planned=step.planned,
                status=page_status(env, docname) if docname is not None else None,
            )
        )
    return ResolvedPath(
        id=path.id,
        title=path.title,
        description=path.description,
        audiences=path.audiences,
        docname=path.docname,
        anchor=path.anchor,
        steps=tuple(steps),
    )


def parse_audiences(value: Any) -> tuple[str, ...]:
    """An ``audience`` metadata value: a list, a JSON list (MyST), or a comma list."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError:
                value = text.strip("[]").split(",")
        else:
            value = text.split(",")
    if not isinstance(value, (list, tuple)):
        return ()
    values = (normalize_audience(str(item).strip().strip("'\"")) for item in value)
    return tuple(dict.fromkeys(item for item in values if item))


def audiences_of(env: BuildEnvironment, docname: str) -> tuple[str, ...]:
    """The audiences of *docname*'s ``audience`` front matter field, normalised, each once:
    the paths' pages for an audience and the BookStack page's ``mosaic-audience`` tags."""
    return parse_audiences(env.metadata.get(docname, {}).get("audience"))


def build_view(env: BuildEnvironment) -> PathsView:
    order = reading_order(env)
    resolver = resolver_for(env)
    seen: set[str] = set()
    paths = []
    titles: dict[str, str] = {}
    definitions = {}
    domain = get_domain(env)
    for docname in domain.definitions:
        for index, path in enumerate(domain.definitions[docname]):
            definitions[docname, index] = resolve_path(path, env, resolver)
    for path in domain.all_paths(order):
        if path.id in seen:
            continue  # a duplicate id (warned about): shown where defined, nowhere else
        seen.add(path.id)
        index = domain.definitions[path.docname].index(path)
        paths.append(definitions[path.docname, index])
        for audience in path.audiences:
            titles.setdefault(audience, path.title)
    audiences = {}
    for docname in order:
        values = audiences_of(env, docname)
        if values:
            audiences[docname] = values
    return PathsView(
        paths=tuple(paths), audiences=audiences, audience_titles=titles, definitions=definitions
    )


def current_view(env: BuildEnvironment) -> PathsView:
    """The view computed for this build's write phase (see ``env-get-updated``)."""
    view = envdata.paths_view(env)
    return view if isinstance(view, PathsView) else build_view(env)
