"""The read doctrees a serial build keeps in memory for its write phase, and the
long-lived objects frozen out of the garbage collector (mosaic.memory)."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from helpers.build import build, copy_root, output_files


def _build(
    srcdir: Path, outdir: Path, probes: Iterable[tuple[str, Callable[..., None]]], **overrides: Any
) -> Path:
    """Build *srcdir* as html with *probes* ((event, handler) pairs, run after every
    handler of ours) connected; returns the output folder."""
    return build(srcdir, outdir, "html", connect=probes, confoverrides=overrides).outdir


def _held(srcdir: Path, outdir: Path, **overrides: Any) -> tuple[Path, list[int]]:
    """The output, and the doctrees held in memory at write-started."""
    held: list[int] = []

    def probe(app: Any, builder: Any) -> None:
        held.append(len(app.env._write_doc_doctree_cache))

    return _build(srcdir, outdir, [("write-started", probe)], **overrides), held


@pytest.mark.parametrize(("limit", "expected"), [(0, 0), (3, 3), (-1, None)])
def test_a_serial_build_keeps_at_most_the_limit_and_writes_the_same_pages(
    tmp_path: Path, limit: int, expected: int | None
) -> None:
    srcdir = copy_root("bookstack", tmp_path)
    documents = len([p for p in srcdir.rglob("*") if p.suffix in (".md", ".rst")])
    everything, (held_all,) = _held(srcdir, tmp_path / "all", mosaic_doctrees_in_memory=-1)
    assert held_all == documents > 3  # Sphinx's own behaviour: every page read
    bounded, (held,) = _held(srcdir, tmp_path / "bounded", mosaic_doctrees_in_memory=limit)
    assert held == (documents if expected is None else expected)
    assert output_files(bounded) == output_files(everything)


def _freeze_counts(srcdir: Path, outdir: Path, **overrides: Any) -> tuple[Path, dict[str, int]]:
    """The output, and the objects frozen when the write phase starts (after our
    handler) and once the build is over."""
    counts: dict[str, int] = {}

    def probe(app: Any, builder: Any) -> None:
        counts.setdefault("writing", gc.get_freeze_count())

    outdir = _build(srcdir, outdir, [("write-started", probe)], **overrides)
    counts["after"] = gc.get_freeze_count()
    return outdir, counts


def test_the_build_freezes_its_long_lived_objects_and_hands_them_back(tmp_path: Path) -> None:
    srcdir = copy_root("bookstack", tmp_path)
    assert gc.get_freeze_count() == 0
    frozen, counts = _freeze_counts(srcdir, tmp_path / "frozen")
    # The environment and everything else alive at write-started is out of the
    # collector's reach while the pages are written, and back once the build ends.
    assert counts["writing"] > 10_000
    assert counts["after"] == 0
    plain, counts = _freeze_counts(srcdir, tmp_path / "plain", mosaic_gc_freeze=False)
    assert counts == {"writing": 0, "after": 0}
    assert output_files(frozen) == output_files(plain)


def test_objects_someone_else_froze_are_left_frozen(tmp_path: Path) -> None:
    gc.freeze()  # as a host process that forks workers would
    try:
        before = gc.get_freeze_count()
        assert before > 0
        _, counts = _freeze_counts(copy_root("bookstack", tmp_path), tmp_path / "site")
        # No freeze of ours (it would add the build's objects, and be handed back with
        # theirs) and no unfreeze (frozen objects that die still leave the count).
        assert before // 2 < counts["writing"] <= before
        assert before // 2 < counts["after"] <= counts["writing"]
    finally:
        gc.unfreeze()


def test_nothing_is_frozen_while_the_collector_is_off(tmp_path: Path) -> None:
    gc.disable()
    try:
        _, counts = _freeze_counts(copy_root("bookstack", tmp_path), tmp_path / "site")
    finally:
        gc.enable()
    assert counts == {"writing": 0, "after": 0}


def test_reading_and_writing_freeze_every_few_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sphinx_mosaic.performance import memory

    monkeypatch.setattr(memory, "FREEZE_EVERY", 2)
    read: list[int] = []
    written: list[int] = []
    # The count each page is read with, and written with.
    _build(
        copy_root("bookstack", tmp_path),
        tmp_path / "site",
        [
            ("source-read", lambda *args: read.append(gc.get_freeze_count())),
            ("doctree-resolved", lambda *args: written.append(gc.get_freeze_count())),
        ],
    )
    assert len(read) == len(written) > 4
    assert read[0] == 0  # the first page: nothing frozen yet
    assert read[1] > 10_000  # the second: frozen after a collection
    # Frozen at write-started, then again at the second page written: what the build
    # made since (the first page's output and what stays from it) joins the frozen.
    assert written[1] > written[0] > read[-1]
    assert gc.get_freeze_count() == 0
