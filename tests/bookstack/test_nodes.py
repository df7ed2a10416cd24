"""Every node class renders in the BookStack output, and unknown ones degrade gracefully."""

from __future__ import annotations

import inspect
import zipfile
from pathlib import Path

import pytest
from docutils import nodes
from helpers.build import build, copy_root
from helpers.node_fallbacks import FALLBACKS
from sphinx import addnodes

from sphinx_mosaic.bookstack.translate.translator import BookStackTranslator


def node_classes() -> list[tuple[str, type[nodes.Node]]]:
    """(name, class) of every node class the two modules define (aliases included)."""
    found = []
    for module in (nodes, addnodes):
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, nodes.Node)
                and value.__module__ == module.__name__
            ):
                found.append((name, value))
    return found


@pytest.mark.parametrize(("name", "cls"), node_classes(), ids=[n for n, _ in node_classes()])
def test_every_node_class_has_a_visitor_or_documented_fallback(
    name: str, cls: type[nodes.Node]
) -> None:
    has_visitor = hasattr(BookStackTranslator, f"visit_{name}")
    assert has_visitor or name in FALLBACKS, f"{cls.__module__}.{name}: add a visitor or fallback"
    if not has_visitor and "visit_" in FALLBACKS[name]:
        # The named base visitor really is inherited through the class hierarchy.
        base = FALLBACKS[name].split("visit_", 1)[1].split()[0]
        assert any(b.__name__ == base for b in cls.__mro__)
        assert hasattr(BookStackTranslator, f"visit_{base}")


def test_no_visitor_of_ours_is_shadowed() -> None:
    """Each visitor the translator or one of its mixins defines is the one the translator
    runs: moving a visitor between them, or a mixin's place among the bases, cannot
    hand a node to another mixin's or to Sphinx's HTML visitor unnoticed."""
    ours = [
        cls
        for cls in BookStackTranslator.__mro__
        if cls.__module__.startswith("sphinx_mosaic.bookstack.translate")
    ]
    assert len(ours) == 4  # the translator and its callout, design and signature mixins
    for cls in ours:
        for name, value in vars(cls).items():
            if name.startswith(("visit_", "depart_")):
                assert getattr(BookStackTranslator, name) is value, (cls.__name__, name)


def test_fallback_list_has_no_stale_entries() -> None:
    names = {name for name, _ in node_classes()}
    stale = {name for name in set(FALLBACKS) - names if "docutils 0.22" not in FALLBACKS[name]}
    assert not stale


@pytest.fixture(scope="module")
def unknown(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The root of node classes without a visitor of their own, built once."""
    tmp = tmp_path_factory.mktemp("unknown")
    outdir, warnings = build(copy_root("bookstack-unknown", tmp), tmp / "_build")
    return outdir, warnings


def test_unknown_nodes(unknown: tuple[Path, str]) -> None:
    outdir, warnings = unknown
    lines = [line for line in warnings.splitlines() if line]
    # One warning per node type without any rendering, with its location.
    assert len(lines) == 1, warnings
    assert "1-book/README.md:5: WARNING" in lines[0]
    assert "mystery_node" in lines[0] and "[mosaic.bookstack]" in lines[0]
    with zipfile.ZipFile(outdir / "books" / "1-book.zip") as archive:
        html = archive.read("data.json").decode()
    assert "first mystery" in html and "second mystery" in html  # text kept
    assert "<mark>highlighted by its html visitor</mark>" in html  # html fallback used


def test_a_node_its_parent_writes_is_not_warned_about(unknown: tuple[Path, str]) -> None:
    """A node class with no visitor, met only inside a node whose visitor writes its text
    and skips its children, is never rendered "without markup": no warning names it."""
    outdir, warnings = unknown
    assert "hidden_node" not in warnings
    with zipfile.ZipFile(outdir / "books" / "1-book.zip") as archive:
        html = archive.read("data.json").decode()
    assert "boxed by its own visitor</p>" in html  # written once, by the visitor


def test_the_node_check_follows_the_translators_dispatch(unknown: tuple[Path, str]) -> None:
    """A node class with no visitor of its own whose base class has one registered for
    the bookstack format is rendered by that visitor, so it is not warned about."""
    outdir, warnings = unknown
    assert "framed_child" not in warnings
    with zipfile.ZipFile(outdir / "books" / "1-book.zip") as archive:
        html = archive.read("data.json").decode()
    assert "<strong>framed by the visitor of its base class</strong>" in html
