"""The layout model on its own: numbers, order, titles, kinds, issues, names."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinx_mosaic.layout.model import (
    Folder,
    Page,
    build_layout,
    discover,
    humanize,
    plain_path,
    split_number,
    strip_title_number,
)
from sphinx_mosaic.layout.sources import SourceInfo, markdown_heading, read_source, rst_heading


def reader_from(headings: dict[str, str], toctrees: set[str] | None = None) -> object:
    def read(source: str) -> SourceInfo:
        return SourceInfo(heading=headings.get(source), has_toctree=source in (toctrees or ()))

    return read


def titles(folder: Folder) -> list[str]:
    return [child.title for child in folder.children]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("1-overview", (1, "overview")),
        ("01-overview", (1, "overview")),
        ("10_reference", (10, "reference")),
        ("overview", (None, "overview")),
        ("v2.0-notes", (None, "v2.0-notes")),
        ("2024", (None, "2024")),
    ],
)
def test_split_number(name: str, expected: tuple[int | None, str]) -> None:
    assert split_number(name) == expected


def test_humanize_and_strip_numbers() -> None:
    assert humanize("quick-start") == "Quick start"
    assert humanize("api_reference") == "Api reference"
    assert strip_title_number("01 Gitea") == "Gitea"
    assert strip_title_number("2.3 Backups") == "Backups"
    assert strip_title_number("2024") == "2024"
    assert strip_title_number("Python 3") == "Python 3"


def test_numbers_compare_as_numbers_and_pages_interleave_with_chapters() -> None:
    sources = [
        "README.md",
        "10-ten/README.md",
        "2-two/README.md",
        "2-two/2-page.md",
        "2-two/1-chapter/1-a.md",
        "2-two/03-late.md",
        "1-one/README.md",
        "1-one/1-p.md",
    ]
    layout = build_layout(sources, reader_from({}))
    assert [b.path for b in layout.books] == ["1-one", "2-two", "10-ten"]
    two = layout.books[1]
    assert [c.number for c in two.children] == [1, 2, 3]
    assert isinstance(two.children[0], Folder) and two.children[0].kind == "chapter"
    assert isinstance(two.children[1], Page)
    assert layout.active


def test_titles_front_matter_heading_and_file_name() -> None:
    def read(source: str) -> SourceInfo:
        return {
            "1-b/1-fm.md": SourceInfo(heading="Heading", front_matter={"title": "From FM"}),
            "1-b/2-h.md": SourceInfo(heading="02 Heading only"),
        }.get(source, SourceInfo())

    layout = build_layout(["README.md", "1-b/1-fm.md", "1-b/2-h.md", "1-b/3-no-title.md"], read)
    assert titles(layout.books[0]) == ["From FM", "02 Heading only", "No title"]
    stripped = build_layout(
        ["README.md", "1-b/1-fm.md", "1-b/2-h.md"], read, strip_title_numbers=True
    )
    assert titles(stripped.books[0]) == ["From FM", "Heading only"]
    # A book without an index page is titled from its folder name.
    assert layout.books[0].title == "B"


def test_chapter_without_index_is_hosted_by_its_first_page() -> None:
    layout = build_layout(
        ["README.md", "1-b/README.md", "1-b/1-ch/1-x.md", "1-b/1-ch/2-y.md", "1-b/2-p.md"],
        reader_from({}),
    )
    chapter = layout.books[0].children[0]
    assert isinstance(chapter, Folder)
    assert chapter.index is None and chapter.title == "Ch"
    assert chapter.host == "1-b/1-ch/1-x"
    toctrees = layout.toctrees()
    assert toctrees["1-b/README"] == [("Ch", "1-b/1-ch/1-x"), ("P", "1-b/2-p")]
    assert toctrees["1-b/1-ch/1-x"] == [("Y", "1-b/1-ch/2-y")]


def test_nested_folders_without_index_share_a_host() -> None:
    layout = build_layout(
        ["README.md", "1-b/1-ch/1-sec/1-x.md", "1-b/1-ch/1-sec/2-y.md", "1-b/1-ch/2-z.md"],
        reader_from({}),
    )
    assert layout.toctrees()["1-b/1-ch/1-sec/1-x"] == [
        ("Y", "1-b/1-ch/1-sec/2-y"),
        ("Z", "1-b/1-ch/2-z"),
    ]


def test_unnumbered_folders() -> None:
    sources = ["README.md", "1-b/README.md", "1-b/1-p.md", "notes/a.md", "notes/b.md"]
    after = build_layout(sources, reader_from({}))
    assert [e.path for e in after.extras] == ["notes"]
    assert after.toctrees()["README"][-1] == ("Notes", "notes/a")
    hidden = build_layout(sources, reader_from({}), unnumbered="hidden")
    assert ("Notes", "notes/a") not in hidden.toctrees()["README"]
    assert hidden.hidden_docnames() == {"notes/a", "notes/b"}
    books = build_layout(sources, reader_from({}), unnumbered="books")
    assert [b.path for b in books.books] == ["1-b", "notes"]


def test_unnumbered_folder_with_numbered_content_is_a_book() -> None:
    # An older tree: unnumbered top-level folders, numbered pages below them, no root README.
    sources = [
        "NOTES.md",
        "engineering/getting-started/README.md",
        "engineering/getting-started/02-tools.md",
        "engineering/getting-started/01-setup.md",
        "engineering/api/overview.md",
        "1-handbook/1-intro.md",
        "scratch/todo.md",
    ]
    layout = build_layout(sources, reader_from({}), root_doc="NOTES")
    assert layout.active
    assert [b.path for b in layout.books] == ["1-handbook", "engineering"]
    assert [e.path for e in layout.extras] == ["scratch"]
    engineering = layout.books[1]
    assert [(c.kind, c.path) for c in engineering.children] == [
        ("chapter", "engineering/api"),
        ("chapter", "engineering/getting-started"),
    ]
    chapter = engineering.children[1]
    assert isinstance(chapter, Folder)
    assert [p.docname for p in chapter.content_pages] == [
        "engineering/getting-started/01-setup",
        "engineering/getting-started/02-tools",
    ]
    # One issue, for the folder, saying how to choose otherwise; no "unnumbered" noise.
    assert [(i.code, i.path) for i in layout.issues] == [("unnumbered-book", "engineering")]
    assert 'mosaic_unnumbered_books = "never"' in layout.issues[0].message
    assert layout.issues[0].docname == "engineering/api/overview"
    assert layout.book_of("engineering/getting-started/01-setup") is engineering
    never = build_layout(sources, reader_from({}), root_doc="NOTES", unnumbered_books="never")
    assert [b.path for b in never.books] == ["1-handbook"]
    assert [e.path for e in never.extras] == ["engineering", "scratch"]
    assert never.issues == []
    # "books" makes every unnumbered folder a book already: no warning to give.
    books = build_layout(sources, reader_from({}), root_doc="NOTES", unnumbered="books")
    assert [b.path for b in books.books] == ["1-handbook", "engineering", "scratch"]
    assert books.issues == []


def test_unnumbered_books_alone_activate_the_layout() -> None:
    sources = ["index.md", "guide/1-a.md", "guide/2-b.md", "notes/x.md"]
    layout = build_layout(sources, reader_from({}), root_doc="index")
    assert layout.active
    assert [b.path for b in layout.books] == ["guide"]
    assert layout.toctrees()["index"][0] == ("Guide", "guide/1-a")
    assert not build_layout(
        sources, reader_from({}), root_doc="index", unnumbered_books="never"
    ).active


def test_tree_without_numbered_folders_is_inactive() -> None:
    # A Sphinx project: the root page writes its own toctree.
    sources = ["index.md", "guide/a.md", "guide/b.md", "1-x.md"]
    layout = build_layout(sources, reader_from({}, {"index.md"}))
    assert not layout.active
    assert layout.toctrees() == {}
    assert layout.issues == []


def test_tree_without_numbers_or_toctree_makes_its_folders_books() -> None:
    """Else every page but the root would be unreachable (html, PDF and BookStack)."""
    sources = ["README.md", "sdk/ops/status.md", "sdk/arch/plan.md", "sdk/arch/a.md", "tools/x.md"]
    layout = build_layout(sources, reader_from({}))
    assert layout.active
    assert [b.path for b in layout.books] == ["sdk", "tools"]
    assert [c.path for c in layout.books[0].children] == ["sdk/arch", "sdk/ops"]
    assert [i.code for i in layout.issues] == ["unnumbered-book", "unnumbered-book"]
    assert "write a toctree in the root page" in layout.issues[0].message
    # Not for a root page with a toctree, nor with unnumbered_books = "never", nor where
    # another extension writes the toctrees.
    assert not build_layout(sources, reader_from({}, {"README.md"})).active
    assert not build_layout(sources, reader_from({}), unnumbered_books="never").active
    assert not build_layout(sources, reader_from({}), folder_books=False).active


def test_read_source_sees_a_toctree(tmp_path: Path) -> None:
    for name, text, expected in [
        ("a.md", "# A\n\n```{toctree}\nb\n```\n", True),
        ("b.md", "# B\n\n:::{toctree}\nc\n:::\n", True),
        ("c.rst", "C\n=\n\n.. toctree::\n\n   d\n", True),
        ("d.md", "# D\n\nThe word toctree in text.\n", False),
    ]:
        (tmp_path / name).write_text(text)
        assert read_source(tmp_path / name).has_toctree is expected, name


def test_structure_issues() -> None:
    sources = [
        "README.md",
        "1-a/README.md",
        "1-a/1-x.md",
        "1-a/1-y.md",
        "1-a/loose.md",
        "1-a/1-ch/1-deep/1-z.md",
        "2-empty/README.md",
        "3-page.md",
    ]
    layout = build_layout(sources, reader_from({}))
    found = sorted((issue.code, issue.path) for issue in layout.issues)
    assert found == [
        ("duplicate-number", "1-a/1-x.md"),
        ("empty-book", "2-empty/README.md"),
        ("outside-book", "3-page.md"),
        ("too-deep", "1-a/1-ch/1-deep"),
        ("unnumbered", "1-a/loose.md"),
    ]
    duplicate = next(issue for issue in layout.issues if issue.code == "duplicate-number")
    # The chapter 1-ch, and the pages 1-x and 1-y all carry number 1.
    assert "'1-a/1-ch', '1-a/1-x.md', '1-a/1-y.md'" in duplicate.message


def test_plain_names_and_ambiguity() -> None:
    layout = build_layout(
        ["README.md", "1-a/README.md", "1-a/1-ch/1-x.md", "1-a/2-same.md", "1-a/3-same.md"],
        reader_from({}),
    )
    names = layout.plain_names()
    assert names["a"] == "1-a/README"
    assert names["a/ch"] == "1-a/1-ch/1-x"
    assert names["a/ch/x"] == "1-a/1-ch/1-x"
    assert "a/same" not in names
    assert layout.ambiguous_names() == {"a/same": ["1-a/2-same", "1-a/3-same"]}
    assert plain_path("01-a/2-b/x") == "a/b/x"


def test_index_md_and_readme_rst(tmp_path: Path) -> None:
    (tmp_path / "1-a").mkdir()
    (tmp_path / "index.md").write_text("# Root\n")
    (tmp_path / "1-a" / "README.rst").write_text("Book A\n======\n\ntext\n")
    (tmp_path / "1-a" / "1-p.md").write_text("---\ntitle: [unclosed\n---\n# P\n")
    layout = discover(tmp_path)
    assert layout.root.index is not None and layout.root.index.docname == "index"
    assert layout.books[0].title == "Book A"
    assert [(i.code, i.line) for i in layout.issues] == [("front-matter", 2)]


def test_heading_readers() -> None:
    assert markdown_heading("```\n# not a title\n```\n\n# Real **title**\n") == "Real title"
    assert markdown_heading("Setext title\n============\n") == "Setext title"
    assert markdown_heading("no heading at all\n") is None
    # markdown-it-py reads them as MyST does: entities, escapes, links, code, blocks.
    assert markdown_heading("# Caf&eacute; \\*menu\\* [link](x.md) `code`\n") == (
        "Café *menu* link code"
    )
    assert markdown_heading("<div>\n\n# in html\n</div>\n\n# After\n") == "in html"
    assert markdown_heading("    # indented code\n\n## Second\n") == "Second"
    assert markdown_heading("> # quoted\n\nPlain\n-----\n") == "Plain"
    assert markdown_heading(":::{note}\n# in a directive\n:::\n\n# Title\n") == "Title"
    assert markdown_heading("#hashtag, not a heading\n\n# Real\n") == "Real"
    assert markdown_heading("- item\n---\n") is None
    assert rst_heading(".. comment\n\n=====\nTitle\n=====\n\ntext\n") == "Title"
    assert rst_heading(":status: partial\n\nDoc\n---\n") == "Doc"


def test_read_source_survives_bad_bytes(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(b"# Caf\xe9\n")
    assert read_source(path).heading == "Caf\ufffd"
    assert read_source(tmp_path / "missing.md") == SourceInfo()


def test_to_dict_is_json_ready() -> None:
    import json

    layout = build_layout(["README.md", "1-a/1-x.md"], reader_from({"1-a/1-x.md": "X"}))
    data = json.loads(json.dumps(layout.to_dict()))
    assert data["shelf"]["children"][0]["children"][0] == {
        "kind": "page",
        "number": 1,
        "title": "X",
        "docname": "1-a/1-x",
        "source": "1-a/1-x.md",
        "name": "a/x",
    }
