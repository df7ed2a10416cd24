"""Every path check gives its exact warning, with file and line, and loses no content."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers.build import Built, build

ROOTS = Path(__file__).parents[1] / "roots"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def build_root(tmp_path: Path, builder: str = "html", **conf: object) -> Built:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-paths-checks", srcdir)
    return build(srcdir, tmp_path / "_build", builder, confoverrides=conf)


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The root built as html, once for the tests that read its warnings and pages."""
    return build_root(tmp_path_factory.mktemp("paths-checks"))


def warnings_of(built: Built) -> list[str]:
    text = ANSI.sub("", built.warnings)
    return [line.replace(str(built.app.srcdir) + "/", "") for line in text.splitlines() if line]


def test_exact_warnings(html: Built) -> None:
    app = html
    assert warnings_of(app) == [
        "README.md:7: WARNING: path 'one', step 2: no page 'no/such/page'; name a docname, "
        "a source path or a number-free name, or mark a step that is to be added as planned "
        "('planned: no/such/page') [mosaic.path]",
        "README.md:8: WARNING: path 'one' lists page '1-guide/1-start' twice (steps 1 and 3); "
        "its navigation uses step 1 [mosaic.path]",
        "README.md:12: WARNING: duplicate path id 'one': it is already defined in README.md:3; "
        "give each path its own id (this one is shown here but gives no navigation) "
        "[mosaic.path]",
        "README.md:18: WARNING: path 'empty' has no steps; list one page a line in the "
        "directive's content [mosaic.path]",
        "1-guide/2-more.rst:8: WARNING: path 'rst-path', step 2: no page 'missing-page'; name a "
        "docname, a source path or a number-free name, or mark a step that is to be added as "
        "planned ('planned: missing-page') [mosaic.path]",
        # Written while the page is written: a {path:ref} to an unknown id; a MyST
        # anchor link that leads nowhere stays MyST's business (not a path id).
        "1-guide/1-start.md:5: WARNING: 'myst' cross-reference target not found: 'nowhere' "
        "[myst.xref_missing]",
        "1-guide/1-start.md:5: WARNING: unknown path id 'nope' (paths: empty, one, rst-path) "
        "[mosaic.path]",
    ]


def test_suppressible(tmp_path: Path) -> None:
    app = build_root(tmp_path, suppress_warnings=["mosaic.path"], nitpicky=True)
    assert [w for w in warnings_of(app) if "mosaic" in w] == []


def test_path_ref_to_an_unknown_id_is_text(html: Built) -> None:
    app = html
    page = BeautifulSoup((Path(app.outdir) / "1-guide/1-start.html").read_text(), "html.parser")
    paragraph = page.find(lambda tag: tag.name == "p" and tag.get_text().startswith("See "))
    assert " ".join(paragraph.get_text().split()) == (
        "See nope and One. A local link to an anchor is not a path."
    )
    # Only the known id is a link to a path; "nope" is plain text.
    assert [a.get_text() for a in paragraph.select("a") if "path-" in a["href"]] == ["One"]
    assert [a["href"] for a in paragraph.select("a") if "path-" in a["href"]] == [
        "../README.html#path-one"
    ]


def test_bad_paths_lose_no_content(html: Built) -> None:
    app = html
    page = BeautifulSoup((Path(app.outdir) / "README.html").read_text(), "html.parser")
    first, duplicate = page.select("div.mosaic-path")[:2]
    items = first.select("ol.mosaic-path-steps > li")
    # The unknown target stays as text (not a broken link), marked as missing.
    assert [" ".join(li.get_text().split()) for li in items] == [
        "Start",
        "no/such/page",
        "Start",
        "Later Status: Planned",
    ]
    assert "mosaic-path-missing" in items[1]["class"]
    assert items[1].select("a") == []
    # The duplicate is still shown where written, with an id of its own.
    assert duplicate.select_one(".mosaic-path-title")["id"] == "path-one-2"
    assert [" ".join(li.get_text().split()) for li in duplicate.select("li")] == ["Start"]
    # The page listed twice navigates from its first step; the duplicate id gives no box.
    start = BeautifulSoup((Path(app.outdir) / "1-guide/1-start.html").read_text(), "html.parser")
    lines = [" ".join(p.get_text().split()) for p in start.select(".mosaic-path-nav-line")]
    assert lines == ["One — step 1 of 4", "From reST — step 1 of 2"]


@pytest.mark.parametrize("builder", ["text", "latex"])
def test_warnings_do_not_depend_on_the_builder(tmp_path: Path, builder: str) -> None:
    app = build_root(tmp_path, builder)
    assert len([w for w in warnings_of(app) if w.endswith("[mosaic.path]")]) == 6
