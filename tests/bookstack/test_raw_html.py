"""Raw HTML in a page gets BookStack ids as a tree, whatever characters it holds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers.build import build, read_book


@pytest.mark.parametrize("separator", ["\u2028", "\x0c"])
def test_raw_html_with_a_line_separator_keeps_its_markup(
    one_book: Callable[[dict[str, str]], Path], tmp_path: Path, separator: str
) -> None:
    srcdir = one_book(
        {
            "1-page.md": (
                f"# Page\n\ntext\n\n<p>one{separator}two</p>\n<div>raw block</div>\n\nafter\n"
            )
        }
    )
    outdir, warnings = build(srcdir, tmp_path / "_build")
    assert warnings == ""
    book = read_book(outdir / "books" / "1-book.zip")["book"]
    html = next(page["html"] for page in book["pages"] if page["name"] == "Page")
    assert "< id=" not in html and "/p>" not in html.replace("</p>", "")
    soup = BeautifulSoup(html, "html.parser")
    div = soup.find("div", string="raw block")
    assert div is not None and div["id"] == "bkmrk-raw-block"
    raw = soup.find("p", string=f"one{separator}two")
    assert raw is not None and raw["id"].startswith("bkmrk-one")
    assert [p.get_text() for p in soup.find_all("p")][:1] == ["text"]
