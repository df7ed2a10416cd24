"""``sphinx-mosaic publish OUTPUT``: sync a bookstack build to a BookStack server."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from sphinx_mosaic.publish.errors import PublishError, redact
from sphinx_mosaic.publish.publisher import (
    ENV_TOKEN_ID,
    ENV_TOKEN_SECRET,
    ENV_URL,
    PublishOptions,
    publish,
    settings_from,
)

DESCRIPTION = f"""\
Sync the output of `sphinx-build -b bookstack` to a BookStack server: the shelf,
its books, chapters, pages, images and attachments. The server's state is read
first and the plan printed; --dry-run stops there. Only content that
sphinx-mosaic created (tagged mosaic-project/mosaic-key) is ever changed.
The URL and token id come from the options or {ENV_URL} / {ENV_TOKEN_ID};
the token secret only from {ENV_TOKEN_SECRET}.
"""


def add_server_arguments(parser: argparse.ArgumentParser, *, timeout: bool = True) -> None:
    """The options that say which server to talk to, shared by every command that talks to
    one (``publish``, ``pull``, ``import``): the secret is never one of them."""
    parser.add_argument("--url", help=f"BookStack base URL (default: ${ENV_URL})")
    parser.add_argument("--token-id", help=f"API token id (default: ${ENV_TOKEN_ID})")
    if timeout:
        parser.add_argument(
            "--timeout",
            type=float,
            default=30.0,
            metavar="SECONDS",
            help="per request (default: 30)",
        )


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "publish",
        help="sync a bookstack build to a BookStack server",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("output", type=Path, help="the output folder of a bookstack build")
    add_server_arguments(parser)
    parser.add_argument(
        "--public-url",
        default="",
        metavar="URL",
        help="the URL readers reach the wiki at, for links in pages (default: the URL the "
        "server gives itself where it tells it, else --url)",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the plan, write nothing")
    parser.add_argument(
        "--prune",
        action="store_true",
        help="delete our pages, chapters and books whose sources were removed (to the recycle bin)",
    )
    parser.add_argument(
        "--force", action="store_true", help="rewrite every page even if its hash matches"
    )
    parser.add_argument(
        "--overwrite-wiki-edits",
        action="store_true",
        help="write pages even if they were edited in the wiki since the last publish "
        "(by default such a page is kept, reported, and the run exits with 1)",
    )
    parser.add_argument(
        "--page-notice",
        default="",
        metavar="TEMPLATE",
        help="HTML put at the top of every page, with {source}, {docname}, {key} and {name}, "
        'e.g. \'<p>Generated from Git: <a href="https://git.example/docs/{source}">edit '
        "{source}</a></p>'",
    )
    parser.add_argument(
        "--no-import",
        action="store_true",
        help="create new books page by page instead of through the imports API",
    )
    parser.add_argument(
        "--requests-per-minute",
        type=int,
        default=180,
        metavar="N",
        help="request budget; at most the server's API_REQUESTS_PER_MIN (default: 180)",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=4,
        metavar="N",
        help="requests at once, each in another book (default: 4)",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="list unchanged items in the plan too"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    options = PublishOptions(
        dry_run=args.dry_run,
        prune=args.prune,
        force=args.force,
        use_import=not args.no_import,
        verbose=args.verbose,
        overwrite_wiki_edits=args.overwrite_wiki_edits,
        page_notice=args.page_notice,
        public_url=args.public_url,
    )
    try:
        settings = settings_from(
            args.url,
            args.token_id,
            os.environ,
            requests_per_minute=args.requests_per_minute,
            concurrency=args.concurrency,
            timeout=args.timeout,
        )
        report = publish(args.output, settings, options, out=print)
    except PublishError as exc:
        message = redact(str(exc), [os.environ.get(ENV_TOKEN_SECRET, "")])
        print(f"sphinx-mosaic publish: error: {message}", file=sys.stderr)
        return 1
    return 0 if report.ok else 1
