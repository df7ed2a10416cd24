"""``sphinx-mosaic import``: BookStack ZIP exports to a numbered MyST tree."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sphinx_mosaic.publish.cli import add_server_arguments

DESCRIPTION = """\
Turn BookStack books into a numbered MyST docs tree in sphinx-mosaic's layout.
SOURCE is a book's ZIP export (BookStack's "Portable ZIP" export, v24.12+), a
folder of such ZIPs (imported in name order), or the output folder of a
`sphinx-build -b bookstack` build (its manifest.json gives the shelf and the
books' order). With --book or --shelf the books are exported from a BookStack
server through its API instead (v25.07+; URL and token as for publish).
Books, chapters and pages are numbered from their order in BookStack;
everything that did not convert is listed, with its page, and the command
then exits with 1 (the tree is written all the same).
"""


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "import",
        help="turn BookStack ZIP exports into a numbered MyST tree",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("sources", nargs="*", type=Path, metavar="SOURCE")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the folder to write")
    parser.add_argument(
        "--title", default="", help="the shelf's name, for the root README.md (default: Wiki)"
    )
    parser.add_argument(
        "--sphinx-design",
        action="store_true",
        help="write collapsible blocks as sphinx-design dropdowns (default: admonitions "
        "with :class: dropdown, which need no extension)",
    )
    parser.add_argument(
        "--force", action="store_true", help="write into an output folder that is not empty"
    )
    parser.add_argument("--report", type=Path, help="also write the report to this file")
    parser.add_argument(
        "--book",
        action="append",
        default=[],
        metavar="ID_OR_SLUG",
        help="export this book from the server (repeatable; after the --shelf's books)",
    )
    parser.add_argument(
        "--shelf",
        metavar="ID_OR_SLUG",
        help="export the books of this shelf from the server, in the shelf's order; its name "
        "and description give the root README.md",
    )
    add_server_arguments(parser, timeout=False)
    parser.set_defaults(run=run)


def _zips(sources: list[Path]) -> tuple[list[Path], dict[str, Any]]:
    """The ZIPs to import, in order, and the shelf from a build's manifest (if any)."""
    zips: list[Path] = []
    shelf: dict[str, Any] = {}
    for source in sources:
        manifest = source / "manifest.json"
        if source.is_dir() and manifest.is_file():
            data = json.loads(manifest.read_text(encoding="utf-8"))
            shelf = data.get("shelf") or {}
            zips.extend(source / str(book["zip"]) for book in data.get("books", []))
        elif source.is_dir():
            zips.extend(sorted(source.glob("*.zip")))
        else:
            zips.append(source)
    return zips, shelf


def _from_server(args: argparse.Namespace) -> tuple[list[Any], dict[str, Any]]:
    """The books exported from the server, and the shelf's name and description."""
    import os

    from sphinx_mosaic.publish.errors import PublishError
    from sphinx_mosaic.publish.publisher import settings_from
    from sphinx_mosaic.wiki.api import export_client, read_server
    from sphinx_mosaic.wiki.export import ExportError

    try:
        client = export_client(settings_from(args.url, args.token_id, os.environ))
        try:
            shelf = read_server(client, list(args.book), args.shelf)
        finally:
            client.close()
    except PublishError as exc:
        raise ExportError(str(exc)) from None
    return shelf.books, {"name": shelf.name, "description_html": shelf.description_html}


def run(args: argparse.Namespace) -> int:
    from sphinx_mosaic.wiki.export import ExportError, read_export
    from sphinx_mosaic.wiki.importer import ImportOptions, import_books, write_conf

    out: Path = args.output
    if out.exists() and any(out.iterdir()) and not args.force:
        print(f"error: {out} is not empty (use --force to write into it)", file=sys.stderr)
        return 2
    from_server = bool(args.book or args.shelf)
    if from_server == bool(args.sources):
        print(
            "error: give ZIP exports (SOURCE) or --book/--shelf to read a server, not both",
            file=sys.stderr,
        )
        return 2
    try:
        if from_server:
            books, shelf = _from_server(args)
        else:
            zips, shelf = _zips(args.sources)
            if not zips:
                print(
                    "error: no ZIP export found in " + ", ".join(map(str, args.sources)),
                    file=sys.stderr,
                )
                return 2
            books = [read_export(path) for path in zips]
    except (ExportError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    options = ImportOptions(
        design=args.sphinx_design,
        title=args.title or str(shelf.get("name") or ""),
        description_html=str(shelf.get("description_html") or ""),
    )
    out.mkdir(parents=True, exist_ok=True)
    result = import_books(books, out, options)
    write_conf(out, options.title or "Wiki", options.design)
    lines = [f"imported {len(books)} book(s), {result.pages} page(s) into {out}"]
    if result.problems:
        lines.append(f"{len(result.problems)} thing(s) did not convert exactly:")
        lines.extend(f"  {p}" for p in result.problems)
    report = "\n".join(lines) + "\n"
    sys.stdout.write(report)
    if args.report:
        args.report.write_text(report, encoding="utf-8")
    return 1 if result.problems else 0
