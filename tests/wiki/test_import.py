"""``sphinx-mosaic import``: BookStack ZIP exports to a numbered MyST tree."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path, PurePosixPath

import pytest
from helpers.cli import options_of, undocumented_options
from helpers.fake_bookstack.fixtures import png

from sphinx_mosaic.cli import main

PNG = png()


def page(pid: int, name: str, html: str, priority: int, **extra: object) -> dict[str, object]:
    return {"id": pid, "name": name, "html": html, "priority": priority, **extra}


def write_zip(path: Path, data: dict[str, object], files: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data.json", json.dumps(data))
        for name, content in (files or {}).items():
            archive.writestr(f"files/{name}", content)
    return path


def mixed_book(tmp_path: Path) -> Path:
    """A book mixing chapters and book-level pages, in priority order 0..4, listed shuffled."""
    book = {
        "id": 1,
        "name": "User Guide",
        "description_html": "<p>All about <strong>it</strong>.</p>",
        "tags": [{"name": "mosaic-status", "value": "complete"}],
        "pages": [
            page(30, "Last words", "<p>Bye.</p>", 4),
            page(
                10,
                "Intro",
                '<p id="bkmrk-a">See <a href="[[bsexport:page:21]]#bkmrk-deep">deep</a>.</p>'
                '<p><img alt="pic" src="[[bsexport:image:1]]"></p>',
                0,
                tags=[
                    {"name": "mosaic-status", "value": "draft"},
                    {"name": "mosaic-audience", "value": "admins"},
                    {"name": "team", "value": "docs"},
                ],
                images=[{"id": 1, "name": "Picture One.png", "file": "abc.png", "type": "gallery"}],
            ),
            page(11, "Middle page", "<p>Between chapters.</p>", 2),
        ],
        "chapters": [
            {
                "id": 5,
                "name": "Setup",
                "description_html": "<p>Getting ready.</p>",
                "priority": 1,
                "pages": [
                    page(21, "Deep", '<h2 id="bkmrk-deep">Deep</h2><p>x</p>', 1),
                    page(20, "Setup", "<p>The rest of the index page.</p>", 0),
                ],
            },
            {"id": 6, "name": "Later", "priority": 3, "pages": [page(40, "Only", "<p>y</p>", 0)]},
        ],
    }
    return write_zip(tmp_path / "book.zip", {"book": book}, {"abc.png": PNG})


def test_import_mixed_book_keeps_every_page_in_order(tmp_path: Path) -> None:
    out = tmp_path / "tree"
    assert main(["import", str(mixed_book(tmp_path)), "-o", str(out)]) == 0
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == [
        "1-user-guide/1-intro.md",
        "1-user-guide/2-setup/1-deep.md",
        "1-user-guide/2-setup/README.md",
        "1-user-guide/3-middle-page.md",
        "1-user-guide/4-later/1-only.md",
        "1-user-guide/4-later/README.md",
        "1-user-guide/5-last-words.md",
        "1-user-guide/README.md",
        "1-user-guide/img/picture-one.png",
        "README.md",
        "conf.py",
    ]
    assert (out / "1-user-guide/img/picture-one.png").read_bytes() == PNG
    assert (out / "1-user-guide/README.md").read_text() == (
        "---\nstatus: complete\n---\n\n# User Guide\n\nAll about **it**.\n"
    )
    assert (out / "1-user-guide/1-intro.md").read_text() == (
        '---\nstatus: draft\naudience: [admins]\nwiki-tags:\n  - "team: docs"\n---\n\n'
        "# Intro\n\nSee [deep](/user-guide/setup/deep#deep).\n\n![pic](img/picture-one.png)\n"
    )
    # The chapter's first page named like the chapter is the rest of its index page.
    assert (out / "1-user-guide/2-setup/README.md").read_text() == (
        "# Setup\n\nGetting ready.\n\nThe rest of the index page.\n"
    )


def test_import_is_deterministic(tmp_path: Path) -> None:
    source = mixed_book(tmp_path)
    main(["import", str(source), "-o", str(tmp_path / "a")])
    main(["import", str(source), "-o", str(tmp_path / "b")])
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*.md")}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*.md")}
    assert a == b


def test_import_reports_what_did_not_convert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = {
        "name": "B",
        "pages": [
            page(1, "P", '<p><a href="[[bsexport:page:99]]">gone</a></p><iframe></iframe>', 0)
        ],
    }
    source = write_zip(tmp_path / "b.zip", {"book": book})
    report = tmp_path / "report.txt"
    assert main(["import", str(source), "-o", str(tmp_path / "t"), "--report", str(report)]) == 1
    out = capsys.readouterr().out
    assert "1-b/1-p.md: link 'gone' to [[bsexport:page:99]]: not in the export, kept as text" in out
    assert report.read_text() == out


def test_import_refuses_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    assert main(["import", str(bad), "-o", str(tmp_path / "t")]) == 2
    assert "not a ZIP file" in capsys.readouterr().err
    empty = write_zip(tmp_path / "e.zip", {"shelf": {}})
    assert main(["import", str(empty), "-o", str(tmp_path / "t")]) == 2
    assert "holds no book, chapter or page" in capsys.readouterr().err
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    assert main(["import", str(mixed_book(tmp_path)), "-o", str(tmp_path / "full")]) == 2
    assert "is not empty" in capsys.readouterr().err


def test_every_option_is_in_the_reference() -> None:
    assert "--sphinx-design" in options_of("import")
    assert undocumented_options("import", "4-import.md") == []


@pytest.mark.sphinx
def test_imported_mixed_book_builds_without_warnings(tmp_path: Path) -> None:
    from helpers.build import build

    out = tmp_path / "tree"
    assert main(["import", str(mixed_book(tmp_path)), "-o", str(out), "--title", "Shelf"]) == 0
    for builder in ("html", "bookstack"):
        _outdir, warnings = build(out, tmp_path / f"_{builder}", builder)
        assert warnings == "", (builder, warnings)


def test_attachments_saved_beside_the_page_and_linked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    html = (
        '<p><a href="[[bsexport:attachment:1]]">the manual</a> and '
        '<a href="[[bsexport:attachment:2]]">the site</a></p>'
    )
    attachments = [
        {"id": 1, "name": "Manual v2", "file": "r4nd0m.pdf"},
        {"id": 2, "name": "Site", "link": "https://example.org/site"},
        {"id": 3, "name": "Notes", "file": "n0t3s.txt"},
    ]
    book = {"name": "B", "pages": [page(1, "P", html, 0, attachments=attachments)]}
    source = write_zip(
        tmp_path / "b.zip", {"book": book}, {"r4nd0m.pdf": b"%PDF", "n0t3s.txt": b"x"}
    )
    out = tmp_path / "t"
    assert main(["import", str(source), "-o", str(out)]) == 1
    assert (out / "1-b/files/manual-v2.pdf").read_bytes() == b"%PDF"
    assert (out / "1-b/files/notes.txt").read_bytes() == b"x"
    assert (out / "1-b/1-p.md").read_text() == (
        "# P\n\n[the manual](files/manual-v2.pdf) and [the site](https://example.org/site)\n"
    )
    assert "1-b/1-p.md: attachment 'Notes' is not linked from the page" in capsys.readouterr().out


def test_a_file_whose_name_gives_no_slug_is_named_by_its_id(tmp_path: Path) -> None:
    """A picture named in Chinese gives no ASCII slug: its file is ``file-<id>``, not the
    ``page`` that stands in for a page's name."""
    from sphinx_mosaic.wiki.export import WikiFile
    from sphinx_mosaic.wiki.importer import ImportResult, _Files

    files = _Files(tmp_path, ImportResult())
    saved = files.save(PurePosixPath("book"), "img", WikiFile(7, "图片.png", PNG, ".png"), ".png")
    assert saved == PurePosixPath("book/img/file-7.png")
    assert (tmp_path / "book/img/file-7.png").read_bytes() == PNG
