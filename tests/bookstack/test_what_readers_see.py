"""What BookStack readers see of each construct (issue #14), read with BeautifulSoup.

One page of the test root per group of constructs; each test reads that page's
HTML from the book ZIP, as BookStack imports it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from helpers.build import all_pages, build, copy_root, output_files, read_book
from helpers.zip_checker import check_package

pytest.importorskip("sphinx_design")
pytest.importorskip("sphinx_inline_tabs")
pytest.importorskip("sphinx_tabs")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BeautifulSoup]:
    tmp = tmp_path_factory.mktemp("fidelity")
    outdir, _warnings = build(copy_root("bookstack-fidelity", tmp), tmp / "_build")
    assert not check_package(outdir / "books" / "1-book.zip")  # BookStack imports it
    book = read_book(outdir / "books" / "1-book.zip")["book"]
    return {page["name"]: BeautifulSoup(page["html"], "html.parser") for page in all_pages(book)}


def _paragraph_after(tag: Tag) -> Tag:
    found = tag.find_next_sibling()
    assert isinstance(found, Tag)
    return found


# -- sphinx-design and tabs ---------------------------------------------------


def test_dropdown_is_a_collapsible_block(pages: dict[str, BeautifulSoup]) -> None:
    page = pages["Design"]
    details = page.find_all("details")
    assert len(details) == 2
    first, opened = details
    assert first.summary.get_text() == "Open me"
    assert first.find("p").get_text() == "Hidden content."
    assert first.find("pre").code["class"] == ["language-python"]
    assert not first.has_attr("open") and opened.has_attr("open")


@pytest.mark.parametrize(
    ("label", "content"),
    [
        ("First tab", "First content."),  # sphinx-design
        ("Second tab", "Second content."),
        ("Inline one", "Inline content one."),  # sphinx-inline-tabs
        ("Inline two", "Inline content two."),
        ("Sphinx tab", "Sphinx tab content."),  # sphinx-tabs
    ],
)
def test_tab_label_is_bold_before_its_content(
    pages: dict[str, BeautifulSoup], label: str, content: str
) -> None:
    strong = pages["Design"].find("strong", string=label)
    assert strong is not None and strong.parent.name == "p"
    assert _paragraph_after(strong.parent).get_text() == content


def test_code_tab_keeps_its_language(pages: dict[str, BeautifulSoup]) -> None:
    strong = pages["Design"].find("strong", string="Python")
    assert strong is not None
    block = _paragraph_after(strong.parent)
    assert block.name == "pre" and block.code["class"] == ["language-python"]


def test_card_title_is_bold_and_keeps_the_link(pages: dict[str, BeautifulSoup]) -> None:
    page = pages["Design"]
    link = page.find("a", href="https://example.org/card")
    assert link.get_text() == "Card title" and link.parent.name == "strong"
    assert _paragraph_after(link.parent.parent).get_text() == "Card body."
    # A card without a title keeps its link after the body.
    untitled = page.find("a", href="https://example.org/untitled")
    assert untitled is not None
    assert untitled.find_parent("p").find_previous_sibling().get_text() == "Untitled body."


def test_badge_is_text_button_is_link_icon_dropped(pages: dict[str, BeautifulSoup]) -> None:
    page = pages["Design"]
    paragraph = page.find("p", string=lambda s: s is not None and "primary badge" in s)
    assert paragraph is not None and paragraph.get_text() == "primary badge and  icon."
    assert not page.find("svg")
    assert not [p for p in page.find_all("p") if not p.get_text(strip=True) and not p.find("img")]
    assert page.find("a", href="https://example.org/button").get_text() == "Button text"


# -- block content in admonitions ---------------------------------------------


def test_code_in_a_note_keeps_pre_and_language(pages: dict[str, BeautifulSoup]) -> None:
    page = pages["Callouts"]
    callout = page.find("p", class_="callout")
    assert callout["class"] == ["callout", "info"]
    assert callout.get_text("|") == "Note|A note with code:"
    block = _paragraph_after(callout)
    assert block.name == "pre" and block.code["class"] == ["language-python"]
    assert block.get_text() == 'print("in a note")'


def test_list_in_a_note_keeps_its_structure_and_text_after_it(
    pages: dict[str, BeautifulSoup],
) -> None:
    page = pages["Callouts"]
    items = page.find("ul")
    assert [li.get_text(strip=True) for li in items.find_all("li")] == [
        "first item",
        "second item",
    ]
    after = _paragraph_after(items)
    assert after["class"] == ["callout", "info"] and after.get_text() == "After the list."


def test_plain_callout_is_one_paragraph(pages: dict[str, BeautifulSoup]) -> None:
    tip = pages["Callouts"].find("p", class_="success")
    assert tip.get_text("|") == "Tip|A plain tip."
    assert tip.find_next_sibling()["class"] == ["callout", "warning"]


def test_table_in_a_warning_is_a_table(pages: dict[str, BeautifulSoup]) -> None:
    warning = pages["Callouts"].find("p", class_="warning")
    assert warning.get_text() == "Warning"
    table = _paragraph_after(warning)
    assert table.name == "table"
    assert [td.get_text() for td in table.find_all("td")] == ["one", "two"]


# -- API descriptions ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "body"),
    [
        ("spam", "spam(eggs: int, ham: str = 'x') → bool", "Spam the eggs."),  # py
        ("add", "int add(int a, int b)", "Adds two numbers."),  # c
        ("Widget", "class Widget", "A widget."),  # cpp
        ("greet", "greet(name)", "Greets someone."),  # js
        ("Shape", "class tiny.Shape(sides: int)", "A shape."),  # autodoc
        ("area", "area(scale: float = 1.0) → float", "The area."),  # autodoc member
    ],
)
def test_signature_is_one_code_line_with_the_name_bold(
    pages: dict[str, BeautifulSoup], name: str, line: str, body: str
) -> None:
    strong = pages["API"].find("strong", string=name)
    assert strong is not None and strong.parent.name == "code"
    paragraph = strong.parent.parent
    assert paragraph.name == "p" and paragraph.get("id", "").startswith("bkmrk-")
    assert paragraph.get_text() == line
    assert _paragraph_after(paragraph).get_text() == body
    assert not pages["API"].find("dt", id=True)  # no definition-list signatures left


def test_overloads_are_one_line_each(pages: dict[str, BeautifulSoup]) -> None:
    lines = [s.parent.get_text() for s in pages["API"].find_all("strong", string="pick")]
    assert lines == ["pick(first)", "pick(first, second)"]


def test_sphinx_tabs_own_nodes_read_the_same(tmp_path_factory: pytest.TempPathFactory) -> None:
    """sphinx-tabs makes nodes of its own for builders it counts as HTML (alongside mode
    reads with the HTML builder): the tabs read the same."""
    tmp = tmp_path_factory.mktemp("fidelity-tabs")
    outdir, warnings = build(
        copy_root("bookstack-fidelity", tmp),
        tmp / "_build",
        confoverrides={"sphinx_tabs_valid_builders": ["bookstack"]},
    )
    assert "[mosaic.bookstack]" not in warnings, warnings
    book = read_book(outdir / "books" / "1-book.zip")["book"]
    page = next(p for p in all_pages(book) if p["name"] == "Design")
    soup = BeautifulSoup(page["html"], "html.parser")
    strong = soup.find("strong", string="Sphinx tab")
    assert _paragraph_after(strong.parent).get_text() == "Sphinx tab content."
    code = _paragraph_after(soup.find("strong", string="Python").parent)
    assert code.name == "pre" and code.code["class"] == ["language-python"]


def test_image_and_nested_admonition_in_a_note(pages: dict[str, BeautifulSoup]) -> None:
    page = pages["Callouts"]
    important = next(p for p in page.find_all("p", class_="warning") if "Important" in p.text)
    assert important.get_text("|") == "Important|A picture:"
    picture = _paragraph_after(important)
    assert picture.name == "p" and picture.img["alt"] == "the picture"
    nested = _paragraph_after(picture)
    assert nested["class"] == ["callout", "success"]
    assert nested.get_text("|") == "Tip|A nested tip."


def test_page_html_snapshot(tmp_path: Path, file_regression: Any) -> None:
    """Every construct's BookStack HTML, pinned (Sphinx 8 and 9 give the same)."""
    outdir, _warnings = build(copy_root("bookstack-fidelity", tmp_path), tmp_path / "_build")
    book = read_book(outdir / "books" / "1-book.zip")["book"]
    text = "".join(f"<!-- page {p['id']}: {p['name']} -->\n{p['html']}" for p in all_pages(book))
    file_regression.check(text, basename="fidelity", extension=".html")


def test_alongside_output_is_that_of_bookstack(tmp_path: Path) -> None:
    """A parallel html build with alongside output writes the same books as ``-b bookstack``,
    though its doctrees went through the ``html`` post-transforms (sphinx-design's tab sets)
    and the HTML translator (image paths) on their way to the HTML pages."""

    srcdir = copy_root("bookstack-fidelity", tmp_path)
    # sphinx-tabs reads its tabs into nodes of its own for the builders it counts as HTML.
    tabs = {"sphinx_tabs_valid_builders": ["bookstack"]}
    standalone, _ = build(srcdir, tmp_path / "standalone", confoverrides=tabs)
    site, _ = build(
        srcdir,
        tmp_path / "site",
        "html",
        parallel=2,
        confoverrides={**tabs, "mosaic_bookstack_alongside": True},
    )
    assert output_files(site / "bookstack") == output_files(standalone)
