"""The sphinx-mosaic command line: tree and check."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers.build import build
from helpers.cli import undocumented_options
from helpers.trees import write_tree

from sphinx_mosaic.cli import main


def test_tree_prints_structure_in_order(rootdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tree", str(rootdir / "test-layout-basic")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:6] == [
        "Shelf  [shelf] README.md",
        "  1. Getting started  [book] 1-getting-started/",
        "    1. Quick start  [chapter] 1-getting-started/1-quick-start/",
        "      1. Overview  [page] 1-getting-started/1-quick-start/1-overview.md",
        "      2. Local Setup  [page] 1-getting-started/1-quick-start/2-local-setup.md",
        "    2. Installation  [page] 1-getting-started/2-installation.md",
    ]
    assert "  Scratchpads  [extra] scratchpads/" in lines


def test_tree_json(rootdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tree", "--json", str(rootdir / "test-layout-broken")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [book["path"] for book in data["shelf"]["children"] if book["kind"] == "book"] == [
        "1-book",
        "2-empty",
    ]
    assert sorted({issue["code"] for issue in data["issues"]}) == [
        "duplicate-number",
        "empty-book",
        "front-matter",
        "outside-book",
        "too-deep",
        "unnumbered",
    ]


def test_tree_rejects_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tree", str(tmp_path / "nope")]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_check_clean_tree_exits_zero(
    rootdir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "docs"
    shutil.copytree(rootdir / "test-layout-basic", src)
    assert main(["check", str(src)]) == 0
    assert capsys.readouterr().out.strip().endswith("is clean")


def test_check_reports_warnings_and_exits_one(
    rootdir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "docs"
    shutil.copytree(rootdir / "test-layout-broken", src)
    assert main(["check", str(src)]) == 1
    out = capsys.readouterr().out
    assert f"{src}/1-book/loose.md:5: WARNING: code block without a language" in out
    assert out.splitlines()[-1] == (
        f"sphinx-mosaic check: 8 warning(s) in {src}: 1 mosaic.ambiguous-name, "
        "1 mosaic.code-language, "
        "1 mosaic.duplicate-number, 1 mosaic.empty-book, 1 mosaic.front-matter, "
        "1 mosaic.outside-book, 1 mosaic.too-deep, 1 mosaic.unnumbered"
    )
    assert not list(src.glob("_build"))  # nothing written into the sources


def test_check_without_conf_py_uses_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "docs/1-book").mkdir(parents=True)
    (tmp_path / "docs/README.md").write_text("# Shelf\n")
    (tmp_path / "docs/1-book/README.md").write_text("# Book\n\n```\nx\n```\n")
    (tmp_path / "docs/1-book/1-page.md").write_text("# Page\n")
    assert main(["check", str(tmp_path / "docs")]) == 1
    assert "1 mosaic.code-language" in capsys.readouterr().out
    assert main(["check", str(tmp_path / "docs"), "-D", "mosaic_require_code_language=0"]) == 0


#: A tree seeded with mistakes that only some builders see: a Mermaid diagram no renderer
#: can draw (bookstack, latex; html without sphinxcontrib-mermaid), a link to a scratchpads
#: page (bookstack: not in any book), plus read-time ones (an unknown status).
SEEDED = {
    "conf.py": (
        'extensions = ["myst_parser", "sphinx_mosaic"]\nproject = "Seeded"\n'
        'mosaic_mermaid_command = "no-such-mmdc"\n'
    ),
    "README.md": "# Shelf\n\nIntro.\n",
    "1-guide/README.md": "# Guide\n\nThe guide.\n",
    "1-guide/1-start.md": (
        "---\nstatus: compelte\n---\n# Start\n\nSee [the notes](../scratchpads/notes.md).\n\n"
        "```mermaid\ngraph TD\n  A --> B\n```\n"
    ),
    "scratchpads/notes.md": "# Notes\n\nWorking notes.\n",
}


def test_check_reports_every_warning_the_builds_give(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sphinx.util.console import strip_colors

    src = write_tree(tmp_path / "docs", SEEDED)
    assert main(["check", str(src)]) == 1
    reported = capsys.readouterr().out
    built: dict[str, set[str]] = {}
    for builder in ("html", "latex", "bookstack"):
        _, warnings = build(src, tmp_path / f"_{builder}", builder)
        built[builder] = {line for line in strip_colors(warnings).splitlines() if "WARNING" in line}
    # Each builder has warnings of its own, and check reports all of them.
    assert any("scratchpads/notes" in line for line in built["bookstack"])
    assert any("Mermaid" in line for line in built["latex"])
    missing = {line for lines in built.values() for line in lines if line not in reported}
    assert missing == set()
    assert not (src / "_build").exists()


def test_check_can_be_limited_to_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_tree(tmp_path / "docs", SEEDED)
    assert main(["check", "-b", "dummy", str(src)]) == 1
    out = capsys.readouterr().out
    assert "unknown status 'compelte'" in out
    assert "Mermaid" not in out  # only a writing builder tries to draw it


@pytest.mark.parametrize("command", ["tree", "check"])
def test_every_option_is_in_the_reference(command: str) -> None:
    assert undocumented_options(command, "1-tree-and-check.md") == []
