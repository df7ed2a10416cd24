"""Our placeholder post-transforms walk no doctree when no document holds their placeholder,
and still resolve every placeholder when a page gains or loses one on an incremental build,
or after a -j 2 read.

The four post-transforms (page footer, status table, reading paths, ``mosaic-contents``) run
on every page of every builder, html's Mermaid one on every html page; most projects hold
none of their nodes, and each walk of each page cost about 1 % of the write phase.  Which
documents hold them is kept on the environment, and a walk happens only when any document
(not the page being written: LaTeX, singlehtml and texinfo resolve one tree assembled from
many) holds one.  Every page holds a reading-path navigation slot: with no path and no path
overview in the project, those are removed by a walk that is not ``findall``.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from helpers.build import ROOTS, Built
from helpers.build import build as shared_build

from sphinx_mosaic.paths.directives import path_placeholder

#: Our post-transforms that look for nodes of their own on every page of every builder.
TRANSFORMS = {
    "PageFooter.run",
    "StatusTableResolver.run",
    "PathResolver.run",
    "ContentsResolver.run",
    "HtmlMermaid.run",
}

#: Appended to one page of test-layout-basic: one placeholder of each kind the layout shows,
#: and a Mermaid fence.
DIRECTIVES = """

```{status-table}
```

```{mosaic-contents} 1-getting-started
```

```{path} newcomers
:title: Newcomers

1-getting-started/1-quick-start/1-overview
1-getting-started/2-installation
```

```mermaid
graph LR
  A --> B
```
"""

#: What every build of the layout project sets: no footers, and sphinxcontrib-mermaid
#: loaded (the html output shows a Mermaid fence through it).
LAYOUT_CONFIG = {
    "mosaic_page_footer": False,
    "extensions": ["myst_parser", "sphinx_mosaic", "sphinxcontrib.mermaid"],
}

#: The page that gains and loses the placeholders; the path's first step is another page.
HOST = "1-getting-started/2-installation"
MEMBER = "1-getting-started/1-quick-start/1-overview"


def layout_project(tmp_path: Path) -> Path:
    """test-layout-basic without its shelf's contents list: no page holds a placeholder
    (each build turns footers off)."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-layout-basic", src)
    readme = src / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").split("```{mosaic-contents}")[0])
    return src


def touch(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    # Sphinx compares modification times: make the edit visibly newer.
    stamp = path.stat().st_mtime + 10
    os.utime(path, (stamp, stamp))


def html_pages(outdir: Path) -> dict[str, bytes]:
    return {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*.html"))
        if "_static" not in path.parts
    }


def soup(outdir: Path, docname: str) -> BeautifulSoup:
    return BeautifulSoup((outdir / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


@pytest.fixture
def walks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Each of our post-transforms (by ``Class.run``) that searched a tree with ``findall``."""
    searched: list[str] = []
    findall = nodes.Node.findall

    def spy(self: nodes.Node, *args: Any, **kwargs: Any) -> Any:
        frame = sys._getframe(1)
        # ``co_qualname`` is Python 3.11's: the class comes from the frame's ``self``.
        owner = frame.f_locals.get("self")
        caller = f"{type(owner).__name__}.{frame.f_code.co_name}"
        if caller in TRANSFORMS:
            searched.append(caller)
        return findall(self, *args, **kwargs)

    monkeypatch.setattr(nodes.Node, "findall", spy)
    yield searched


@pytest.mark.parametrize("builder", ["html", "bookstack"])
def test_no_placeholder_no_walk(tmp_path: Path, walks: list[str], builder: str) -> None:
    """A toctree project holds no placeholder but a navigation slot on every page: nothing
    searches a tree for a placeholder, and the slots leave no trace."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-bookstack-toctree", src)
    left: list[str] = []  # pages whose resolved tree still holds a placeholder
    seen: list[str] = []  # pages the handler looked at

    def resolved(app: Any, doctree: nodes.document, docname: str) -> None:
        seen.append(docname)
        stack: list[nodes.Node] = [doctree]
        while stack:  # not findall: the spy would count it
            node = stack.pop()
            if isinstance(node, path_placeholder):
                left.append(docname)
            stack.extend(node.children if isinstance(node, nodes.Element) else ())

    built = shared_build(src, tmp_path / "build", builder, connect=[("doctree-resolved", resolved)])
    assert built.statuscode == 0
    assert walks == []
    assert len(seen) > 10 and left == []  # every slot removed, not merely left unwritten
    written = [path for path in built.outdir.rglob("*.html") if "_static" not in path.parts]
    assert len(written) > 10
    for path in written:
        assert "mosaic-path" not in path.read_text(encoding="utf-8").split("</head>")[-1]


def test_placeholders_walked_only_when_held(tmp_path: Path, walks: list[str]) -> None:
    """The spy sees the walks once a page holds the placeholders (it can see them at all)."""
    src = layout_project(tmp_path)
    touch(src / f"{HOST}.md", (src / f"{HOST}.md").read_text(encoding="utf-8") + DIRECTIVES)
    built = shared_build(src, tmp_path / "build", "html", confoverrides=LAYOUT_CONFIG)
    assert built.statuscode == 0
    assert set(walks) == TRANSFORMS - {"PageFooter.run"}


def reading() -> tuple[list[str], tuple[str, Callable[..., None]]]:
    """A list, and the handler to connect that fills it with the documents a build reads."""
    read: list[str] = []

    def note(app: Any, env: Any, docnames: list[str]) -> None:
        read.extend(sorted(docnames))

    return read, ("env-before-read-docs", note)


def assert_same_as_fresh(src: Path, incremental: Built, fresh_dir: Path, parallel: int) -> None:
    fresh = build_layout(src, fresh_dir, parallel, freshenv=True)
    assert incremental.warnings == fresh.warnings == ""
    assert html_pages(incremental.outdir) == html_pages(fresh.outdir)


def build_layout(src: Path, builddir: Path, parallel: int, **options: Any) -> Built:
    built = shared_build(
        src,
        builddir,
        "html",
        parallel=parallel,
        confoverrides=LAYOUT_CONFIG,
        **options,
    )
    assert built.statuscode == 0
    return built


@pytest.mark.parametrize("parallel", [0, 2], ids=["serial", "j2"])
def test_page_gains_and_loses_placeholders(tmp_path: Path, parallel: int, walks: list[str]) -> None:
    """test-layout-basic (footers off) holds no placeholder; one page gains a status table, a
    contents list and a path, then loses them, each time the only page changed."""
    src = layout_project(tmp_path)
    builddir = tmp_path / "incremental"
    build_layout(src, builddir, parallel)
    host = src / f"{HOST}.md"
    original = host.read_text(encoding="utf-8")

    touch(host, original + DIRECTIVES)
    read, note = reading()
    gained = build_layout(src, builddir, parallel, connect=[note])
    assert read == [HOST]
    page = soup(gained.outdir, HOST)
    assert page.select("table.mosaic-status-table tbody tr")
    assert page.select("ul.mosaic-contents li a")
    assert page.select("ol.mosaic-path-steps li")
    assert page.select(".mermaid")
    # The path's first step was not read again: its stored tree's slot gives the box now.
    assert soup(gained.outdir, MEMBER).select(".mosaic-path-nav")
    assert_same_as_fresh(src, gained, tmp_path / "fresh-gained", parallel)

    touch(host, original)
    walks.clear()
    read, note = reading()
    lost = build_layout(src, builddir, parallel, connect=[note])
    assert read == [HOST]
    assert walks == []  # the page is no longer counted
    for docname in (HOST, MEMBER):
        page = soup(lost.outdir, docname)
        assert not page.select(".mosaic-status-table, .mosaic-contents, .mosaic-path-nav, .mermaid")
    assert_same_as_fresh(src, lost, tmp_path / "fresh-lost", parallel)


@pytest.mark.parametrize("parallel", [0, 2], ids=["serial", "j2"])
def test_page_gains_and_loses_the_footer(tmp_path: Path, parallel: int, walks: list[str]) -> None:
    """Every page turns its footer off but one: built afresh (with -j 2, the footer page is
    read in another process), then that page turns it off and on again, each time the only
    page changed; the footer follows."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_mosaic"]\nproject = "Footers"\n'
        'release = "2.5"\nmosaic_page_footer = True\nmosaic_last_updated_sources = []\n'
    )
    off = "---\npage_footer: false\n---\n"
    names = ["index", *(f"page{number}" for number in range(7))]
    for name in names:
        toctree = "\n```{toctree}\n" + "\n".join(names[1:]) + "\n```\n" if name == "index" else ""
        front = "" if name == "page3" else off
        (src / f"{name}.md").write_text(f"{front}# {name.title()}\n\nText.\n{toctree}")
    builddir = tmp_path / "incremental"

    def footers(built: Built) -> dict[str, str]:
        assert built.statuscode == 0
        assert built.warnings == ""
        found = {}
        for name in names:
            footer = soup(built.outdir, name).select_one(".mosaic-page-footer")
            if footer is not None:
                found[name] = footer.get_text()
        return found

    assert footers(shared_build(src, builddir, "html", parallel=parallel)) == {
        "page3": "Version: 2.5"
    }
    page = src / "page3.md"
    text = page.read_text(encoding="utf-8")
    touch(page, off + text)
    assert "PageFooter.run" in walks  # the spy sees the footer's walk while one page has one
    walks.clear()
    read, note = reading()
    lost = shared_build(src, builddir, "html", parallel=parallel, connect=[note])
    assert read == ["page3"]
    assert footers(lost) == {}
    assert walks == []
    touch(page, text)
    read, note = reading()
    gained = shared_build(src, builddir, "html", parallel=parallel, connect=[note])
    assert read == ["page3"]
    assert footers(gained) == {"page3": "Version: 2.5"}
