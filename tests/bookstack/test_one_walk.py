"""The BookStack builder walks each page it writes once.

What it must know of a page before writing it (the elements with ids, the
paragraphs that hold blocks, the node classes nothing renders, the file of a
glob image) comes from one walk of the doctree and from the translation itself:
each extra walk of every page was about 1% of the write phase on the real
projects' docs (``python -m benchmarks.bookstack_write``).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Any

from docutils import nodes
from helpers.build import build, copy_root
from helpers.trees import write_tree

#: The functions that walk a whole tree: docutils' and ours.
WALKS = {("findall", "docutils.nodes"), ("elements", "sphinx_mosaic.walk")}


def _walks_of_the_builder(tmp_path: Path, root: str, **options: Any) -> tuple[Counter[str], str]:
    """Per written page, the whole-page walks the bookstack builder's modules started
    while writing (Sphinx's resolution and our post-transforms are not the builder).
    *root*: a test root's name, or the absolute path of a source folder."""
    walks: Counter[str] = Counter()
    current: list[str] = []
    # A generator's frame reports a call each time it resumes: count each frame once
    # (held, so that no later frame gets its id).
    frames: dict[int, FrameType] = {}

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event != "call":
            return
        code = frame.f_code
        if (code.co_name, frame.f_globals.get("__name__")) not in WALKS or id(frame) in frames:
            return
        frames[id(frame)] = frame
        first = frame.f_locals.get("self", frame.f_locals.get("node"))
        caller = frame.f_back
        module = caller.f_globals.get("__name__", "") if caller is not None else ""
        if isinstance(first, nodes.document) and module.startswith("sphinx_mosaic.bookstack"):
            walks[current[-1] if current else "?"] += 1

    def started(app: Any, builder: Any) -> None:
        original = builder.write_doc_serialized

        def noted(docname: str, doctree: nodes.document) -> None:
            current.append(docname)
            walks[docname] += 0  # every written page is counted, a page walked never too
            original(docname, doctree)

        builder.write_doc_serialized = noted
        sys.setprofile(profile)

    def finished(app: Any, exception: object) -> None:
        sys.setprofile(None)

    srcdir = Path(root) if Path(root).is_absolute() else copy_root(root, tmp_path)
    try:
        _outdir, warnings = build(
            srcdir,
            tmp_path / "_build",
            connect=[("write-started", started), ("build-finished", finished)],
            **options,
        )
    finally:
        sys.setprofile(None)
    return walks, warnings


def test_each_written_page_is_walked_once(tmp_path: Path) -> None:
    # reST with glob images, API descriptions, raw HTML ("?" is the books' mapping, made
    # once per build before the first page).
    walks, _warnings = _walks_of_the_builder(tmp_path, "bookstack-rst")
    pages = {docname: count for docname, count in walks.items() if docname != "?"}
    assert len(pages) >= 3 and set(pages.values()) == {1}, walks


def test_a_page_whose_paragraphs_are_unnested_is_walked_again(tmp_path: Path) -> None:
    """Unnesting a paragraph that holds blocks (a multi-paragraph field) changes the tree:
    that page alone is walked a second time, for its ids."""
    files = {
        "conf.py": 'extensions = ["sphinx_mosaic"]\nproject = "Fields"\n',
        "index.rst": "Fields\n======\n\n.. toctree::\n\n   api\n   plain\n",
        "api.rst": (
            "API\n===\n\n.. py:function:: f(x)\n\n   Do it.\n\n"
            "   :param x: The first paragraph.\n\n      The second paragraph.\n"
        ),
        "plain.rst": "Plain\n=====\n\nText.\n",
    }
    write_tree(tmp_path / "fields", files)
    walks, _warnings = _walks_of_the_builder(tmp_path, str(tmp_path / "fields"))
    assert walks["api"] == 2 and walks["plain"] == 1, walks


def test_unknown_nodes_are_found_by_the_translation(tmp_path: Path) -> None:
    """The warning about a node class nothing renders needs no walk of its own, and
    still comes once, at the first page and line holding one."""
    walks, warnings = _walks_of_the_builder(tmp_path, "bookstack-unknown")
    assert set(walks.values()) == {1}, walks
    lines = [line for line in warnings.splitlines() if "no rendering for" in line]
    assert len(lines) == 1, warnings
    assert "1-book/README.md:5: WARNING" in lines[0] and "mystery_node" in lines[0]


def test_unknown_nodes_warn_once_under_parallel_writing_and_not_on_a_rebuild(
    tmp_path: Path,
) -> None:
    """Found in the workers' fragments, warned about in the main process: once per class
    with ``-j 2``, and not again when no page was translated again."""
    src = copy_root("bookstack-unknown", tmp_path)
    _outdir, warnings = build(src, tmp_path / "_build", parallel=2)
    lines = [line for line in warnings.splitlines() if "no rendering for" in line]
    assert len(lines) == 1 and "1-book/README.md:5: WARNING" in lines[0], warnings
    _outdir, again = build(src, tmp_path / "_build", parallel=2)
    assert "no rendering for" not in again
