"""Broken files in a docs tree: each gets a clear warning and the rest of the build completes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

MakeApp = Callable[..., SphinxTestApp]
OneBook = Callable[[dict[str, str]], Path]


def strip_colors(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


@pytest.fixture
def broken_tree(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    book = src / "1-book"
    (book / "3-loop").mkdir(parents=True)
    (src / "conf.py").write_text('extensions = ["myst_parser", "sphinx_mosaic"]\nproject = "P"\n')
    (src / "README.md").write_text("# Shelf\n\ntext\n")
    (book / "README.md").write_text("no heading in this index page\n")
    (book / "1-empty.md").write_text("")
    (book / "2-latin1.md").write_bytes(b"# Caf\xe9\n\nlatin-1, not UTF-8\n")
    (book / "4-binary.md").write_bytes(bytes(range(256)) * 4)
    (book / "5-huge.md").write_text(
        "# Huge\n\n" + ("lorem ipsum dolor sit amet " * 40 + "\n\n") * 4700
    )
    (book / "6-headings.md").write_text(
        "# Many headings\n\n" + "".join(f"## Heading {i}\n\ntext {i}\n\n" for i in range(3000))
    )
    (book / "7-fine.md").write_text("# Fine\n\nThe rest of the book.\n")
    (book / "3-loop" / "up").symlink_to("..")
    secret = tmp_path / "secret.txt"
    secret.write_text("password=hunter2\n")
    (book / "8-outside.md").symlink_to(secret)
    return src


def test_broken_files_warn_and_build_completes(make_app: MakeApp, broken_tree: Path) -> None:
    assert (broken_tree / "1-book/5-huge.md").stat().st_size > 5_000_000
    app = make_app("html", srcdir=broken_tree)
    app.build()
    assert app.statuscode == 0
    src = str(broken_tree)
    warnings = strip_colors(app.warning.getvalue()).replace(src + "/", "")
    assert sorted(warnings.splitlines()) == sorted(
        [
            "1-book/2-latin1.md:1: WARNING: 1-book/2-latin1.md is not utf-8-sig text (byte 0xe9 "
            "at offset 5); re-save it as utf-8-sig; it is left out of the build [mosaic.source]",
            "1-book/4-binary.md:2: WARNING: 1-book/4-binary.md is not utf-8-sig text (byte 0x80 "
            "at offset 128); re-save it as utf-8-sig; it is left out of the build "
            "[mosaic.source]",
            f"WARNING: 1-book/8-outside.md is a symbolic link to {broken_tree.parent}/secret.txt, "
            "outside the source folder; it is left out of the build [mosaic.source]",
            "WARNING: 1-book/3-loop/up is a symbolic link to a folder that contains it; it is left "
            "out of the build [mosaic.source]",
            "1-book/1-empty.md: WARNING: 1-book/1-empty.md has no heading; it is titled 'Empty' "
            "(start it with '# Title', or set a front matter title) [mosaic.no-title]",
            "1-book/README.md: WARNING: 1-book/README.md has no heading; it is titled 'Book' "
            "(start it with '# Title', or set a front matter title) [mosaic.no-title]",
        ]
    )
    out = Path(app.outdir)
    for page in ("1-empty", "5-huge", "6-headings", "7-fine", "README"):
        assert (out / "1-book" / f"{page}.html").is_file(), page
    # Nothing from outside the source folder is published.
    published = "".join(p.read_text(errors="replace") for p in out.rglob("*.html"))
    assert "hunter2" not in published
    assert not (out / "1-book/8-outside.html").exists()
    # The looping link did not multiply documents.
    assert not (out / "1-book/3-loop").exists()
    assert "Heading 2999" in (out / "1-book/6-headings.html").read_text()


def test_missing_and_mislabelled_images_warn_in_html_and_bookstack(
    make_app: MakeApp, one_book: OneBook
) -> None:
    src = one_book(
        {
            "1-images.md": "# Images\n\n![missing](nope.png)\n\n![fake](fake.png)\n\n"
            "The text stays.\n",
            "fake.png": "this is text, not a PNG\n",
        }
    )
    for buildername in ("html", "bookstack"):
        app = make_app(buildername, srcdir=src, builddir=src.parent / buildername)
        app.build()
        assert app.statuscode == 0
        warnings = strip_colors(app.warning.getvalue())
        assert "1-book/1-images.md:3: WARNING: image file not readable: 1-book/nope.png" in warnings
        if buildername == "bookstack":
            assert (
                "1-book/1-images.md:5: WARNING: image '1-book/fake.png' is not a usable image, "
                "it is left out of the BookStack output and its alt text is shown instead: Pillow "
                "cannot read it: cannot identify image file [mosaic.image]"
            ) in warnings
            books = list(Path(app.outdir).glob("books/*.zip"))
            assert len(books) == 1
            import zipfile

            with zipfile.ZipFile(books[0]) as archive:
                data = archive.read("data.json").decode()
                assert "The text stays." in data
                assert not any(name.endswith("-fake.png") for name in archive.namelist())
                assert "fake" in json.loads(data)["book"]["pages"][0]["html"]


def test_an_empty_heading_is_titled_and_texinfo_builds(
    make_app: MakeApp, one_book: OneBook
) -> None:
    src = one_book({"1-empty-heading.md": "# \n\nThe text.\n"})
    # Sphinx's texinfo writer asserts on a section without a name; we give it one.
    app = make_app("texinfo", srcdir=src)
    app.build()
    assert app.statuscode == 0
    assert strip_colors(app.warning.getvalue()).replace(str(src) + "/", "").splitlines() == [
        "1-book/1-empty-heading.md:1: WARNING: 1-book/1-empty-heading.md starts with an empty "
        "heading; "
        "it is titled 'Empty heading' [mosaic.no-title]"
    ]
    texinfo = next(Path(app.outdir).glob("*.texi")).read_text()
    assert "Empty heading" in texinfo
    assert "The text." in texinfo
