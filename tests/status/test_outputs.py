"""Status badges, the ``{status}`` role and the status table, in every output."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from helpers.build import ROOTS, Built
from helpers.build import build as build_with
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

Build = Callable[..., SphinxTestApp]


@pytest.fixture
def build(make_app: Callable[..., SphinxTestApp], rootdir: Path, tmp_path: Path) -> Build:
    """Copy a test root to a fresh folder and build it; call again to rebuild it."""

    def run(
        builder: str = "html",
        root: str = "status",
        srcdir: Path | None = None,
        **kwargs: Any,
    ) -> SphinxTestApp:
        if srcdir is None:
            srcdir = tmp_path / f"{root}-{builder}"
            if not srcdir.exists():
                shutil.copytree(rootdir / f"test-{root}", srcdir)
        app = make_app(builder, srcdir=srcdir, **kwargs)
        app.build()
        return app

    return run


#: The status root built with a builder and the default configuration.
Shared = Callable[..., Built]


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Shared:
    """The status root built once per builder for the module, for the tests that only read
    the output of the default configuration."""
    root = tmp_path_factory.mktemp("status")
    srcdir = root / "src"
    shutil.copytree(ROOTS / "test-status", srcdir)
    made: dict[str, Built] = {}

    def get(builder: str = "html") -> Built:
        if builder not in made:
            made[builder] = build_with(srcdir, root / f"build-{builder}", builder)
        return made[builder]

    return get


def soup(app: SphinxTestApp, page: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / page).read_text(encoding="utf-8"), "html.parser")


def table_rows(page: BeautifulSoup, index: int = 0) -> list[list[str]]:
    table = page.select("table.mosaic-status-table")[index]
    return [
        [" ".join(cell.get_text(" ", strip=True).split()) for cell in row.find_all("td")]
        for row in table.select("tbody tr")
    ]


def badge_under_title(page: BeautifulSoup) -> Tag | None:
    heading = page.select_one("section > h1")
    assert heading is not None
    line = heading.find_next_sibling()
    if line is None or "mosaic-status-line" not in line.get("class", []):
        return None
    return line.select_one(".mosaic-status")


# -- HTML ----------------------------------------------------------------------


def test_badge_under_title(shared: Shared) -> None:
    app = shared()
    assert app.warnings == ""
    badge = badge_under_title(soup(app, "1-alpha/2-two.html"))
    assert badge is not None
    assert "mosaic-status-partial" in badge["class"]
    assert "mosaic-shape-half" in badge["class"]  # shape, not colour alone
    assert badge["title"] == "Status: Partial"
    assert badge.select_one(".mosaic-visually-hidden").get_text() == "Status: "
    assert badge.get_text() == "Status: Partial"
    assert "--mosaic-status-hue: #d4a000" in badge["style"]
    # reST field list, any case of a spelling
    rst_badge = badge_under_title(soup(app, "2-beta/1-setup/2-b.html"))
    assert rst_badge is not None and "mosaic-status-planned" in rst_badge["class"]
    # emoji, alias and spelling variants
    for page, key in [
        ("4-delta/2-q.html", "complete"),
        ("4-delta/1-p.html", "complete"),
        ("3-gamma/1-x.html", "not-started"),
        ("2-beta/2-c.html", "planned"),
        ("5-epsilon/1-r.html", "in-review"),
    ]:
        found = badge_under_title(soup(app, page))
        assert found is not None and f"mosaic-status-{key}" in found["class"], page
    # the role works in headings too
    heading = soup(app, "4-delta/1-p.html").select_one("h2")
    assert heading is not None and heading.select_one(".mosaic-status-planned") is not None
    # no status, or switched off on the page: no badge
    assert badge_under_title(soup(app, "5-epsilon/2-s.html")) is None
    assert badge_under_title(soup(app, "3-gamma/2-y.html")) is None


def test_badge_option_off(build: Build) -> None:
    app = build(confoverrides={"mosaic_status_badge": False})
    assert badge_under_title(soup(app, "1-alpha/2-two.html")) is None
    # the table and the role still show badges
    assert soup(app, "README.html").select("table .mosaic-status")


def test_status_role(shared: Shared) -> None:
    app = shared()
    badges = [
        badge
        for badge in soup(app, "README.html").select("p .mosaic-status")
        if badge.find_parent("table") is None
    ]
    assert [badge["class"][1] for badge in badges] == [
        "mosaic-status-in-review",
        "mosaic-status-partial",
    ]
    assert badges[0].get_text() == "Status: In review"
    sentence = " ".join(badges[0].parent.get_text(" ", strip=True).split())
    assert sentence == "A custom status Status: In review and an emoji one Status: Partial ."
    inline = soup(app, "2-beta/1-setup/2-b.html").select("p .mosaic-status-complete")
    assert len(inline) == 1


def test_status_table_rows(shared: Shared) -> None:
    app = shared()
    page = soup(app, "README.html")
    assert [th.get_text(strip=True) for th in page.select("table.mosaic-status-table th")] == [
        "Book",
        "Status",
        "Complete",
        "Last updated",
    ]
    assert table_rows(page) == [
        ["Alpha", "Status: Partial 75 %", "1/2", "2024-06-02"],
        ["Beta", "Status: Planned", "0/3", "2023-01-15"],
        ["Gamma", "Status: Complete set by hand", "0/2", "—"],
        ["Delta", "Status: Complete", "2/2", "—"],
        ["Epsilon", "Status: Partial 40 %", "0/2", "—"],
    ]
    links = [a["href"] for a in page.select("table.mosaic-status-table td a")]
    assert links == [
        f"{book}/README.html" for book in ("1-alpha", "2-beta", "3-gamma", "4-delta", "5-epsilon")
    ]
    chapters = soup(app, "2-beta/README.html")
    assert chapters.select("th")[0].get_text(strip=True) == "Chapter"
    assert table_rows(chapters) == [
        ["Setup", "Status: Planned set by hand", "0/2", "2023-01-15"],
        ["C", "Status: Planned", "0/1", "—"],
    ]
    # a book given by folder name; page rows show the page's own status, or none
    assert table_rows(soup(app, "5-epsilon/README.html")) == [
        ["R", "Status: In review", "0/1", "—"],
        ["S", "—", "0/1", "—"],
    ]


def test_page_footer(shared: Shared, build: Build) -> None:
    app = shared()
    footer = soup(app, "1-alpha/1-one.html").select_one("p.mosaic-page-footer")
    assert footer is not None
    assert footer.get_text() == "Last updated: 2024-05-01 · Version: 2.3"
    assert soup(app, "3-gamma/2-y.html").select_one("p.mosaic-page-footer") is None
    app = build(
        confoverrides={"mosaic_page_footer": False, "mosaic_last_updated_format": "%d.%m.%Y"}
    )
    assert soup(app, "1-alpha/1-one.html").select_one("p.mosaic-page-footer") is None
    assert table_rows(soup(app, "README.html"))[0][3] == "02.06.2024"


def test_theme_last_updated_is_the_page_date(build: Build) -> None:
    app = build(confoverrides={"html_theme": "furo", "html_last_updated_fmt": "%b %d, %Y"})
    page = soup(app, "1-alpha/1-one.html")
    assert "Last updated on May 01, 2024" in " ".join(page.get_text(" ").split())


def test_css_and_translations(shared: Shared, build: Build) -> None:
    app = shared()
    assert (Path(app.outdir) / "_static" / "mosaic-status.css").is_file()
    assert soup(app, "README.html").select_one('link[href^="_static/mosaic-status.css"]')
    german = build(confoverrides={"language": "de"}, root="status", srcdir=None)
    rows = table_rows(soup(german, "README.html"))
    assert rows[0][1] == "Status: Teilweise 75 %"
    assert rows[2][1] == "Status: Vollständig manuell gesetzt"
    heads = [th.get_text(strip=True) for th in soup(german, "README.html").select("th")]
    assert heads == ["Buch", "Status", "Vollständig", "Zuletzt aktualisiert"]


# -- bad input -----------------------------------------------------------------


def test_unknown_values_warn_with_file_and_line(build: Build) -> None:
    app = build(root="status-bad")
    srcdir = Path(app.srcdir)
    warnings = sorted(strip_colors(w) for w in app.warning.getvalue().splitlines() if w)
    valid = "valid values: complete, partial, planned, not-started"
    assert [w.replace(str(srcdir) + "/", "") for w in warnings] == [
        f"1-book/1-page.md:3: WARNING: unknown status 'finished'; {valid} (the page counts as "
        "having no status) [mosaic.status]",
        "1-book/1-page.md:4: WARNING: last_updated 'yesterday' is not a date; write it as "
        "YYYY-MM-DD [mosaic.last-updated]",
        f"1-book/2-other.rst:1: WARNING: unknown status '🟤'; {valid} (the page counts as "
        "having no status) [mosaic.status]",
        "1-book/README.md:5: WARNING: status-table: no book 'nope'; books: book [mosaic.status]",
        f"README.md:3: WARNING: unknown status 'bogus'; {valid} [mosaic.status]",
    ]
    page = soup(app, "1-book/1-page.html")
    assert badge_under_title(page) is None
    assert "Content stays." in page.get_text()
    assert "bogus" in soup(app, "README.html").get_text()
    assert table_rows(soup(app, "README.html")) == [["Book", "Status: Not started", "0/2", "—"]]


def test_unknown_status_is_suppressible(build: Build) -> None:
    app = build(
        root="status-bad",
        confoverrides={"suppress_warnings": ["mosaic.status", "mosaic.last-updated"]},
    )
    assert app.warning.getvalue() == ""


def test_bad_vocabulary_falls_back_to_default(build: Build) -> None:
    app = build(confoverrides={"mosaic_status_vocabulary": {"partial": {"colour": "plaid"}}})
    assert "mosaic_status_vocabulary" in app.warning.getvalue()
    assert "[mosaic.config]" in app.warning.getvalue()
    assert badge_under_title(soup(app, "1-alpha/2-two.html")) is not None


# -- every output ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("builder", "page", "expected"),
    [
        ("text", "README.txt", "| Alpha"),
        ("man", "status.1", "[Partial]"),
        ("texinfo", "status.texi", "[Complete]"),
        ("latex", "status.tex", r"\sphinxmosaicstatus{D4A000}{Partial}"),
        ("epub", "README.xhtml", 'class="mosaic-status mosaic-status-partial'),
        ("singlehtml", "README.html", 'class="mosaic-status mosaic-status-partial'),
        ("dirhtml", "README/index.html", 'class="mosaic-status mosaic-status-partial'),
        ("gettext", "README.pot", 'msgid "Documentation status:"'),
    ],
)
def test_every_builder_without_warnings(
    shared: Shared, builder: str, page: str, expected: str
) -> None:
    app = shared(builder)
    assert app.warnings == ""
    output = (Path(app.outdir) / page).read_text(encoding="utf-8")
    assert expected in output


def test_text_badges_and_table(shared: Shared) -> None:
    app = shared("text")
    shelf = (Path(app.outdir) / "README.txt").read_text(encoding="utf-8")
    assert "| Alpha    " in shelf and "| [Partial] 75 %" in shelf
    assert "[Complete] *set by hand*" in shelf
    assert "A custom status [In review] and an emoji one [Partial]." in shelf
    page = (Path(app.outdir) / "1-alpha" / "2-two.txt").read_text(encoding="utf-8")
    assert page.splitlines()[3] == "[Partial]"
    assert "Last updated: 2024-06-02 · Version: 2.3" in page


def test_latex_badges_per_page_and_table(shared: Shared) -> None:
    app = shared("latex")
    tex = (Path(app.outdir) / "status.tex").read_text(encoding="utf-8")
    assert r"\usepackage{sphinxmosaicstatus}" in tex
    assert (Path(app.outdir) / "sphinxmosaicstatus.sty").is_file()
    # the assembled document keeps one badge per page with a status
    assert tex.count(r"\sphinxmosaicstatus{2E9E4F}{Complete}") >= 4
    assert r"\begin{tabulary}" in tex or r"\begin{longtable}" in tex
    assert "75 \\%" in tex
    assert r"Last updated: 2024\sphinxhyphen{}05\sphinxhyphen{}01" in tex
    # badges never carry emoji into LaTeX (only running text does, drawn by our package)
    assert not re.search(
        r"\\sphinxmosaicstatus\{\w+\}\{[^}]*[\u2600-\u26ff\U0001f300-\U0001faff]", tex
    )
    assert r"\DeclareUnicodeCharacter{1F7E2}" in (
        Path(app.outdir) / "sphinxmosaicstatus.sty"
    ).read_text(encoding="utf-8")


def test_singlehtml_keeps_per_page_badges(shared: Shared) -> None:
    app = shared("singlehtml")
    page = soup(app, "README.html")
    lines = page.select("p.mosaic-status-line .mosaic-status")
    assert len(lines) == 11  # every page with a status but the one that hides its badge
    assert len(page.select("table.mosaic-status-table")) == 3


def test_public_interface(shared: Shared) -> None:
    from datetime import date

    from sphinx_mosaic.status import last_updated, make_badge, page_status, status_badge

    app = shared()
    env = app.app.env
    assert page_status(env, "1-alpha/2-two") == "partial"
    assert page_status(env, "5-epsilon/1-r") == "in-review"
    assert page_status(env, "5-epsilon/2-s") is None
    assert page_status(env, "no/such/page") is None
    assert last_updated(env, "1-alpha/1-one") == date(2024, 5, 1)
    assert last_updated(env, "5-epsilon/2-s") is None  # front matter only, and none there
    badge = make_badge(env, "planned")
    assert isinstance(badge, status_badge)
    assert badge.astext() == "Planned"
    assert (badge["status"], badge["colour"], badge["shape"], badge["emoji"]) == (
        "planned",
        "#2f6fde",
        "ring",
        "🔵",
    )
    assert make_badge(env, "planned") is not badge  # a fresh node every time
    unknown = make_badge(env, "archived")
    assert unknown.astext() == "archived" and "mosaic-shape-none" in unknown["classes"]


def test_text_output_snapshot(shared: Shared, file_regression: Any) -> None:
    """The whole shelf page and a badge page in the text builder, pinned."""
    app = shared("text")
    outdir = Path(app.outdir)
    text = "\n".join(
        (outdir / page).read_text(encoding="utf-8")
        for page in ("README.txt", "2-beta/README.txt", "4-delta/1-p.txt")
    )
    file_regression.check(text, basename="status_text_output", extension=".txt")
