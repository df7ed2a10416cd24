"""The shelf manifest the publisher reads (contract: helper-manifest.md).

UTF-8 JSON with sorted keys and an indent of 2, so it is deterministic and
diffs well.  ``format`` names the contract version.
"""

from __future__ import annotations

import json
from typing import Any

from sphinx_mosaic import __version__
from sphinx_mosaic.bookstack.assemble import BookOut, ChapterOut, PageOut, content_hash, tags_json

FORMAT = "sphinx-mosaic-bookstack/1"


def _page(page: PageOut) -> dict[str, Any]:
    return {
        "type": "page",
        "key": page.plan.key,
        "docname": page.plan.docname,
        "source": page.plan.source,
        "name": page.name,
        "priority": page.priority,
        "zip_id": page.zip_id,
        "tags": page.tags,
        "hash": page.hash,
        "images": page.images,
        "attachments": page.attachments,
        "cross_links": page.cross_links,
    }


def _chapter(chapter: ChapterOut) -> dict[str, Any]:
    return {
        "type": "chapter",
        "key": chapter.plan.key,
        "docname": chapter.plan.docname,
        "name": chapter.name,
        "description_html": chapter.description_html,
        "priority": chapter.priority,
        "zip_id": chapter.zip_id,
        "tags": chapter.tags,
        "hash": content_hash(chapter.name, chapter.description_html, tags_json(chapter.tags)),
        "pages": [_page(page) for page in chapter.pages],
    }


def manifest(
    project: str,
    shelf_name: str,
    shelf_description: str,
    shelf_docname: str | None,
    books: list[BookOut],
) -> dict[str, Any]:
    entries = []
    for priority, book in enumerate(books):
        entries.append(
            {
                "key": book.plan.key,
                "docname": book.plan.docname,
                "name": book.name,
                "description_html": book.description_html,
                "priority": priority,
                "zip": f"books/{book.plan.file_stem}.zip",
                "zip_id": 1,
                "tags": book.tags,
                "hash": content_hash(book.name, book.description_html, tags_json(book.tags)),
                "contents": [
                    _chapter(e) if isinstance(e, ChapterOut) else _page(e) for e in book.contents
                ],
            }
        )
    return {
        "format": FORMAT,
        "generator": f"sphinx-mosaic {__version__}",
        "project": project,
        "shelf": {
            "name": shelf_name,
            "description_html": shelf_description,
            "docname": shelf_docname or "",
        },
        "books": entries,
    }


def manifest_bytes(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")
