"""The BookStack output model and the manifest contract both sides import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import manifest_problems
from sphinx.testing.util import SphinxTestApp

from sphinx_mosaic.bookstack.format.manifest import (
    FORMAT,
    ManifestError,
    content_hash,
    manifest_data,
    read_manifest,
    reference,
    shelf_from_manifest,
)
from sphinx_mosaic.publish.bundle import load_bundle


@pytest.mark.sphinx("bookstack", testroot="bookstack", srcdir="bookstack-model")
def test_manifest_reads_back_into_the_model_it_was_written_from(app: SphinxTestApp) -> None:
    app.build()
    out = Path(app.outdir)
    data = read_manifest(out / "manifest.json")
    assert manifest_problems(out / "manifest.json") == []
    # The contract's reader and writer are each other's inverse.
    assert manifest_data(shelf_from_manifest(data, out)) == data
    bundle = load_bundle(out)
    book = bundle.books[0]
    assert book.zip_path == out / "books" / f"{book.file_stem}.zip"
    for page in bundle.pages():
        # Every reference in a page names an object of its own ZIP.
        for kind in ("image", "attachment"):
            for asset in getattr(page, f"{kind}s"):
                assert asset.data, asset
        assert page.book_key in {b.key for b in bundle.books}
    assert sum(len(p.images) for p in bundle.pages()) >= 1
    assert any(reference("image", 1) in p.html for p in bundle.pages())


def test_schema_rejects_what_the_publisher_could_not_read(tmp_path: Path) -> None:
    manifest = {
        "format": FORMAT,
        "generator": "sphinx-mosaic 0",
        "project": "p",
        "shelf": {"name": "Shelf", "description_html": "", "docname": "index"},
        "books": [
            {
                "key": "guide",
                "docname": None,
                "name": "Guide",
                "description_html": "",
                "priority": 0,
                "zip": "books/guide.zip",
                "zip_id": 1,
                "tags": [],
                "hash": content_hash("Guide"),
                "contents": [{"type": "page", "key": "guide/a", "name": "A"}],
            }
        ],
    }
    path = tmp_path / "broken-manifest.json"
    path.write_text(json.dumps(manifest))
    problems = manifest_problems(path)
    assert [p.split(": ", 2)[1] for p in problems] == ["books/0/contents/0"], problems
    manifest["format"] = "sphinx-mosaic-bookstack/0"
    path.write_text(json.dumps(manifest))
    with pytest.raises(ManifestError, match="this publisher reads 'sphinx-mosaic-bookstack/1'"):
        read_manifest(path)


def test_content_hash_separates_its_parts() -> None:
    assert content_hash("ab", "c") != content_hash("a", "bc")
    assert content_hash("a") == content_hash(b"a")
    assert reference("page", 3) == "[[bsexport:page:3]]"
