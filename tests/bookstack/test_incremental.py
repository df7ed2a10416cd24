"""Determinism, incremental rebuilds, parallel writing, alongside mode and options."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from helpers.build import all_pages, build, copy_root, fragment_times, output_files, read_book
from helpers.zip_checker import check_package
from sphinx.builders import Builder
from sphinx.errors import ExtensionError
from sphinx.util.parallel import parallel_available

from sphinx_mosaic import images
from sphinx_mosaic.bookstack.translate.fragment import fragment_folder


def _svg_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """resvg refuses every SVG, as it does a broken one."""

    def refuse(data: bytes) -> bytes:
        raise images.SvgError("unknown token at 1:1")

    monkeypatch.setattr(images, "svg_to_png", refuse)


def test_same_sources_give_identical_bytes(tmp_path: Path) -> None:
    srcdir = copy_root("bookstack", tmp_path)
    first, _ = build(srcdir, tmp_path / "one")
    second, _ = build(srcdir, tmp_path / "two")
    assert output_files(first) == output_files(second)
    assert any(name.endswith(".zip") for name in output_files(first))


def test_parallel_build_gives_serial_bytes(tmp_path: Path) -> None:
    srcdir = copy_root("bookstack", tmp_path)
    serial, _ = build(srcdir, tmp_path / "serial")
    parallel, warnings = build(srcdir, tmp_path / "parallel", parallel=2)
    assert warnings == ""
    assert output_files(parallel) == output_files(serial)


def test_editing_one_page_retranslates_it_and_rewrites_its_book(tmp_path: Path) -> None:
    srcdir = copy_root("bookstack", tmp_path)
    builddir = tmp_path / "_build"
    outdir, _ = build(srcdir, builddir)
    books = outdir / "books"
    zips_before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in books.iterdir()}
    fragments_before = fragment_times(builddir)

    page = srcdir / "1-guide" / "1-basics" / "2-links.md"
    page.write_text(page.read_text() + "\nAn added paragraph.\n")
    later = page.stat().st_mtime + 5
    os.utime(page, (later, later))
    _, warnings = build(srcdir, builddir)
    assert warnings == ""

    fragments_after = fragment_times(builddir)
    changed = {name for name in fragments_after if fragments_after[name] != fragments_before[name]}
    expected = {"1-guide/1-basics/2-links.json"}
    if not hasattr(Builder, "write_documents"):
        # Sphinx 8.0 writes toctree parents and the root document without asking
        # the builder (write_documents() came in 8.1).
        expected |= {"1-guide/1-basics/README.json", "README.json"}
    assert changed == expected
    zips_after = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in books.iterdir()}
    assert zips_after["2-other.zip"] == zips_before["2-other.zip"]
    assert zips_after["1-guide.zip"][1] != zips_before["1-guide.zip"][1]
    assert "An added paragraph." in json.dumps(read_book(books / "1-guide.zip"))


def build_alongside(srcdir: Path, builddir: Path, parallel: int = 1) -> tuple[Path, str]:
    """An html build with alongside BookStack output."""
    return build(
        srcdir,
        builddir,
        "html",
        parallel=parallel,
        confoverrides={"mosaic_bookstack_alongside": True},
    )


def _record_writers(monkeypatch: pytest.MonkeyPatch, log: Path) -> None:
    """Note which process writes each HTML page and each BookStack page (forked
    workers inherit the patches and append to the same file)."""
    from sphinx.builders.html import StandaloneHTMLBuilder

    from sphinx_mosaic.bookstack.builder import BookStackBuilder

    def recording(kind: str, original: Any) -> Any:
        def write_doc(self: Any, docname: str, doctree: Any) -> None:
            with log.open("a") as out:
                out.write(f"{kind} {os.getpid()} {docname}\n")
            original(self, docname, doctree)

        return write_doc

    for kind, cls in (("html", StandaloneHTMLBuilder), ("bookstack", BookStackBuilder)):
        monkeypatch.setattr(cls, "write_doc", recording(kind, cls.write_doc))


def _writers(log: Path, kind: str) -> dict[str, list[int]]:
    """Each document's writing processes, for one kind of page."""
    written: dict[str, list[int]] = {}
    for line in log.read_text().splitlines():
        what, pid, docname = line.split()
        if what == kind:
            written.setdefault(docname, []).append(int(pid))
    return written


@pytest.mark.parametrize("parallel", [1, 2])
def test_alongside_translates_each_page_where_its_html_page_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel: int
) -> None:
    log = tmp_path / "writers.log"
    _record_writers(monkeypatch, log)
    srcdir = copy_root("bookstack", tmp_path)
    html, warnings = build_alongside(srcdir, tmp_path / "site", parallel)
    assert warnings == ""
    assert (html / "README.html").is_file()
    pages, books = _writers(log, "html"), _writers(log, "bookstack")
    documents = len([p for p in srcdir.rglob("*") if p.suffix in (".md", ".rst")])
    assert len(books) == documents
    # Once each, in the process that wrote the HTML page: no second pass, no extra process.
    assert all(len(pids) == 1 for pids in books.values()), books
    assert {name: pids[0] for name, pids in books.items()} == {
        name: pids[0] for name, pids in pages.items()
    }
    workers = {pid for pids in books.values() for pid in pids} - {os.getpid()}
    assert bool(workers) == (parallel > 1 and parallel_available)

    standalone, _ = build(srcdir, tmp_path / "standalone")
    assert output_files(html / "bookstack") == output_files(standalone)


def test_alongside_pauses_the_garbage_collector_only_while_a_page_is_translated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from sphinx_mosaic.bookstack.builder import BookStackBuilder

    seen: list[bool] = []
    write_doc = BookStackBuilder.write_doc

    def record(self: Any, docname: str, doctree: Any) -> None:
        seen.append(gc.isenabled())
        if docname.endswith("2-links"):
            raise RuntimeError("a translation that fails")
        write_doc(self, docname, doctree)

    monkeypatch.setattr(BookStackBuilder, "write_doc", record)
    assert gc.isenabled()
    with pytest.raises(ExtensionError, match="a translation that fails"):
        build(
            copy_root("bookstack", tmp_path),
            tmp_path / "site",
            "html",
            confoverrides={"mosaic_bookstack_alongside": True},
        )
    # Paused for each page translated, back on after the failed one.
    assert seen and not any(seen)
    assert gc.isenabled()


@pytest.mark.parametrize("first_read", [1, 2])
def test_alongside_incremental_build_translates_what_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first_read: int
) -> None:
    srcdir = copy_root("bookstack", tmp_path)
    site = tmp_path / "site"
    # -j 2: the pages' verdicts (navigation_only) come back from the reading workers.
    build_alongside(srcdir, site, first_read)

    log = tmp_path / "writers.log"
    _record_writers(monkeypatch, log)
    page = srcdir / "1-guide" / "1-basics" / "2-links.md"
    page.write_text(page.read_text() + "\nAn added paragraph.\n")
    later = page.stat().st_mtime + 5
    os.utime(page, (later, later))
    html, warnings = build_alongside(srcdir, site)
    assert warnings == ""
    translated = set(_writers(log, "bookstack"))
    # The page, not its chapter's index, which Sphinx writes again for the navigation.
    assert translated == {"1-guide/1-basics/2-links"}
    assert set(_writers(log, "html")) == {"1-guide/1-basics/2-links", "1-guide/1-basics/README"}

    standalone, _ = build(srcdir, tmp_path / "standalone")
    assert output_files(html / "bookstack") == output_files(standalone)
    assert "An added paragraph." in json.dumps(read_book(html / "bookstack/books/1-guide.zip"))


def test_alongside_turned_on_for_an_up_to_date_site_writes_every_book(tmp_path: Path) -> None:
    srcdir = copy_root("bookstack", tmp_path)
    site = tmp_path / "site"
    build(srcdir, site, "html")
    html, warnings = build_alongside(srcdir, site)
    assert warnings == ""
    standalone, _ = build(srcdir, tmp_path / "standalone")
    assert output_files(html / "bookstack") == output_files(standalone)


@pytest.mark.parametrize("parallel", [1, 2])
def test_alongside_warnings_reach_the_build_with_their_location(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel: int
) -> None:
    _svg_fails(monkeypatch)
    srcdir = copy_root("bookstack", tmp_path)
    html, warnings = build_alongside(srcdir, tmp_path / "site", parallel)
    (line,) = [line for line in warnings.splitlines() if line]
    assert "2-links.md:13:" in line and "diagram.svg" in line and "[mosaic.image]" in line
    assert check_package(html / "bookstack" / "books" / "1-guide.zip") == []


def test_extras_as_books(tmp_path: Path) -> None:
    srcdir = copy_root("bookstack", tmp_path)
    outdir, warnings = build(
        srcdir, tmp_path / "_build", confoverrides={"mosaic_bookstack_extras": "books"}
    )
    assert warnings == ""
    extra = outdir / "books" / "scratchpads.zip"
    assert check_package(extra) == []
    pages = read_book(extra)["book"]["pages"]
    assert [page["name"] for page in pages] == ["Notes"]


def test_entry_point_without_listing_the_extension(tmp_path: Path) -> None:
    srcdir = copy_root("bookstack", tmp_path)
    outdir, _ = build(
        srcdir,
        tmp_path / "_build",
        confoverrides={"extensions": ["myst_parser", "sphinx.ext.todo"]},
    )
    assert sorted(p.name for p in (outdir / "books").iterdir()) == ["1-guide.zip", "2-other.zip"]


def test_unconvertible_svg_is_left_out_with_its_alt_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _svg_fails(monkeypatch)
    srcdir = copy_root("bookstack", tmp_path)
    outdir, warnings = build(srcdir, tmp_path / "_build")
    (line,) = [line for line in warnings.splitlines() if line]
    assert "2-links.md:13:" in line and "diagram.svg" in line and "[mosaic.image]" in line
    assert "unknown token at 1:1" in line
    path = outdir / "books" / "1-guide.zip"
    assert check_package(path) == []
    book = read_book(path)["book"]
    links = next(p for p in book["chapters"][0]["pages"] if p["name"] == "Links")
    assert [a["name"] for a in links["attachments"]] == ["data.csv"]
    assert [i["name"] for i in links["images"]] == ["picture.png"]
    assert "A diagram" in links["html"]
    with zipfile.ZipFile(path) as archive:
        assert not any(name.endswith("diagram.svg") for name in archive.namelist())


def test_names_over_the_limit_are_shortened_with_a_warning(tmp_path: Path) -> None:
    srcdir = copy_root("bookstack", tmp_path)
    title = "Long " * 70
    (srcdir / "2-other" / "2-long.md").write_text(f"# {title}\n\nText.\n")
    outdir, warnings = build(srcdir, tmp_path / "_build")
    (line,) = [line for line in warnings.splitlines() if line]
    assert "2-other/2-long" in line and "[mosaic.bookstack-limit]" in line
    path = outdir / "books" / "2-other.zip"
    assert check_package(path) == []
    names = [page["name"] for page in read_book(path)["book"]["pages"]]
    assert len(names[-1]) == 255 and names[-1].endswith("…")


def test_removed_pages_and_books_leave_the_output(tmp_path: Path) -> None:
    srcdir = copy_root("bookstack", tmp_path)
    builddir = tmp_path / "_build"
    outdir, _ = build(srcdir, builddir, confoverrides={"mosaic_bookstack_extras": "books"})
    assert (outdir / "books" / "scratchpads.zip").is_file()
    assert list((outdir / "html" / "1-guide").glob("page-*-nested.html"))
    shutil.rmtree(srcdir / "1-guide" / "1-basics" / "3-deep")
    outdir, warnings = build(srcdir, builddir)  # extras left out again
    assert warnings == ""
    assert not (outdir / "books" / "scratchpads.zip").exists()
    assert not (outdir / "html" / "scratchpads").exists()
    assert not list((outdir / "html" / "1-guide").glob("page-*-nested.html"))
    book = read_book(outdir / "books" / "1-guide.zip")["book"]
    assert [p["name"] for p in book["chapters"][0]["pages"]] == ["Blocks", "Links"]


def test_link_to_a_page_left_out_warns_and_keeps_the_text(tmp_path: Path) -> None:
    srcdir = copy_root("bookstack", tmp_path)
    with (srcdir / "2-other" / "1-target.md").open("a") as page:
        page.write("\nSee [the notes](../scratchpads/notes.md).\n")
    outdir, warnings = build(srcdir, tmp_path / "_build")
    (line,) = [line for line in warnings.splitlines() if line]
    assert "2-other/1-target" in line and "scratchpads/notes" in line
    assert "[mosaic.bookstack]" in line
    pages = read_book(outdir / "books" / "2-other.zip")["book"]["pages"]
    # Really without a target: no <a href="#">, which would go to the top of the page.
    assert "See <span>the notes</span>." in pages[-1]["html"]
    assert 'href="#"' not in pages[-1]["html"]


def test_files_over_the_upload_limit_warn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sphinx_mosaic.bookstack import output

    monkeypatch.setattr(output, "UPLOAD_LIMIT", 2_000)
    outdir, warnings = build(copy_root("bookstack", tmp_path), tmp_path / "_build")
    lines = [line for line in warnings.splitlines() if "[mosaic.bookstack-limit]" in line]
    assert any("data.json of book 'The guide'" in line for line in lines)
    assert any("books/1-guide.zip" in line for line in lines)
    assert check_package(outdir / "books" / "1-guide.zip") == []  # still written


@pytest.mark.parametrize(
    ("overrides", "listed"),
    [
        ({}, False),
        ({"mosaic_bookstack_extras": "books"}, True),
        ({"mosaic_bookstack_alongside": True}, False),
    ],
)
def test_shelf_contents_list_only_what_bookstack_holds(
    tmp_path: Path, overrides: dict[str, Any], listed: bool
) -> None:
    """The shelf page's generated contents list names scratchpads/ in html; in BookStack
    only when extras are books (else the entry would link nowhere, and is left out)."""
    srcdir = copy_root("layout-basic", tmp_path)
    builder = "html" if overrides.get("mosaic_bookstack_alongside") else "bookstack"
    outdir, warnings = build(srcdir, tmp_path / "out", builder, confoverrides=overrides)
    assert warnings == ""
    if builder == "html":
        assert "Scratchpads" in (outdir / "README.html").read_text(encoding="utf-8")
        outdir = outdir / "bookstack"
    (first, *_) = sorted((outdir / "books").glob("*.zip"))
    shelf_page = next(p for p in read_book(first)["book"]["pages"] if p["name"] == "Shelf")
    assert "Getting started" in shelf_page["html"]
    assert ("Scratchpads" in shelf_page["html"]) is listed


def test_the_skeleton_is_mapped_once_after_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The skeleton was mapped four to five times per build (outdated documents, the
    documents to write, the described documents, the assembly); now once after the read
    phase, and once more before it when a rebuild compares with the build before."""
    from sphinx_mosaic.bookstack import incremental, mapping

    calls: list[int] = []

    def counted(env: Any) -> Any:
        calls.append(len(env.found_docs))
        return mapping.shelf_skeleton(env)

    monkeypatch.setattr(incremental, "shelf_skeleton", counted)
    srcdir = copy_root("bookstack", tmp_path)
    first, _ = build(srcdir, tmp_path / "_build")
    assert len(calls) == 1
    page = next(srcdir.rglob("*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    calls.clear()
    again, _ = build(srcdir, tmp_path / "_build")
    assert len(calls) == 2
    assert sorted(p.name for p in (again / "books").iterdir()) == sorted(
        p.name for p in (first / "books").iterdir()
    )


def test_fragments_of_an_older_version_are_translated_again(tmp_path: Path) -> None:
    """After an upgrade, fragments an older version wrote (newer than their sources, so
    current by their dates) are not read: the pages are translated again, also when an
    ``html`` build on the same doctree folder re-read the sources first, as ``sphinx-build
    -M html`` then ``-M bookstack`` do.  They were refused when loaded, and the books came
    out empty, without a warning."""
    src = copy_root("bookstack", tmp_path)
    builddir = tmp_path / "_build"
    first = build(src, builddir)
    before = _pages(first.outdir)
    cache = builddir / "doctrees" / "bookstack"
    # What 0.1 left: its fragments in ``fragments/``, of version 2.
    old = cache / "fragments"
    fragment_folder(cache).rename(old)
    for path in old.rglob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["version"] = 2
        path.write_text(json.dumps(data), encoding="utf-8")
    build(src, builddir, "html", freshenv=True)  # re-reads every source
    again = build(src, builddir)
    after = _pages(again.outdir)
    assert after == before
    assert all(html.strip() for html in after.values())
    assert not old.exists()  # the other version's folder is removed


def _pages(outdir: Path) -> dict[str, str]:
    """Page name -> HTML, over every ZIP."""
    return {
        page["name"]: page["html"]
        for path in sorted((outdir / "books").glob("*.zip"))
        for page in all_pages(read_book(path)["book"])
    }
