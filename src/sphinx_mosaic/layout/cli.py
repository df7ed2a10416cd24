"""``sphinx-mosaic tree`` and ``sphinx-mosaic check``.

``tree`` prints the structure the layout model finds (``--json`` for tools);
``check`` runs a full Sphinx read with the ``dummy`` builder, so every check
the build makes (structure, writing, status, paths, links) runs, and writes
no output.  It exits with status 1 when there are warnings.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter
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
    tree.set_defaults(run=run_tree)

    check = subparsers.add_parser(
        "check",
        help="run the build's checks without writing output; exit 1 on warnings",
    )
    check.add_argument("docs", type=Path, help="the Sphinx source folder (the shelf)")
    check.add_argument(
        "-c",
        "--conf-dir",
        type=Path,
        default=None,
        help="folder of conf.py (default: DOCS, else the nearest parent holding conf.py)",
    )
    check.add_argument(
        "-D",
        dest="overrides",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a configuration value, as sphinx-build -D",
    )
    check.set_defaults(run=run_check)


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


def run_tree(args: argparse.Namespace) -> int:
    docs: Path = args.docs
    if not docs.is_dir():
        print(f"sphinx-mosaic tree: {docs} is not a folder", file=sys.stderr)
        return 2
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
    from sphinx.application import Sphinx
    from sphinx.util.console import nocolor
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    nocolor()  # warnings are parsed for their subtype and printed as plain lines

    docs: Path = args.docs.resolve()
    if not docs.is_dir():
        print(f"sphinx-mosaic check: {docs} is not a folder", file=sys.stderr)
        return 2
    conf_dir = args.conf_dir.resolve() if args.conf_dir else find_conf_dir(docs)
    overrides: dict[str, Any] = {}
    if conf_dir is None:
        overrides["extensions"] = ["myst_parser", "sphinx_mosaic"]
    for item in args.overrides:
        name, _, value = item.partition("=")
        overrides[name] = value
    warnings = StringIO()
    with tempfile.TemporaryDirectory() as out, patch_docutils(conf_dir), docutils_namespace():
        app = Sphinx(
            str(docs),
            str(conf_dir) if conf_dir else None,
            str(Path(out) / "out"),
            str(Path(out) / "doctrees"),
            "dummy",
            confoverrides=overrides,
            status=None,
            warning=warnings,
            freshenv=True,
            keep_going=True,
        )
        app.build(force_all=True)
    lines = [line for line in warnings.getvalue().splitlines() if line.strip()]
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
