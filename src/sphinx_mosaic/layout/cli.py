"""``sphinx-mosaic tree`` and ``sphinx-mosaic check``.

``tree`` prints the structure the layout model finds (``--json`` for tools);
``tree --bookstack`` reads the project with Sphinx and prints the BookStack
books it maps to, from whichever source the build would use (layout or toctree);
``check`` builds the project with the builders CI uses (``html``, ``latex`` and
``bookstack`` by default) into a temporary folder, so every warning those
builds give is reported: the checks made while reading (structure, writing,
status, paths, links) and those made while writing one format (a diagram no
renderer can draw, a link BookStack cannot follow).  The sources are read
once: the builders after the first reuse its environment.  Nothing is
published and nothing is written beside the sources.  It exits with status 1
when there are warnings.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

from sphinx_mosaic.layout.model import Folder, Layout, Page, discover

_SUBTYPE = re.compile(r"\[(mosaic\.[a-z-]+|[a-z_]+\.[a-z_]+)\]\s*$")


def register(subparsers: Any) -> None:
    tree = subparsers.add_parser(
        "tree", help="print the shelf / book / chapter / page structure of a docs folder"
    )
    tree.add_argument("docs", type=Path, help="the Sphinx source folder (the shelf)")
    tree.add_argument("--json", action="store_true", help="print the model as JSON")
    tree.add_argument(
        "--unnumbered-folders",
        choices=("after", "hidden", "drop", "books"),
        default="after",
        help="how to treat unnumbered top-level folders (as mosaic_unnumbered_folders)",
    )
    tree.add_argument(
        "--unnumbered-books",
        choices=("auto", "never"),
        default="auto",
        help="whether unnumbered top-level folders holding numbered pages are books "
        "(as mosaic_unnumbered_books)",
    )
    tree.add_argument(
        "--strip-title-numbers", action="store_true", help="as mosaic_strip_title_numbers"
    )
    tree.add_argument(
        "--bookstack",
        action="store_true",
        help="read the project with Sphinx and show its BookStack shelf, books, chapters and "
        "pages (numbered layout or toctree, as mosaic_bookstack_source chooses)",
    )
    _conf_arguments(tree)
    tree.set_defaults(run=run_tree)

    check = subparsers.add_parser(
        "check",
        help="run the build's checks without writing output; exit 1 on warnings",
    )
    check.add_argument("docs", type=Path, help="the Sphinx source folder (the shelf)")
    check.add_argument(
        "-b",
        "--builder",
        dest="builders",
        action="append",
        default=None,
        metavar="NAME",
        help="a builder whose warnings to report; repeat for several (default: "
        + ", ".join(CHECK_BUILDERS)
        + "; 'dummy' reads only)",
    )
    _conf_arguments(check)
    check.set_defaults(run=run_check)


#: What ``check`` builds by default: the outputs a sphinx-mosaic CI builds with -W.
CHECK_BUILDERS = ("html", "latex", "bookstack")


def _conf_arguments(parser: Any) -> None:
    parser.add_argument(
        "-c",
        "--conf-dir",
        type=Path,
        default=None,
        help="folder of conf.py (default: DOCS, else the nearest parent holding conf.py)",
    )
    parser.add_argument(
        "-D",
        dest="overrides",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a configuration value, as sphinx-build -D",
    )


def render_tree(layout: Layout) -> str:
    lines: list[str] = []

    def label(node: Folder | Page) -> str:
        number = f"{node.number}. " if node.number is not None else ""
        where = node.source if isinstance(node, Page) else f"{node.path}/"
        return f"{number}{node.title}  [{node.kind}] {where}"

    def walk(folder: Folder, depth: int) -> None:
        for child in folder.children:
            lines.append("  " * depth + label(child))
            if isinstance(child, Folder):
                walk(child, depth + 1)

    root = layout.root
    lines.append(f"{root.title}  [shelf] {root.index.source if root.index else '(no index)'}")
    walk(root, 1)
    if not layout.active:
        lines.append("(no numbered folders: sphinx-mosaic leaves this project's navigation alone)")
    for issue in layout.issues:
        where = f"{issue.path}:{issue.line}" if issue.line else issue.path
        lines.append(f"warning: {where}: {issue.message} [mosaic.{issue.code}]")
    return "\n".join(lines)


def render_shelf(shelf: Any) -> str:
    """The BookStack mapping: shelf, books (with their ZIP), chapters, pages."""
    from sphinx_mosaic.bookstack.format.model import Chapter

    def page_line(page: Any, depth: int) -> str:
        kind = "index page" if page.is_index else "page"
        return f"{'  ' * depth}{page.name}  [{kind}] {page.source}"

    lines = [
        f"{shelf.name}  [shelf] {shelf.docname or '(no root page)'}  (from the {shelf.source})"
    ]
    for book in shelf.books:
        lines.append(f"  {book.name}  [book {book.key}] books/{book.file_stem}.zip")
        for entry in book.contents:
            if isinstance(entry, Chapter):
                lines.append(f"    {entry.name}  [chapter {entry.key}] {entry.source or ''}")
                lines.extend(page_line(page, 3) for page in entry.pages)
            else:
                lines.append(page_line(entry, 2))
    if not shelf.books:
        lines.append("  (no books)")
    return "\n".join(line.rstrip() for line in lines)


def shelf_dict(shelf: Any) -> dict[str, Any]:
    from sphinx_mosaic.bookstack.format.model import Chapter

    def page(p: Any) -> dict[str, Any]:
        return {
            "kind": "page",
            "key": p.key,
            "name": p.name,
            "docname": p.docname,
            "source": p.source,
            "index": p.is_index,
        }

    return {
        "source": shelf.source,
        "shelf": {"name": shelf.name, "docname": shelf.docname},
        "books": [
            {
                "key": book.key,
                "name": book.name,
                "docname": book.docname,
                "zip": f"books/{book.file_stem}.zip",
                "contents": [
                    {
                        "kind": "chapter",
                        "key": e.key,
                        "name": e.name,
                        "docname": e.docname,
                        "pages": [page(p) for p in e.pages],
                    }
                    if isinstance(e, Chapter)
                    else page(e)
                    for e in book.contents
                ],
            }
            for book in shelf.books
        ],
    }


def _read_project(
    docs: Path,
    args: argparse.Namespace,
    warnings: Any,
    then: Callable[[Any], Any] | None = None,
    builders: tuple[str, ...] = ("dummy",),
) -> Any:
    """Build *docs* with each of *builders* in turn, into a temporary folder.

    The first builder reads the sources; the others reuse its environment
    (one doctree folder), so they only write.  Returns what *then* returns
    for the last application, before the temporary folders are removed.
    """
    from sphinx.application import Sphinx

    from sphinx_mosaic.publish.after_build import PUBLISH

    conf_dir = args.conf_dir.resolve() if args.conf_dir else find_conf_dir(docs)
    # A check publishes nothing, whatever conf.py says.
    overrides: dict[str, Any] = {PUBLISH.key: False}
    if conf_dir is None:
        overrides["extensions"] = ["myst_parser", "sphinx_mosaic"]
    for item in args.overrides:
        name, _, value = item.partition("=")
        overrides[name] = value
    result = None
    with tempfile.TemporaryDirectory() as out:
        for index, builder in enumerate(builders):
            from sphinx.util.docutils import docutils_namespace, patch_docutils

            with patch_docutils(conf_dir), docutils_namespace():
                app = Sphinx(
                    str(docs),
                    str(conf_dir) if conf_dir else None,
                    str(Path(out) / builder),
                    str(Path(out) / "doctrees"),
                    builder,
                    confoverrides=overrides,
                    status=None,
                    warning=warnings,
                    freshenv=index == 0,
                    keep_going=True,
                )
                app.build(force_all=True)
                result = then(app) if then is not None else None
    return result


def run_tree(args: argparse.Namespace) -> int:
    docs: Path = args.docs
    if not docs.is_dir():
        print(f"sphinx-mosaic tree: {docs} is not a folder", file=sys.stderr)
        return 2
    if args.bookstack:
        from sphinx.util.console import nocolor

        nocolor()
        warnings = StringIO()
        from sphinx_mosaic.bookstack.mapping import shelf_skeleton

        shelf, issues = _read_project(
            docs.resolve(), args, warnings, lambda app: shelf_skeleton(app.env)
        )
        if args.json:
            print(json.dumps(shelf_dict(shelf), indent=2, ensure_ascii=False))
            return 0
        print(render_shelf(shelf))
        for issue in issues:
            print(f"warning: {issue.docname}: {issue.message} [mosaic.{issue.subtype}]")
        return 0
    layout = discover(
        docs,
        unnumbered=args.unnumbered_folders,
        strip_title_numbers=args.strip_title_numbers,
        unnumbered_books=args.unnumbered_books,
    )
    if args.json:
        print(json.dumps(layout.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(render_tree(layout))
    return 0


def find_conf_dir(docs: Path) -> Path | None:
    for folder in [docs, *docs.resolve().parents]:
        if (folder / "conf.py").is_file():
            return folder
        if (folder / ".git").exists():
            break
    return None


def run_check(args: argparse.Namespace) -> int:
    from sphinx.util.console import nocolor

    nocolor()  # warnings are parsed for their subtype and printed as plain lines

    docs: Path = args.docs.resolve()
    if not docs.is_dir():
        print(f"sphinx-mosaic check: {docs} is not a folder", file=sys.stderr)
        return 2
    warnings = StringIO()
    builders = tuple(dict.fromkeys(args.builders or CHECK_BUILDERS))
    _read_project(docs, args, warnings, builders=builders)
    # A warning made while reading (or at the consistency check, which every build runs)
    # is the same line from each builder: report it once.
    lines = list(dict.fromkeys(line for line in warnings.getvalue().splitlines() if line.strip()))
    for line in lines:
        print(line)
    counts = Counter(
        match.group(1) if (match := _SUBTYPE.search(line)) else "other"
        for line in lines
        if "WARNING" in line or "ERROR" in line
    )
    total = sum(counts.values())
    if total:
        summary = ", ".join(f"{count} {name}" for name, count in sorted(counts.items()))
        print(f"sphinx-mosaic check: {total} warning(s) in {docs}: {summary}")
        return 1
    print(f"sphinx-mosaic check: {docs} is clean")
    return 0
