"""Tables with a header and no body rows: every builder writes them, with a warning.

Sphinx's LaTeX builder stops with ``StopIteration`` on a Markdown table that
has a header and no rows, and docutils drops a reST ``list-table`` or
``csv-table`` of header rows only.  The guard keeps the header as the table's
first row and warns ``mosaic.table`` with the file and line.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from helpers.builders import ALL_BUILDERS
from helpers.pdf import compile_pdf
from sphinx.testing.util import SphinxTestApp

MakeApp = Callable[..., SphinxTestApp]

HEADERS = {
    "1-tables/1-markdown.md:5": ("Mdhead alpha", "Mdhead beta"),
    "1-tables/1-markdown.md:10": ("Mylisthead alpha", "Mylisthead beta"),
    "1-tables/2-restructured.rst:4": ("Rstlisthead alpha", "Rstlisthead beta"),
    "1-tables/2-restructured.rst:10": ("Csvhead alpha", "Csvhead beta"),
}
TEXT_SUFFIXES = {".html", ".xhtml", ".tex", ".txt", ".1", ".texi", ".pot", ".json"}


def expected_warning(location: str, header: tuple[str, str]) -> str:
    return (
        f"{location}: WARNING: table with a header ('{header[0]} | {header[1]}') and no body "
        "rows; its header is shown as an ordinary first row (Sphinx's LaTeX builder cannot "
        "write a table without body rows): add rows under the header, or remove the table "
        "[mosaic.table]"
    )


def strip_colors(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def warning_lines(app: SphinxTestApp) -> list[str]:
    text = strip_colors(app.warning.getvalue())
    return sorted(text.replace(f"{app.srcdir}/", "").splitlines())


def output_text(outdir: Path) -> str:
    """All text the build wrote, ZIP members (BookStack) included."""
    parts: list[str] = []
    for path in sorted(outdir.rglob("*")):
        if path.suffix in TEXT_SUFFIXES:
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
        elif path.suffix in {".zip", ".epub"}:
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    if Path(name).suffix in TEXT_SUFFIXES:
                        parts.append(archive.read(name).decode("utf-8", errors="replace"))
    return "\n".join(parts)


@pytest.fixture
def srcdir(rootdir: Path, tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-header-only-tables", src)
    return src


@pytest.mark.parametrize("buildername", ALL_BUILDERS)
def test_every_builder_writes_header_only_tables(
    make_app: MakeApp, srcdir: Path, buildername: str
) -> None:
    app = make_app(buildername, srcdir=srcdir)
    app.build()  # the LaTeX builder raised StopIteration here before the guard
    assert app.statuscode == 0
    assert warning_lines(app) == sorted(
        expected_warning(location, header) for location, header in HEADERS.items()
    )
    written = output_text(Path(app.outdir))
    for header in [*HEADERS.values(), ("Normalhead alpha", "Normalcell two")]:
        for word in header:
            assert word in written, f"{word!r} missing from the {buildername} output"


def test_header_becomes_first_body_row_and_normal_table_is_untouched(
    make_app: MakeApp, srcdir: Path
) -> None:
    app = make_app("html", srcdir=srcdir)
    app.build()
    for docname, count in (("1-tables/1-markdown", 2), ("1-tables/2-restructured", 2)):
        tables = list(app.env.get_doctree(docname).findall(nodes.table))
        assert len(tables) == count
        for table in tables:
            assert not list(table.findall(nodes.thead))
            rows = list(table.findall(nodes.row))
            assert len(rows) == 1
            assert "head alpha" in rows[0].astext()
    (normal,) = app.env.get_doctree("1-tables/3-normal").findall(nodes.table)
    (thead,) = normal.findall(nodes.thead)
    (tbody,) = normal.findall(nodes.tbody)
    assert "Normalhead alpha" in thead.astext()
    assert "Normalcell one" in tbody.astext()
    assert "Normalhead" not in tbody.astext()

    html = Path(app.outdir)
    page = BeautifulSoup((html / "1-tables/1-markdown.html").read_text(), "html.parser")
    tables = page.find_all("table")
    assert len(tables) == 2
    assert all(table.find("thead") is None for table in tables)
    assert "Mdhead alpha" in tables[0].tbody.get_text()
    assert "Mylisthead alpha" in tables[1].tbody.get_text()
    normal_page = BeautifulSoup((html / "1-tables/3-normal.html").read_text(), "html.parser")
    (normal_table,) = normal_page.find_all("table")
    assert [th.get_text(strip=True) for th in normal_table.thead.find_all("th")] == [
        "Normalhead alpha",
        "Normalhead beta",
    ]
    assert "Normalhead" not in normal_table.tbody.get_text()


def test_suppress_warnings_silences_it(make_app: MakeApp, srcdir: Path) -> None:
    app = make_app("latex", srcdir=srcdir, confoverrides={"suppress_warnings": ["mosaic.table"]})
    app.build()
    assert app.statuscode == 0
    assert app.warning.getvalue() == ""
    assert "Csvhead alpha" in output_text(Path(app.outdir))


def test_incremental_build_keeps_the_fixed_doctree(make_app: MakeApp, srcdir: Path) -> None:
    app = make_app("latex", srcdir=srcdir, freshenv=True)
    app.build()
    assert len(warning_lines(app)) == len(HEADERS)
    app.cleanup()  # another app in this process would meet its registrations
    # Change only the normal page: the header-only pages come from the pickle.
    normal = srcdir / "1-tables/3-normal.md"
    normal.write_text(normal.read_text() + "\nOne more line.\n")
    again = make_app("latex", srcdir=srcdir)
    again.build()
    assert again.statuscode == 0
    assert warning_lines(again) == []
    written = output_text(Path(again.outdir))
    assert "Mdhead alpha" in written and "One more line." in written
    again.cleanup()
    # Re-reading a page with such a table warns again, for that page only.
    markdown = srcdir / "1-tables/1-markdown.md"
    markdown.write_text(markdown.read_text() + "\nEdited.\n")
    third = make_app("latex", srcdir=srcdir)
    third.build()
    assert warning_lines(third) == sorted(
        expected_warning(location, header)
        for location, header in HEADERS.items()
        if location.startswith("1-tables/1-markdown.md")
    )


def test_parallel_read(make_app: MakeApp, tmp_path: Path) -> None:
    src = tmp_path / "parallel"
    book = src / "1-book"
    book.mkdir(parents=True)
    (src / "conf.py").write_text(
        (Path(__file__).parents[1] / "roots/test-header-only-tables/conf.py").read_text()
    )
    (src / "README.md").write_text("# Shelf\n\nShelf.\n")
    (book / "README.md").write_text("# Book\n\nBook.\n")
    pages = 8
    for number in range(1, pages + 1):
        (book / f"{number}-topic{number}.md").write_text(
            f"# Page {number}\n\nText.\n\n| Head{number} x | Head{number} y |\n|---|---|\n"
        )
    app = make_app("latex", srcdir=src, parallel=2)
    app.build()
    assert app.statuscode == 0
    # Sphinx shows chunks of documents ("a .. b") only when it reads them in parallel.
    assert re.search(
        r"reading sources\.\.\. .*1-book/\S+ \.\. ", strip_colors(app.status.getvalue())
    )
    lines = warning_lines(app)
    assert len(lines) == pages
    for number in range(1, pages + 1):
        assert (
            f"1-book/{number}-topic{number}.md:5: WARNING: table with a header ('Head{number} x"
            in ("\n".join(lines))
        )
        assert f"Head{number} y" in output_text(Path(app.outdir))


@pytest.mark.latex
def test_pdf_shows_the_header_text(make_app: MakeApp, srcdir: Path) -> None:
    app = make_app("latex", srcdir=srcdir)
    app.build()
    text = compile_pdf(Path(app.outdir))
    words = " ".join(text.split())
    for header in HEADERS.values():
        for word in header:
            assert word in words
    assert "Normalhead alpha" in words and "Normalcell two" in words


def build_table(head_rows: list[list[str]], body_rows: list[list[str]] | None) -> nodes.table:
    """A table as docutils builds it; ``body_rows=None`` leaves out the tbody."""

    def row(cells: list[str]) -> nodes.row:
        result = nodes.row()
        for cell in cells:
            result += nodes.entry("", nodes.paragraph(cell, cell))
        return result

    table = nodes.table()
    tgroup = nodes.tgroup(cols=2)
    table += tgroup
    tgroup += [nodes.colspec(colwidth=1), nodes.colspec(colwidth=1)]
    if head_rows:
        tgroup += nodes.thead("", *[row(cells) for cells in head_rows])
    if body_rows is not None:
        tgroup += nodes.tbody("", *[row(cells) for cells in body_rows])
    return table


def test_fix_moves_every_header_row_in_order_and_keeps_the_rest(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from sphinx_mosaic.reading.tables import TablesWithoutBody

    table = build_table([["h1", "h2"], ["h3", "h4"]], [])
    tgroup = table[0]
    TablesWithoutBody.fix(table, tgroup)
    (record,) = caplog.records  # its text is prefixed once a Sphinx app set up logging
    assert "table with a header ('h1 | h2') and no body rows" in record.getMessage()
    assert [type(child) for child in tgroup.children] == [nodes.colspec, nodes.colspec, nodes.tbody]
    assert [row.astext().split() for row in tgroup.findall(nodes.row)] == [
        ["h1", "h2"],
        ["h3", "h4"],
    ]


def test_fix_gives_a_table_without_rows_a_body_and_no_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from sphinx_mosaic.reading.tables import TablesWithoutBody

    table = build_table([], None)
    tgroup = table[0]
    TablesWithoutBody.fix(table, tgroup)
    (tbody,) = tgroup.findall(nodes.tbody)
    assert len(tbody) == 0
    assert caplog.records == []
