"""Every node class renders in the BookStack output, and unknown ones degrade gracefully."""

from __future__ import annotations

import inspect
import zipfile
from pathlib import Path

import pytest
from docutils import nodes
from helpers.build import all_pages, build, copy_root, read_book
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


def test_unknown_nodes(tmp_path: Path) -> None:
    outdir, warnings = build(copy_root("bookstack-unknown", tmp_path), tmp_path / "_build")
    lines = [line for line in warnings.splitlines() if line]
    # One warning per node type without any rendering, with its location.
    assert len(lines) == 1, warnings
    assert "1-book/README.md:5: WARNING" in lines[0]
    assert "mystery_node" in lines[0] and "[mosaic.bookstack]" in lines[0]
    with zipfile.ZipFile(outdir / "books" / "1-book.zip") as archive:
        html = archive.read("data.json").decode()
    assert "first mystery" in html and "second mystery" in html  # text kept
    assert "<mark>highlighted by its html visitor</mark>" in html  # html fallback used


def test_the_node_check_follows_the_translators_dispatch(tmp_path: Path) -> None:
    """A node class with no visitor of its own whose base class has one registered for
    the bookstack format is rendered by that visitor, so it is not warned about."""
    outdir, warnings = build(copy_root("bookstack-unknown", tmp_path), tmp_path / "_build")
    assert "framed_child" not in warnings
    with zipfile.ZipFile(outdir / "books" / "1-book.zip") as archive:
        html = archive.read("data.json").decode()
    assert "<strong>framed by the visitor of its base class</strong>" in html


def test_multi_paragraph_fields_never_nest_paragraphs(tmp_path: Path) -> None:
    """Sphinx puts a field body of several paragraphs (``:param a:``, ``:returns:``) in
    the paragraph that holds the field's name: written as is, ``<p>`` inside ``<p>``."""
    from bs4 import BeautifulSoup
    from helpers.zip_checker import check_package

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinx_mosaic"]\nproject = "D"\n')
    (src / "index.rst").write_text(
        "Demo\n====\n\nIntro.\n\nSee :ref:`list <the-field>`.\n\n.. py:function:: f(a, b)\n\n"
        "   :param a: The first.\n\n      It has a second paragraph.\n\n"
        "      .. _the-field:\n\n      - and a list\n"
        "   :param b: Plain.\n   :returns: Something.\n\n      Over two paragraphs.\n",
        encoding="utf-8",
    )
    outdir, _ = build(src, tmp_path / "_build")
    (zip_path,) = (outdir / "books").glob("*.zip")
    assert check_package(zip_path) == []
    (page,) = all_pages(read_book(zip_path)["book"])
    soup = BeautifulSoup(page["html"], "html.parser")
    assert soup.select("p p") == []
    assert [p.get_text() for p in soup.select("dd p")] == [
        "a – The first.",
        "It has a second paragraph.",
        "and a list",
        "b – Plain.",
        "Something.",
        "Over two paragraphs.",
    ]
    # The label before the list inside the field still leads to it.
    assert soup.find("a", string="list")["href"] == "#bkmrk-the-field"
    assert soup.select_one("#bkmrk-the-field").name == "ul"
