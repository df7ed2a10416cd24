"""The command line's options against their reference pages."""

from __future__ import annotations

import argparse
from pathlib import Path

from sphinx_mosaic.cli import build_parser

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "3-reference" / "4-command-line"


def options_of(command: str) -> list[str]:
    """The long options of ``sphinx-mosaic <command>``, ``--help`` left out."""
    (commands,) = (a for a in build_parser()._actions if a.dest == "command")
    assert isinstance(commands, argparse._SubParsersAction)
    parser = commands.choices[command]
    return [
        option
        for action in parser._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    ]


def undocumented_options(command: str, page: str) -> list[str]:
    """The long options of *command* that *page* (a file of the command-line reference)
    never names as code (`` `--option`` ``)."""
    text = (REFERENCE / page).read_text(encoding="utf-8")
    options = options_of(command)
    assert options, f"sphinx-mosaic {command} has no long option: nothing would be checked"
    return [option for option in options if f"`{option}" not in text]
