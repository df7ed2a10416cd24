"""The navigation rendered once per build gives every page the bytes Sphinx and Furo write.

Each test builds one tree of over a hundred pages twice into separate output
folders from the same environment: once with ``mosaic_navigation_once`` off
(Sphinx's ``toctree()`` and Furo's own code on every page) and once with it on,
and compares every HTML file byte for byte.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers.build import build as shared_build

from sphinx_mosaic.performance import sidebar as navigation

CHAPTERS, PAGES = 5, 11

#: Titles that exercise escaping and inline markup in navigation links.
ODD_TITLES = (
    "Fish & chips <fast>",
    'Quotes "double" and \u2018single\u2019',
    "Ünïcödé ✓ 日本語",
    "Inline `code` and *emphasis*",
    "Mail user@example.com",
)


def write_tree(src: Path, theme: str, books: int) -> int:
    """A numbered shelf of *books* books x 5 chapters x 11 pages, a deeper folder, extras,
    a hand-written toctree with a caption and an external link; returns the page count."""
    src.mkdir(parents=True)
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_mosaic"]\n'
        f"html_theme = {theme!r}\n"
        'exclude_patterns = ["_build"]\n'
        # Two sidebars with different toctree() arguments: alabaster's collapsed
        # navigation with sections, and the basic theme's global toctree.
        + (
            'html_sidebars = {"**": ["navigation.html", "globaltoc.html"]}\n'
            if theme != "furo"
            else ""
        ),
        encoding="utf-8",
    )
    (src / "README.md").write_text("# The shelf\n\nWelcome.\n", encoding="utf-8")
    count = 1
    for b in range(1, books + 1):
        book = src / f"{b}-book-{b}"
        book.mkdir(parents=True)
        index = f"# Book {b}\n\nIntro.\n"
        if b == 2:
            # A hand-written toctree: respected, with its caption and an external link.
            chapters = "\n".join(f"{c}-chapter-{c}/README" for c in range(1, CHAPTERS + 1))
            index += (
                f"\n```{{toctree}}\n:caption: Chapters of book {b}\n\n{chapters}\n"
                "9-faq\nExample <https://example.com/>\n```\n"
            )
        (book / "README.md").write_text(index, encoding="utf-8")
        (book / "9-faq.md").write_text(f"# FAQ {b}\n\n## Why\n\nBecause.\n", encoding="utf-8")
        count += 2
        for c in range(1, CHAPTERS + 1):
            chapter = book / f"{c}-chapter-{c}"
            chapter.mkdir()
            (chapter / "README.md").write_text(f"# Chapter {b}.{c}\n\nText.\n", encoding="utf-8")
            count += 1
            for p in range(1, PAGES + 1):
                title = f"Page {b}.{c}.{p}"
                if p <= len(ODD_TITLES) and c == 1:
                    title = f"{ODD_TITLES[p - 1]} {b}"
                body = f"# {title}\n\nText {p}.\n\n## Section {p}\n\nMore.\n\n### Deeper\n\nEnd.\n"
                (chapter / f"{p}-page-{p}.md").write_text(body, encoding="utf-8")
                count += 1
        deep = book / f"{CHAPTERS}-chapter-{CHAPTERS}" / "12-deeper"
        deep.mkdir()
        (deep / "README.md").write_text(f"# Deeper {b}\n\nText.\n", encoding="utf-8")
        (deep / "1-leaf.md").write_text(f"# Leaf {b}\n\nText.\n", encoding="utf-8")
        count += 2
    notes = src / "scratchpads"
    notes.mkdir()
    (notes / "note.md").write_text("# A note\n\nText.\n", encoding="utf-8")
    return count + 1


def build(
    src: Path, builddir: Path, builder: str, theme: str, *, once: bool, parallel: int = 0
) -> Path:
    return shared_build(
        src,
        builddir,
        builder,
        # Sphinx's test application would use the basic theme otherwise.
        confoverrides={"mosaic_navigation_once": once, "html_theme": theme},
        parallel=parallel,
    ).outdir


def html_files(out: Path) -> dict[str, bytes]:
    return {
        path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*.html"))
    }


@pytest.mark.parametrize(
    ("builder", "theme", "parallel", "books"),
    [
        # 140 pages each: the slow path they are compared with is quadratic, and a
        # mismatch shows on any page (more books only repeat the same shapes).
        ("html", "furo", 0, 2),
        ("dirhtml", "furo", 2, 2),
        ("html", "alabaster", 0, 2),
    ],
)
def test_pages_are_byte_identical(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    builder: str,
    theme: str,
    parallel: int,
    books: int,
) -> None:
    src = tmp_path / "src"
    pages = write_tree(src, theme, books)
    rendered = []
    render = navigation._Template.render

    def counting(self: navigation._Template, *args: object) -> str:
        rendered.append(args)
        return render(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(navigation._Template, "render", counting)
    fast = build(src, tmp_path / "fast", builder, theme, once=True, parallel=parallel)
    assert rendered, "the shared navigation was not used"
    # The same environment, written again the slow way into another folder.
    shutil.copytree(tmp_path / "fast" / "doctrees", tmp_path / "slow" / "doctrees")
    rendered.clear()
    slow = build(src, tmp_path / "slow", builder, theme, once=False)
    assert not rendered
    expected, actual = html_files(slow), html_files(fast)
    assert len(actual) >= pages
    assert sorted(actual) == sorted(expected)
    different = [name for name in expected if expected[name] != actual[name]]
    assert different == []
    # The shared template was used: a page marks its own entry and expands its branch.
    page = (
        fast
        / "2-book-2"
        / "3-chapter-3"
        / ("4-page-4" + ("/index" if builder == "dirhtml" else "") + ".html")
    ).read_text(encoding="utf-8")
    if theme == "furo":
        assert 'class="toctree-l3 current current-page"' in page
    assert 'class="current reference internal" href="#"' in page


def test_a_collapsed_sidebar_computes_the_urls_of_the_links_it_shows_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Computing every link of the tree for each folder made big builds quadratic.
    src = tmp_path / "src"
    write_tree(src, "alabaster", 2)
    conf = src / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace('"globaltoc.html"', '"relations.html"'),
        encoding="utf-8",
    )
    computed: list[str] = []
    relative_uri = navigation.relative_uri

    def counting(base: str, to: str) -> str:
        computed.append(to)
        return relative_uri(base, to)

    monkeypatch.setattr(navigation, "relative_uri", counting)
    fast = build(src, tmp_path / "fast", "html", "alabaster", once=True)
    monkeypatch.setattr(navigation, "relative_uri", relative_uri)
    slow = build(src, tmp_path / "slow", "html", "alabaster", once=False)
    assert html_files(fast) == html_files(slow)
    pages = len(html_files(fast))
    folders = len({path.parent for path in fast.rglob("*.html")})
    links = len(set(computed))  # every link of the tree is the target of one
    # Each page shows the books and its own branch: far fewer than every link per folder.
    assert computed
    assert len(computed) < folders * links / 3, (len(computed), folders, links, pages)
