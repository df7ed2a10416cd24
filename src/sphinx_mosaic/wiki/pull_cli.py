"""``sphinx-mosaic pull OUTPUT``: bring pages edited in the wiki back into their sources."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from sphinx_mosaic.publish.cli import add_server_arguments
from sphinx_mosaic.publish.errors import PublishError, redact
from sphinx_mosaic.publish.publisher import (
    ENV_TOKEN_ID,
    ENV_TOKEN_SECRET,
    ENV_URL,
    settings_from,
)

DESCRIPTION = f"""\
For each page of a bookstack build that was edited in the wiki since the last
publish, bring the edit into the page's source file: a three-way merge of what
was last published (the page of OUTPUT, or of a --base build, whose content hash
the wiki's page carries), the wiki's page and the source. Only the changed
blocks are touched, in the source's own syntax. A change that cannot be merged
(changed in Git too, or not writable in the source's syntax) is written to
<source>.wiki.md next to the source, and the command exits with 1.
The URL and token id come from the options or {ENV_URL} / {ENV_TOKEN_ID};
the token secret only from {ENV_TOKEN_SECRET}.
"""


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "pull",
        help="bring pages edited in the wiki back into their source files",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("output", type=Path, help="the output folder of a bookstack build")
    parser.add_argument(
        "--source-dir",
        type=Path,
        default=Path(),
        metavar="DIR",
        help="the Sphinx source folder the build was made from (default: the current folder)",
    )
    parser.add_argument(
        "--base",
        type=Path,
        action="append",
        default=[],
        metavar="OUTPUT",
        help="another bookstack build to find what was last published in, e.g. the build of "
        "the last published commit (repeatable)",
    )
    add_server_arguments(parser)
    parser.add_argument(
        "--dry-run", action="store_true", help="print the changes as a diff, write nothing"
    )
    parser.add_argument(
        "--page-notice",
        default="",
        metavar="TEMPLATE",
        help="the --page-notice the publish used (it is part of what was published)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from sphinx_mosaic.wiki.pull import PullOptions, pull

    options = PullOptions(
        source_dir=args.source_dir,
        bases=tuple(args.base),
        dry_run=args.dry_run,
        page_notice=args.page_notice,
    )
    try:
        settings = settings_from(args.url, args.token_id, os.environ, timeout=args.timeout)
        report = pull(args.output, settings, options, out=print)
    except PublishError as exc:
        message = redact(str(exc), [os.environ.get(ENV_TOKEN_SECRET, "")])
        print(f"sphinx-mosaic pull: error: {message}", file=sys.stderr)
        return 1
    return 0 if report.ok else 1
