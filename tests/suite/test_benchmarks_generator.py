"""The benchmark generator: deterministic from a seed, and a tree our layout model reads."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinx_mosaic.layout.model import Folder, discover

# benchmarks/ is a top-level folder of the repository, not part of the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.generator import FEATURES, TreeShape, generate

SHAPE = TreeShape(books=2, chapters=3, pages=2)


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_same_seed_gives_byte_identical_trees(tmp_path: Path) -> None:
    generate(tmp_path / "a", SHAPE, seed=7, features=FEATURES)
    generate(tmp_path / "b", SHAPE, seed=7, features=FEATURES)
    generate(tmp_path / "c", SHAPE, seed=8, features=FEATURES)
    a, b, c = (snapshot(tmp_path / name) for name in "abc")
    assert a == b
    assert len(a) == len(c)  # the shape decides how many files ...
    assert a != c  # ... the seed their names and content


def test_layout_model_reads_the_expected_counts(tmp_path: Path) -> None:
    plan = generate(tmp_path / "tree", SHAPE, seed=3, features=FEATURES)
    layout = discover(tmp_path / "tree")
    assert layout.issues == []
    assert len(layout.books) == SHAPE.books
    for book in layout.books:
        chapters = [c for c in book.children if isinstance(c, Folder)]
        assert [c.kind for c in chapters] == ["chapter"] * SHAPE.chapters
        assert all(len(chapter.content_pages) == SHAPE.pages for chapter in chapters)
        assert len(book.content_pages) == SHAPE.chapters * (SHAPE.pages + 1) + 1
        assert book.index is not None
        # The page beside the chapters is ordered after them by number (4 after 3).
        last = book.children[-1]
        assert not isinstance(last, Folder) and last.number == SHAPE.chapters + 1
    assert [extra.path for extra in layout.extras] == ["scratchpads"]
    content = [p for b in layout.books for p in b.content_pages if not p.is_index]
    assert len(content) == SHAPE.content_pages == 14
    assert len(list(layout.pages())) == len(plan.pages)
    statuses = {page.front_matter.get("status") for page in layout.pages()}
    assert statuses <= {"complete", "partial", "planned", "not-started"}


def test_plain_variant_has_the_navigation_and_none_of_our_markup(tmp_path: Path) -> None:
    generate(tmp_path / "mosaic", SHAPE, seed=5, features=FEATURES)
    generate(tmp_path / "plain", SHAPE, seed=5, variant="plain", features=FEATURES)
    mosaic, plain = snapshot(tmp_path / "mosaic"), snapshot(tmp_path / "plain")
    assert mosaic.keys() == plain.keys()
    plain_text = b"".join(plain.values())
    for markup in (b"{status", b"{path", b"{mosaic-contents}", b"sphinx_mosaic"):
        assert markup in b"".join(mosaic.values())
        assert markup not in plain_text
    expected = {host for host, _ in discover(tmp_path / "mosaic").toctrees().items()}
    with_toctree = {name[:-3] for name, data in plain.items() if b"```{toctree}" in data}
    assert with_toctree == expected
    # Pages neither variant adds to are the same, byte for byte.
    same = [
        name
        for name, data in mosaic.items()
        if name.endswith(".md")
        and not name.endswith("README.md")
        and b"{status}" not in data
        and b"{toctree}" not in plain[name]
    ]
    assert len(same) > SHAPE.content_pages / 2
    assert all(mosaic[name] == plain[name] for name in same)


def test_generated_tree_builds_without_warnings(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path
) -> None:
    generate(tmp_path / "tree", TreeShape(1, 2, 2), seed=1, features=FEATURES)
    app = make_app("dummy", srcdir=tmp_path / "tree")
    app.build()
    assert app.statuscode == 0
    assert app.warning.getvalue() == ""
    assert len(app.env.found_docs) == 1 + 1 + 2 + 2 * 2 + 1 + 2


@pytest.mark.parametrize(("total", "books"), [(200, 4), (1000, 10), (5000, 50), (100, 1)])
def test_sizes_have_the_pages_asked_for(total: int, books: int) -> None:
    shape = TreeShape.for_pages(total)
    assert shape.content_pages == total
    assert shape.books == books
