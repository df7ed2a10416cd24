"""Publishing at the end of a ``bookstack`` build: the ``mosaic_publish*`` options.

Off by default.  The token secret is never an option: it is read from
``BOOKSTACK_TOKEN_SECRET`` only, so it cannot end up in ``conf.py`` or in a log.
"""

from __future__ import annotations

import os
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from sphinx_mosaic.config import Option, declare, option_value
from sphinx_mosaic.warnings import MosaicWarning, warn

logger = logging.getLogger(__name__)


def _at_least_one(value: object) -> str | None:
    return "must be at least 1" if isinstance(value, int) and value < 1 else None


PUBLISH = Option(
    "publish",
    False,
    "Publish the output to a BookStack server at the end of a successful ``bookstack`` "
    "build (``-D mosaic_publish=1`` turns it on for one run).",
    rebuild="",
    types=(bool,),
)

PUBLISH_URL = Option(
    "publish_url",
    "",
    "The BookStack base URL; empty means the ``BOOKSTACK_URL`` environment variable.",
    rebuild="",
    types=(str,),
)

PUBLISH_PUBLIC_URL = Option(
    "publish_public_url",
    "",
    "The URL readers reach the wiki at, used in the links of published pages; empty "
    "means the URL the server gives itself (``/api/system`` on BookStack v25.05+, or the "
    "URLs its search returns), else ``mosaic_publish_url``. Set it when the build reaches "
    "the wiki by another address than readers do.",
    rebuild="",
    types=(str,),
)

PUBLISH_TOKEN_ID = Option(
    "publish_token_id",
    "",
    "The API token id; empty means ``BOOKSTACK_TOKEN_ID``. The secret is read from "
    "``BOOKSTACK_TOKEN_SECRET`` only.",
    rebuild="",
    types=(str,),
)

PUBLISH_DRY_RUN = Option(
    "publish_dry_run",
    False,
    "Read the server and print the plan, but write nothing.",
    rebuild="",
    types=(bool,),
)

PUBLISH_PRUNE = Option(
    "publish_prune",
    False,
    "Delete pages, chapters and books that sphinx-mosaic published before and whose "
    "sources are gone (they go to BookStack's recycle bin).",
    rebuild="",
    types=(bool,),
)

PUBLISH_OVERWRITE_WIKI_EDITS = Option(
    "publish_overwrite_wiki_edits",
    False,
    "Write pages even if they were edited in the wiki since the last publish; by default "
    "such a page is kept and reported, and the publish fails.",
    rebuild="",
    types=(bool,),
)

PUBLISH_PAGE_NOTICE = Option(
    "publish_page_notice",
    "",
    "HTML put at the top of every published page, for example a link to edit its source: "
    "``{source}`` (the source file), ``{docname}``, ``{key}`` (number-free name) and "
    "``{name}`` are replaced. Empty: no notice.",
    rebuild="",
    types=(str,),
)

PUBLISH_IMPORT = Option(
    "publish_import",
    True,
    "Create new books through the imports API (BookStack v25.07+) in a few requests.",
    rebuild="",
    types=(bool,),
)

PUBLISH_REQUESTS_PER_MINUTE = Option(
    "publish_requests_per_minute",
    180,
    "The request budget; keep it at or under the server's ``API_REQUESTS_PER_MIN``.",
    rebuild="",
    types=(int,),
    check=_at_least_one,
)

PUBLISH_CONCURRENCY = Option(
    "publish_concurrency",
    4,
    "How many requests run at once, each in another book (within the budget).",
    rebuild="",
    types=(int,),
    check=_at_least_one,
)

#: This module's options: :func:`setup_publish` declares them, importing the module does not.
OPTIONS = (
    PUBLISH,
    PUBLISH_URL,
    PUBLISH_PUBLIC_URL,
    PUBLISH_TOKEN_ID,
    PUBLISH_DRY_RUN,
    PUBLISH_PRUNE,
    PUBLISH_OVERWRITE_WIKI_EDITS,
    PUBLISH_PAGE_NOTICE,
    PUBLISH_IMPORT,
    PUBLISH_REQUESTS_PER_MINUTE,
    PUBLISH_CONCURRENCY,
)


def publish_after_build(app: Sphinx, outdir: Path) -> None:
    """Publish *outdir* when ``mosaic_publish`` is on; problems become warnings."""
    config = app.config
    if not option_value(config, PUBLISH):
        return
    # Imported here: a build that does not publish never loads the HTTP stack.
    from sphinx_mosaic.publish.errors import PublishError, redact
    from sphinx_mosaic.publish.publisher import PublishOptions, publish, settings_from

    options = PublishOptions(
        dry_run=option_value(config, PUBLISH_DRY_RUN),
        prune=option_value(config, PUBLISH_PRUNE),
        use_import=option_value(config, PUBLISH_IMPORT),
        overwrite_wiki_edits=option_value(config, PUBLISH_OVERWRITE_WIKI_EDITS),
        page_notice=option_value(config, PUBLISH_PAGE_NOTICE),
        public_url=option_value(config, PUBLISH_PUBLIC_URL),
    )
    try:
        settings = settings_from(
            option_value(config, PUBLISH_URL),
            option_value(config, PUBLISH_TOKEN_ID),
            os.environ,
            requests_per_minute=option_value(config, PUBLISH_REQUESTS_PER_MINUTE),
            concurrency=option_value(config, PUBLISH_CONCURRENCY),
        )
        report = publish(Path(outdir), settings, options, out=logger.info)
    except PublishError as exc:
        secrets = [os.environ.get("BOOKSTACK_TOKEN_SECRET", "")]
        warn(MosaicWarning.PUBLISH, redact(f"publishing to BookStack failed: {exc}", secrets))
        return
    for error in report.result.errors:
        warn(MosaicWarning.PUBLISH, redact(error, settings.secrets))
    if not options.overwrite_wiki_edits:
        for edit in report.wiki_edits:
            warn(
                MosaicWarning.PUBLISH,
                redact(f"page {edit.name!r}: {edit.describe()}; not overwritten", settings.secrets),
            )


def _on_build_finished(app: Sphinx, exception: BaseException | None) -> None:
    if exception is None and app.builder.name == "bookstack":
        publish_after_build(app, Path(app.outdir))


def setup_publish(app: Sphinx) -> None:
    """Publish at the end of a successful ``bookstack`` build when ``mosaic_publish`` is on."""
    declare(*OPTIONS)
    app.connect("build-finished", _on_build_finished)
