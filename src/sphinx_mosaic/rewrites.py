"""Which documents to write again because what they show changed elsewhere.

Sphinx writes again the documents it read, and asks ``env-get-updated`` for
more.  Several components render pages from other pages' data: the contents
lists (titles and descriptions), the status tables and last-updated dates, the
reading-path boxes, and every sidebar that shows the generated navigation.
Each component registers a *reason* here (a function naming the documents
whose output it knows to be stale); this module's single ``env-get-updated``
handler asks them all, once per build, in the order they were registered.

The navigation is detected as changed in one place (the layout, when the
model is rebuilt) and costs every page a rewrite only for builders of the
``html`` format (html, dirhtml, singlehtml, epub), which show it on every page.
The bookstack builder resolves links and names when it assembles the books,
and LaTeX writes one document, so neither needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from weakref import WeakKeyDictionary

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from sphinx_mosaic import envdata

#: A component's reason: the documents whose output is stale for it.
Reason = Callable[[Sphinx, BuildEnvironment], Iterable[str]]

# Keyed by the application, so two Sphinx applications in one process (tests,
# sphinx-autobuild) never share reasons.
_REASONS: WeakKeyDictionary[Sphinx, dict[str, Reason]] = WeakKeyDictionary()


def add_reason(app: Sphinx, name: str, reason: Reason) -> None:
    """Register *reason* (under *name*, once) for *app*'s builds."""
    reasons = _REASONS.get(app)
    if reasons is None:
        reasons = _REASONS[app] = {}
        app.connect("env-get-updated", _documents_to_rewrite)
    reasons[name] = reason


def mark_navigation_changed(env: BuildEnvironment, changed: bool) -> None:
    """Record whether this build's navigation differs from the last build's."""
    envdata.set_navigation_changed(env, changed)


def _documents_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    pages: set[str] = set()
    for reason in _REASONS.get(app, {}).values():
        pages.update(reason(app, env))
    if envdata.navigation_changed(env):
        mark_navigation_changed(env, False)
        if app.builder.format == "html":
            pages |= env.found_docs
    return sorted(pages & env.found_docs)
