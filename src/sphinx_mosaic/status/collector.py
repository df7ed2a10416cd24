"""Collect each page's status and insert its badge under the title.

Per-document data lives in ``env.mosaic_status_pages`` (docname ->
:class:`PageRecord`, reached through :mod:`sphinx_mosaic.envdata`), kept right by
:class:`StatusCollector` on incremental and parallel builds (``clear_doc``,
``merge_other`` of the given docnames only), as are the sets of documents holding a
footer or a status table placeholder: the post-transforms that replace those skip
their walk of every doctree when no document holds one.  After reading, the
"status" rewrite reason in :mod:`sphinx_mosaic.status` computes the last-updated
dates (one Git call) and returns the pages whose output depends on data that
changed: pages whose date changed (footer) and pages whose status tables show
other rows.

The badge is inserted at read time, so the assembled doctrees of LaTeX,
singlehtml and texinfo keep one badge per page.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector

from sphinx_mosaic import envdata
from sphinx_mosaic.chrome import STATUS_LINE
from sphinx_mosaic.config import Option, declare, option_value
from sphinx_mosaic.status.badge import badge_for
from sphinx_mosaic.status.last_updated import PAGE_FOOTER, dates_wanted, page_footer, parse_date
from sphinx_mosaic.status.vocabulary import vocabulary_of
from sphinx_mosaic.warnings import MosaicWarning, warn

STATUS_BADGE = Option(
    "status_badge",
    True,
    "Show the status badge under the title of every page that has a status (off per page "
    "with front matter ``status_badge: false``).",
    types=(bool,),
)

#: This module's options: :func:`setup_collector` declares them, importing the module does not.
OPTIONS = (STATUS_BADGE,)

_FALSE = {"false", "no", "off", "0", "hide", "hidden"}


@dataclass
class PageRecord:
    """What the status component knows about one document."""

    #: The canonical status key, None when unset or unknown.
    status: str | None = None
    #: The status as written (None when the page sets none).
    written: str | None = None
    #: The front matter ``last_updated`` date.
    front_matter_date: date | None = None
    #: The ``book`` option of each status table on the page ("" for the shelf's table).
    tables: list[str] = field(default_factory=list)


def records(env: BuildEnvironment) -> dict[str, PageRecord]:
    return envdata.status_pages(env)


def record_of(env: BuildEnvironment, docname: str) -> PageRecord:
    return records(env).setdefault(docname, PageRecord())


def page_status(env: BuildEnvironment, docname: str) -> str | None:
    """The canonical status key of a page (None when unset or unknown)."""
    record = records(env).get(docname)
    return record.status if record else None


def field_line(path: Path, name: str) -> int | None:
    """The line of field *name* in the front matter or top field list of *path*.

    Docutils keeps no line on bibliographic fields, so warnings find it here.
    """
    pattern = re.compile(rf"^\s*(?::{re.escape(name)}:|{re.escape(name)}\s*:)", re.IGNORECASE)
    try:
        with path.open(encoding="utf-8", errors="replace") as lines:
            for number, line in enumerate(lines, start=1):
                if pattern.match(line):
                    return number
                if number > 200:
                    break
    except OSError:
        return None
    return None


class StatusCollector(EnvironmentCollector):
    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        records(env).pop(docname, None)
        envdata.footer_pages(env).discard(docname)
        envdata.status_table_pages(env).discard(docname)

    def merge_other(
        self,
        app: Sphinx,
        env: BuildEnvironment,
        docnames: AbstractSet[str],
        other: BuildEnvironment,
    ) -> None:
        envdata.merge_docs(records(env), records(other), docnames)
        for placed in (envdata.footer_pages, envdata.status_table_pages):
            placed(env).update(placed(other) & docnames)

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        env = app.env
        docname = env.docname
        metadata: dict[str, Any] = env.metadata.get(docname, {})
        record = record_of(env, docname)
        path = Path(env.doc2path(docname))
        written = metadata.get("status")
        if written is not None:
            record.written = str(written)
            vocabulary = vocabulary_of(env.config)
            record.status = vocabulary.resolve(record.written)
            if record.status is None:
                warn(
                    MosaicWarning.STATUS,
                    f"unknown status {record.written!r}{vocabulary.suggest(record.written)}; "
                    "valid values: "
                    f"{vocabulary.spellings()} (the page counts as having no status)",
                    location=(docname, field_line(path, "status")),
                )
        stamp = metadata.get("last_updated")
        if stamp is not None:
            record.front_matter_date = parse_date(str(stamp))
            if record.front_matter_date is None:
                warn(
                    MosaicWarning.LAST_UPDATED,
                    f"last_updated {str(stamp)!r} is not a date; write it as YYYY-MM-DD",
                    location=(docname, field_line(path, "last_updated")),
                )
        if (
            record.status is not None
            and option_value(env.config, STATUS_BADGE)
            and str(metadata.get("status_badge", "true")).strip().casefold() not in _FALSE
        ):
            insert_badge(doctree, badge_for(vocabulary_of(env.config)[record.status]))
        if (
            option_value(env.config, PAGE_FOOTER)
            and str(metadata.get("page_footer", "true")).strip().casefold() not in _FALSE
            and dates_wanted(env)
        ):
            append_footer(doctree, docname)
            envdata.footer_pages(env).add(docname)


def insert_badge(doctree: nodes.document, badge: nodes.Element) -> None:
    """Put *badge* in its own paragraph right under the page title."""
    line = nodes.paragraph("", "", badge, classes=[STATUS_LINE])
    section = doctree.next_node(nodes.section)
    if section is not None and len(section) and isinstance(section[0], nodes.title):
        section.insert(1, line)
    else:
        doctree.insert(0, line)


def append_footer(doctree: nodes.document, docname: str) -> None:
    """Append the footer placeholder to the page's top section (or the document)."""
    section = doctree.next_node(nodes.section)
    placeholder = page_footer(docname=docname)
    (section if section is not None else doctree).append(placeholder)


def setup_collector(app: Sphinx) -> None:
    declare(*OPTIONS)
    app.add_env_collector(StatusCollector)
