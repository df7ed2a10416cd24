"""The round trip as the converter's oracle: build to BookStack, import the ZIPs, build again.

The two builds' pages are compared block by block (sphinx_mosaic.wiki.compare): what the
import loses shows up as blocks that differ.  docs/2-user-guide/7-wiki-to-git/4-round-trip.md
publishes the same measures per construct.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.build import CORPUS, CORPUS_CONFIG, build, copy_root

from sphinx_mosaic.wiki.compare import compare
from sphinx_mosaic.wiki.export import read_export
from sphinx_mosaic.wiki.importer import ImportOptions, import_books, write_conf

REPO = Path(__file__).parents[2]

pytestmark = pytest.mark.sphinx


def round_trip(build_dir: Path, tmp: Path, design: bool, shelf: str) -> tuple[Path, list[str]]:
    """Import *build_dir*'s ZIPs into a tree, build it; the second build and the report."""
    manifest = json.loads((build_dir / "manifest.json").read_text())
    books = [read_export(build_dir / entry["zip"]) for entry in manifest["books"]]
    tree = tmp / "imported"
    options = ImportOptions(
        design=design,
        title=shelf,
        description_html=str(manifest.get("shelf", {}).get("description_html") or ""),
    )
    result = import_books(books, tree, options)
    write_conf(tree, shelf, design)
    second, warnings = build(tree, tmp / "second")
    assert warnings == ""  # the imported tree builds with -W
    return second, result.problems


def test_fidelity_root_round_trip(tmp_path: Path) -> None:
    pytest.importorskip("sphinx_design")
    pytest.importorskip("sphinx_tabs")
    pytest.importorskip("sphinx_inline_tabs")
    first, _ = build(copy_root("bookstack-fidelity", tmp_path), tmp_path / "first")
    second, problems = round_trip(first, tmp_path, design=True, shelf="Fidelity")
    result = compare(first, second)
    assert result.missing_pages == []
    # Constructs the import writes back exactly (docs: the round-trip table).
    for construct in ("callout", "details", "heading", "list", "blockquote", "hr", "image"):
        total, same = result.constructs[construct]
        assert same == total, (construct, result.differences)
    # What it approximates, measured: option lists, field lists, links to terms, the
    # reST constructs (the table in the docs lists each); at least 90% stays identical.
    assert result.share >= 0.90, result.differences
    assert any("not a heading" in p or "no block of the page" in p for p in problems)


def test_our_docs_round_trip_keeps_99_percent(tmp_path: Path) -> None:
    first = tmp_path / "first"
    command = [sys.executable, "-m", "sphinx", "-q", "-E", "-b", "bookstack", "-c", "."]
    subprocess.run([*command, "docs", str(first)], cwd=REPO, check=True, capture_output=True)
    second, _problems = round_trip(first, tmp_path, design=False, shelf="sphinx-mosaic")
    result = compare(first, second)
    assert result.missing_pages == []
    assert result.blocks > 500
    assert result.share >= 0.99, [d[:2] for d in result.differences]


@pytest.mark.slow  # the 208-page corpus, built twice: CI runs it, --slow runs it here
def test_corpus_round_trip_keeps_99_percent(tmp_path: Path) -> None:

    source = tmp_path / "src"
    shutil.copytree(CORPUS, source)
    (source / "conf.py").write_text("\n".join(f"{k} = {v!r}" for k, v in CORPUS_CONFIG.items()))
    first, _ = build(source, tmp_path / "first")
    second, _problems = round_trip(first, tmp_path, design=False, shelf="mosaic-sdk")
    result = compare(first, second)
    assert result.missing_pages == []
    assert result.blocks > 5000
    assert result.share >= 0.99, [d[:2] for d in result.differences]
    # every rule comes back, the corpus' rules right before headings included
    rules = result.constructs["hr"]
    assert rules[0] == rules[1] > 100, rules
