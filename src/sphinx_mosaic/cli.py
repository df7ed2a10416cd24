"""The ``sphinx-mosaic`` command line: ``tree``, ``check``, ``publish``, ``import`` and ``pull``.

Each sub-command lives beside the component it drives and registers itself
here through a ``register(subparsers)`` function.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from sphinx_mosaic import __version__

#: Modules that contribute sub-commands, in the order ``--help`` lists them.
COMMAND_MODULES = (
    "sphinx_mosaic.layout.cli",
    "sphinx_mosaic.publish.cli",
    "sphinx_mosaic.wiki.cli",
    "sphinx_mosaic.wiki.pull_cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sphinx-mosaic",
        description="Inspect, check and publish a numbered shelf/book/chapter/page docs tree.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    status: int = args.run(args)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
