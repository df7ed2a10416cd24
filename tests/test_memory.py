"""The read doctrees a serial build keeps in memory for its write phase (mosaic.memory)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp
from test_bookstack import copy_root
from test_bookstack_build import output_files


def _build(srcdir: Path, outdir: Path, **overrides: Any) -> tuple[Path, list[int]]:
    """Build *srcdir* as html; returns the output and the doctrees held at write-started."""
    held: list[int] = []
    app = SphinxTestApp(
        "html",
        srcdir=srcdir,
        builddir=outdir,
        status=StringIO(),
        warning=StringIO(),
        confoverrides=overrides,
    )
    app.connect(
        "write-started",
        lambda app, builder: held.append(len(app.env._write_doc_doctree_cache)),
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return Path(app.outdir), held


@pytest.mark.parametrize(("limit", "expected"), [(0, 0), (3, 3), (-1, None)])
def test_a_serial_build_keeps_at_most_the_limit_and_writes_the_same_pages(
    tmp_path: Path, limit: int, expected: int | None
) -> None:
    srcdir = copy_root("bookstack", tmp_path)
    documents = len([p for p in srcdir.rglob("*") if p.suffix in (".md", ".rst")])
    everything, (held_all,) = _build(srcdir, tmp_path / "all", mosaic_doctrees_in_memory=-1)
    assert held_all == documents > 3  # Sphinx's own behaviour: every page read
    bounded, (held,) = _build(srcdir, tmp_path / "bounded", mosaic_doctrees_in_memory=limit)
    assert held == (documents if expected is None else expected)
    assert output_files(bounded) == output_files(everything)
