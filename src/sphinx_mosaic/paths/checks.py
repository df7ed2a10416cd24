"""Path checks, once per build after reading, with the file and line of the culprit."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_mosaic.layout.resolve import resolver_for
from sphinx_mosaic.paths.domain import get_domain
from sphinx_mosaic.paths.model import AudiencePath
from sphinx_mosaic.paths.view import audiences_of, reading_order
from sphinx_mosaic.status.collector import field_line
from sphinx_mosaic.suggest import did_you_mean
from sphinx_mosaic.warnings import MosaicWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def check_paths(app: Sphinx, env: BuildEnvironment) -> None:
    """Warn about unknown step targets, duplicate ids, repeated pages and empty paths.

    Runs on ``env-check-consistency``: targets depend on every document, so
    the checks wait until all of them are read.
    """
    resolver = resolver_for(env)
    first: dict[str, AudiencePath] = {}
    for path in get_domain(env).all_paths(reading_order(env)):
        location = (path.docname, path.line)
        if path.id in first:
            other = first[path.id]
            warn(
                MosaicWarning.PATH,
                f"duplicate path id {path.id!r}: it is already defined in "
                f"{env.doc2path(other.docname, base=False)}:{other.line}; give each path its "
                "own id (this one is shown here but gives no navigation)",
                location=location,
            )
        else:
            first[path.id] = path
        if not path.steps:
            warn(
                MosaicWarning.PATH,
                f"path {path.id!r} has no steps; list one page a line in the directive's content",
                location=location,
            )
        seen: dict[str, int] = {}
        for number, step in enumerate(path.steps, start=1):
            if step.target is None:
                continue
            docname = resolver.resolve(step.target, path.docname)
            if docname is None:
                warn(
                    MosaicWarning.PATH,
                    f"path {path.id!r}, step {number}: no page {step.target!r}"
                    f"{did_you_mean(step.target, resolver.names())}; name a docname, "
                    "a source path or a number-free name, or mark a step that is to be added "
                    f"as planned ('planned: {step.label or step.target}')",
                    location=(path.docname, step.line),
                )
            elif docname in seen:
                warn(
                    MosaicWarning.PATH,
                    f"path {path.id!r} lists page {docname!r} twice (steps {seen[docname]} and "
                    f"{number}); its navigation uses step {seen[docname]}",
                    location=(path.docname, step.line),
                )
            else:
                seen[docname] = number
    _check_audiences(env)


def _check_audiences(env: BuildEnvironment) -> None:
    """A page audience no path has but close to one that a path has is a typo: say so.

    Audiences without a path are allowed (the overview lists their pages), so
    only a near miss (``developr`` beside a ``developer`` path) is reported.
    """
    known = {a for p in get_domain(env).all_paths(reading_order(env)) for a in p.audiences}
    for docname in sorted(env.found_docs):
        for audience in audiences_of(env, docname):
            if audience in known:
                continue
            # Stricter than for other names: an audience may rightly be a near neighbour
            # of another ("tour" and "tourists"), where a typo is one letter off.
            hint = did_you_mean(audience, known, cutoff=0.8)
            if hint:
                source = Path(env.doc2path(docname))
                warn(
                    MosaicWarning.PATH,
                    f"audience {audience!r}{hint} is the audience of no reading path, so "
                    "this page is in no path's 'More for this audience' list",
                    location=(docname, field_line(source, "audience")),
                )
