"""The last-updated date of every page, and the page footer that shows it.

Sources, tried in the order of ``mosaic_last_updated_sources``
(default ``["git", "front-matter", "mtime"]``):

* ``git``: the date of the last commit touching the file (one ``git log`` per
  build, see :mod:`.history`; no date when the history of the file is cut by a
  shallow clone);
* ``front-matter``: the page's ``last_updated`` field (``YYYY-MM-DD``);
* ``mtime``: the file's modification time (UTC).

Dates and footers come with the numbered layout, or when a project asks for
them by setting ``mosaic_last_updated_sources`` or ``mosaic_page_footer``
(:func:`dates_wanted`): an ordinary Sphinx project built from an sdist would
otherwise show file times, the date it was packaged, as edit dates.

Dates are computed once per build, after reading (:func:`compute_dates`), and
stored on the environment; the footer is a placeholder resolved at write time,
so a new commit updates the footer without re-reading the page.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.locale import _ as sphinx_
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.i18n import format_date as sphinx_format_date

from sphinx_mosaic import envdata
from sphinx_mosaic.chrome import PAGE_FOOTER as FOOTER_CLASS
from sphinx_mosaic.config import Option, declare, explicitly_set, option_value
from sphinx_mosaic.status.history import read_git_history

logger = logging.getLogger(__name__)
_ = get_translation("sphinx_mosaic_status")

SOURCES = ("git", "front-matter", "mtime")


def _check_sources(value: Any) -> str | None:
    if not isinstance(value, (list, tuple)) or not all(item in SOURCES for item in value):
        return f"must be a list drawn from {list(SOURCES)}"
    return None


LAST_UPDATED_SOURCES: Option[list[str] | tuple[str, ...]] = Option(
    "last_updated_sources",
    list(SOURCES),
    "Where the last-updated date of a page comes from, tried in order: ``git`` (last "
    "commit touching the file; skipped for files whose history a shallow clone cuts), "
    "``front-matter`` (the page's ``last_updated: YYYY-MM-DD``), ``mtime`` (the file's "
    "modification time). An empty list turns dates off. Without the numbered layout, "
    "pages get dates only when this option or ``mosaic_page_footer`` is set.",
    types=(list, tuple),
    check=_check_sources,
)

LAST_UPDATED_FORMAT = Option(
    "last_updated_format",
    "%Y-%m-%d",
    "The ``strftime`` format of last-updated dates in badges, tables and footers.",
    types=(str,),
)

PAGE_FOOTER = Option(
    "page_footer",
    True,
    "Show ``Last updated: <date> · Version: <release>`` at the end of every page (off per "
    "page with front matter ``page_footer: false``). Without the numbered layout, only "
    "when this option or ``mosaic_last_updated_sources`` is set.",
    types=(bool,),
)

#: This module's options: :func:`setup_last_updated` declares them, importing the module does not.
OPTIONS = (LAST_UPDATED_SOURCES, LAST_UPDATED_FORMAT, PAGE_FOOTER)


def parse_date(value: str) -> date | None:
    """``"2024-05-01"`` (or a longer ISO timestamp) -> a date; None if it is not one."""
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def dates_wanted(env: BuildEnvironment) -> bool:
    """Whether pages get last-updated dates and the footer: with the numbered layout, or
    when ``conf.py`` (or ``-D``) sets ``mosaic_last_updated_sources`` or
    ``mosaic_page_footer``.

    A project without the layout never asked for dates, and the file times of its
    sources (all it has outside Git, as in an sdist) are packaging dates, not edit dates.
    """
    layout = envdata.layout(env)
    if layout is not None and layout.active:
        return True
    return explicitly_set(env.config, LAST_UPDATED_SOURCES) or explicitly_set(
        env.config, PAGE_FOOTER
    )


def compute_dates(
    env: BuildEnvironment, front_matter: dict[str, date]
) -> dict[str, tuple[date, str]]:
    """docname -> (date, source name) for every document that has a date."""
    if not dates_wanted(env):
        logger.verbose(
            "sphinx-mosaic: no last-updated dates (no numbered layout, and "
            "mosaic_last_updated_sources and mosaic_page_footer are not set)"
        )
        return {}
    order = list(option_value(env.config, LAST_UPDATED_SOURCES))
    srcdir = Path(env.srcdir)
    docnames = sorted(env.found_docs)
    sources = {docname: Path(env.doc2path(docname)) for docname in docnames}
    history = None
    if "git" in order:
        wanted = {path.relative_to(srcdir).as_posix() for path in sources.values()}
        history = read_git_history(srcdir, wanted)
    result: dict[str, tuple[date, str]] = {}
    for docname in docnames:
        path = sources[docname]
        for source in order:
            found: date | None = None
            if source == "git" and history is not None:
                found = history.dates.get(path.relative_to(srcdir).as_posix())
            elif source == "front-matter":
                found = front_matter.get(docname)
            elif source == "mtime":
                try:
                    found = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc).date()
                except OSError:
                    found = None
            if found is not None:
                result[docname] = (found, source)
                break
    summary = {source: sum(1 for _d, s in result.values() if s == source) for source in order}
    shallow = " (shallow clone)" if history is not None and history.shallow else ""
    logger.verbose(
        "sphinx-mosaic: last-updated dates%s: %s",
        shallow,
        ", ".join(f"{count} from {source}" for source, count in summary.items()),
    )
    return result


def last_updated(env: BuildEnvironment, docname: str) -> date | None:
    """The last-updated date of a page (None when no source gives one)."""
    dates = envdata.last_updated(env)
    entry = dates.get(docname)
    return entry[0] if entry else None


def format_date(env: BuildEnvironment, when: date) -> str:
    return when.strftime(option_value(env.config, LAST_UPDATED_FORMAT))


class page_footer(nodes.General, nodes.Element):
    """Placeholder for the page footer; replaced at write time (attribute ``docname``)."""


class PageFooter(SphinxPostTransform):
    """Replace footer placeholders with "Last updated: ... · Version: ..."."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        if not envdata.footer_pages(self.env):
            # No document holds a footer: no walk of the tree.  Any document, not this
            # one: LaTeX, singlehtml and texinfo resolve one tree assembled from many.
            return
        release = str(self.config.release or "")
        for placeholder in list(self.document.findall(page_footer)):
            when = last_updated(self.env, placeholder["docname"])
            line = nodes.paragraph(classes=[FOOTER_CLASS])
            if when is not None:
                line += nodes.inline(
                    "",
                    f"{_('Last updated')}: {format_date(self.env, when)}",
                    classes=["mosaic-last-updated"],
                )
            if release:
                if len(line):
                    line += nodes.Text(" · ")
                line += nodes.inline("", f"{_('Version')}: {release}", classes=["mosaic-version"])
            if len(line):
                placeholder.replace_self(line)
            else:
                placeholder.parent.remove(placeholder)


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Give themes the page's own date instead of the build date.

    Only when ``html_last_updated_fmt`` is set, i.e. the project asked its theme
    to show a "Last updated on" line (as sphinx-last-updated-by-git does).
    """
    if doctree is None or app.config.html_last_updated_fmt is None:
        return
    when = last_updated(app.env, pagename)
    if when is not None:
        # The same format and translated month names as Sphinx's own date.
        context["last_updated"] = sphinx_format_date(
            app.config.html_last_updated_fmt or sphinx_("%b %d, %Y"),
            date=datetime(when.year, when.month, when.day, tzinfo=timezone.utc),
            language=app.config.language,
        )


def _skip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


def setup_last_updated(app: Sphinx) -> None:
    declare(*OPTIONS)
    # The placeholder is always replaced by PageFooter; the visitors only keep
    # a build alive should another extension render doctrees before that.
    skip = (_skip, None)
    app.add_node(page_footer, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
    app.add_post_transform(PageFooter)
    app.connect("html-page-context", _page_context)
