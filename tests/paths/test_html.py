"""Reading paths in HTML: the list where a path is defined, the navigation boxes, the overview."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from helpers.build import Built, build

ROOTS = Path(__file__).parents[1] / "roots"


def build_once(tmp: Path, buildername: str = "html", **confoverrides: object) -> Built:
    """The test-paths root (copied once into *tmp*) built with *buildername*."""
    srcdir = tmp / "src"
    if not srcdir.exists():
        shutil.copytree(ROOTS / "test-paths", srcdir)
    return build(srcdir, tmp / f"build-{buildername}", buildername, confoverrides=confoverrides)


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_once(tmp_path_factory.mktemp("paths-html"))


def soup(app: Built, page: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / page).read_text(encoding="utf-8"), "html.parser")


def text(node: Tag) -> str:
    return " ".join(node.get_text().split())


def nav_lines(page: BeautifulSoup) -> list[str]:
    return [text(line) for line in page.select(".mosaic-path-nav .mosaic-path-nav-line")]


def nav_hrefs(page: BeautifulSoup) -> list[list[str]]:
    return [
        [str(a["href"]) for a in line.select("a")]
        for line in page.select(".mosaic-path-nav .mosaic-path-nav-line")
    ]


def test_builds_without_warnings(html: Built) -> None:
    assert html.statuscode == 0
    assert html.warnings == ""


def path_block(page: BeautifulSoup, anchor: str) -> Tag:
    block = page.find(id=anchor)
    assert isinstance(block, Tag), f"no element with id {anchor}"
    # The anchor is on the title line, inside the path's block.
    assert "mosaic-path-title" in block["class"]
    container = block.find_parent("div", class_="mosaic-path")
    assert isinstance(container, Tag)
    return container


def test_steps_where_defined(html: Built) -> None:
    page = soup(html, "README.html")
    block = path_block(page, "path-new-users")
    assert text(block.select_one(".mosaic-path-title")) == "For New Users"
    description = block.select_one(".mosaic-path-description")
    assert description is not None and description.select_one("em").get_text() == "new"
    items = block.select("ol.mosaic-path-steps > li")
    assert [text(li) for li in items] == [
        "Quick Start Status: Complete",
        "Local Setup Status: Partial — about ten minutes",
        "Troubleshooting Status: Planned",
        "Environment Configuration",
    ]
    hrefs = [[a["href"] for a in li.select("a")] for li in items]
    assert hrefs == [
        ["1-getting-started/1-quick-start.html"],
        ["1-getting-started/2-local-setup.html"],
        [],  # planned: never a link
        ["1-getting-started/3-environment-configuration.html"],
    ]
    # The target page's status badge, and the Planned badge on the planned step.
    assert "mosaic-status-complete" in items[0].select_one(".mosaic-status")["class"]
    assert "mosaic-status-partial" in items[1].select_one(".mosaic-status")["class"]
    assert "mosaic-path-planned" in items[2]["class"]
    assert "mosaic-status-planned" in items[2].select_one(".mosaic-status")["class"]
    assert items[3].select_one(".mosaic-status") is None  # the page has no status
    assert items[1].select_one(".mosaic-path-note").get_text() == "about ten minutes"


def test_planned_steps_and_notes(html: Built) -> None:
    block = path_block(soup(html, "README.html"), "path-architects")
    items = block.select("ol.mosaic-path-steps > li")
    assert [text(li) for li in items] == [
        "Authentication Flow Status: Planned",
        "Type Sharing — shared types",
        "System Overview Status: Planned — once the platform settles",
    ]
    assert ["mosaic-path-planned" in li["class"] for li in items] == [True, False, True]
    assert [len(li.select("a")) for li in items] == [0, 1, 0]


def test_path_in_rest_with_relative_targets(html: Built) -> None:
    block = path_block(soup(html, "2-development/README.html"), "path-developers")
    items = block.select("ol.mosaic-path-steps > li")
    assert [text(li) for li in items] == [
        "Branching Strategy",
        "Testing",
        "Type Sharing — read last",
    ]
    assert [li.select_one("a")["href"] for li in items] == [
        "1-branching-strategy.html",
        "2-testing-requirements.html",
        "3-type-sharing.html",
    ]


@pytest.mark.parametrize(
    ("page", "lines", "hrefs"),
    [
        (
            "1-getting-started/1-quick-start.html",
            ["For New Users — step 1 of 4: Local Setup →"],
            [["../README.html#path-new-users", "2-local-setup.html"]],
        ),
        (
            "1-getting-started/2-local-setup.html",
            ["For New Users — step 2 of 4: ← Quick Start | Environment Configuration →"],
            [
                [
                    "../README.html#path-new-users",
                    "1-quick-start.html",
                    "3-environment-configuration.html",
                ]
            ],
        ),
        (
            # Step 3 is planned: counted in "of 4", skipped by previous.
            "1-getting-started/3-environment-configuration.html",
            ["For New Users — step 4 of 4: ← Local Setup"],
            [["../README.html#path-new-users", "2-local-setup.html"]],
        ),
        (
            # One box line per path, in reading order of the defining pages.
            "2-development/3-type-sharing.html",
            ["For Architects — step 2 of 3", "For Developers — step 3 of 3: ← Testing"],
            [
                ["../README.html#path-architects"],
                ["README.html#path-developers", "2-testing-requirements.html"],
            ],
        ),
        ("1-getting-started/4-faq.html", [], []),
        ("README.html", [], []),
    ],
)
def test_navigation_boxes(html: Built, page: str, lines: list[str], hrefs: list[list[str]]) -> None:
    parsed = soup(html, page)
    assert nav_lines(parsed) == lines
    assert nav_hrefs(parsed) == hrefs
    assert len(parsed.select(".mosaic-path-nav")) == (1 if lines else 0)


def test_navigation_box_sits_under_the_title(html: Built) -> None:
    section = soup(html, "1-getting-started/2-local-setup.html").select_one("section")
    assert section is not None
    children = [child for child in section.children if isinstance(child, Tag)]
    assert children[0].name == "h1"
    box = section.select_one(".mosaic-path-nav")
    assert box in children[:3]  # after the title (and the status line)
    assert children.index(box) < children.index(section.find("p", string="Set up your machine."))


def test_overview(html: Built) -> None:
    overview = soup(html, "README.html").select_one("ul.mosaic-path-overview")
    assert overview is not None
    items = overview.select(":scope > li")
    assert [text(li) for li in items] == [
        "For New Users (4 steps) — Start here if you are new to the project. "
        "Start with Quick Start More for this audience: FAQ",
        "For Architects (3 steps) Start with Type Sharing",
        "For Developers (3 steps) — The rules of the road. Start with Branching Strategy "
        "More for this audience: FAQ, Code Review",
    ]
    assert [a["href"] for a in items[0].select("a")] == [
        "#path-new-users",
        "1-getting-started/1-quick-start.html",
        "1-getting-started/4-faq.html",
    ]
    assert [a["href"] for a in items[2].select("a")] == [
        "2-development/README.html#path-developers",
        "2-development/1-branching-strategy.html",
        "1-getting-started/4-faq.html",
        "2-development/4-code-review.html",
    ]


def test_path_ref_role(html: Built) -> None:
    links = soup(html, "1-getting-started/4-faq.html").find_all("a", title="For New Users")
    # {path:ref} and {any} both find the path and show its title.
    assert [(link["href"], link.get_text()) for link in links] == [
        ("../README.html#path-new-users", "For New Users"),
        ("../README.html#path-new-users", "For New Users"),
    ]


def test_css_is_shipped(html: Built) -> None:
    assert (html.outdir / "_static" / "mosaic-paths.css").is_file()
    links = [str(link["href"]) for link in soup(html, "README.html").select("link[rel=stylesheet]")]
    assert any(href.startswith("_static/mosaic-paths.css") for href in links)


@pytest.mark.parametrize(
    ("where", "top", "bottom"),
    [("bottom", False, True), ("both", True, True), ("none", False, False)],
)
def test_navigation_placement(tmp_path: Path, where: str, top: bool, bottom: bool) -> None:
    app = build_once(tmp_path, "html", mosaic_path_navigation=where)
    page = soup(app, "1-getting-started/2-local-setup.html")
    assert bool(page.select(".mosaic-path-nav-top")) is top
    assert bool(page.select(".mosaic-path-nav-bottom")) is bottom
    if bottom:
        box = page.select_one(".mosaic-path-nav-bottom")
        # Below the page's last content (its last section).
        assert box.find_previous("p", string="Install the tools.") is not None
    expected = ["For New Users — step 2 of 4: ← Quick Start | Environment Configuration →"]
    assert nav_lines(page) == expected * (int(top) + int(bottom))
    assert app.warnings == ""


def test_overview_for_one_audience_in_rest(html: Built) -> None:
    overview = soup(html, "2-development/README.html").select_one("ul.mosaic-path-overview")
    assert overview is not None
    assert [text(li) for li in overview.select(":scope > li")] == [
        "For Developers (3 steps) — The rules of the road. Start with Branching Strategy"
    ]
