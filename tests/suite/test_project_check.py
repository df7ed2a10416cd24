"""The checks tests/helpers/project_check.py adds to the ZIP checks, on crafted outputs."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from helpers.build import ROOTS
from helpers.project_check import differing_files, images_shown, left_out, page_html, with_mosaic


def test_the_documents_left_out_on_purpose_are_read_from_the_one_warning() -> None:
    stderr = (
        "/src/index.rst: WARNING: the BookStack output leaves out the documents in no "
        "toctree: 404, notes/old (list them in a toctree, or set mosaic_bookstack_extras = "
        '"books" to put them in a book of their own) [mosaic.bookstack]\n'
        "/src/a.rst:3: WARNING: something else [mosaic.image]\n"
    )
    assert left_out(stderr) == ["404", "notes/old"]
    assert left_out("/src/a.rst:3: WARNING: something else\n") == []


def test_images_of_an_html_page_are_those_of_its_main_element() -> None:
    page = (
        '<html><body><div class="sidebar"><img src="_static/logo.png"></div>'
        '<article role="main"><p><img src="_images/a.png"></p>'
        '<figure><img src="_images/b.png"></figure></article></body></html>'
    )
    assert images_shown(page, main=True) == 2
    assert images_shown('<p><img src="[[bsexport:image:1]]"></p>', main=False) == 1
    with pytest.raises(ValueError, match="role"):
        images_shown('<html><body><img src="a.png"></body></html>', main=True)


def _zip(path: Path, pages: list[dict[str, object]]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data.json", json.dumps({"book": {"id": 1, "pages": pages}}))


def test_the_html_of_each_page_by_document(tmp_path: Path) -> None:
    (tmp_path / "books").mkdir()
    _zip(tmp_path / "books" / "a.zip", [{"id": 1, "html": "<p>one</p>"}])
    manifest = {
        "books": [
            {
                "zip": "books/a.zip",
                "contents": [{"type": "page", "docname": "intro", "zip_id": 1}],
            }
        ]
    }
    assert page_html(tmp_path, manifest) == {"intro": "<p>one</p>"}


def test_alongside_files_that_differ_or_are_missing_are_named(tmp_path: Path) -> None:
    for side in ("alongside", "standalone"):
        (tmp_path / side / "books").mkdir(parents=True)
        (tmp_path / side / "manifest.json").write_text("{}")
        (tmp_path / side / "books" / "same.zip").write_bytes(b"same")
    (tmp_path / "alongside" / "books" / "a.zip").write_bytes(b"one")
    (tmp_path / "standalone" / "books" / "a.zip").write_bytes(b"two")
    (tmp_path / "standalone" / "books" / "only.zip").write_bytes(b"x")
    # Only what is imported and published is compared: the ZIPs and manifest.json.
    (tmp_path / "alongside" / "html").mkdir()
    (tmp_path / "alongside" / "html" / "p.html").write_text("x")
    assert differing_files(tmp_path / "alongside", tmp_path / "standalone") == [
        "books/a.zip",
        "books/only.zip",
    ]
    assert differing_files(tmp_path / "standalone", tmp_path / "standalone") == []


def test_the_extensions_are_read_from_a_relative_source_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``python tests/helpers/project_check.py docs out``: Sphinx reads conf.py from the
    folder it is in, so a relative source folder must be made absolute first."""
    monkeypatch.chdir(ROOTS.parent)
    assert with_mosaic(Path("roots/test-layout-basic")) == [
        "-D",
        "extensions=myst_parser,sphinx_mosaic",
    ]
