"""One book's ``data.json`` and ``files/``: tokens become ZIP references.

* links inside the book: ``[[bsexport:page:N]]#bkmrk-...`` (or the book or
  chapter reference for an index page);
* links into another book: the predicted BookStack URL, listed in the page's
  ``cross_links`` for the publisher;
* images: ``[[bsexport:image:N]]``, listed in the ``images`` of the first page
  that uses them; images BookStack cannot take become attachments;
* downloads: ``[[bsexport:attachment:N]]``, one attachment per page using it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import PurePosixPath
from typing import Any

from sphinx_mosaic.bookstack.assemble import (
    IMAGE_NAME_LIMIT,
    Assembler,
    BookOut,
    ChapterOut,
    PageOut,
    content_hash,
    limited,
    tags_json,
)
from sphinx_mosaic.bookstack.fragments import TOKEN
from sphinx_mosaic.bookstack.links import bookstack_slug
from sphinx_mosaic.warnings import MosaicWarning, warn

_IMG_TAG = re.compile(r"<img [^>]*?src=\"\[\[mosaic:image:(\d+)\]\]\"[^>]*>")


@dataclass
class ZipContext:
    """Ids and files of one book while its pages are resolved."""

    images: dict[str, int] = field(default_factory=dict)  # file reference -> id
    image_files: dict[int, str] = field(default_factory=dict)
    attachment_files: dict[int, str] = field(default_factory=dict)
    next_attachment: int = 0
    #: Predicted cross-book URL -> (target docname, anchor), for the browsable copy.
    cross: dict[str, tuple[str, str]] = field(default_factory=dict)


def build_book(asm: Assembler, book: BookOut) -> ZipContext:
    """Resolve every page of *book* and fill ``book.data`` and ``book.files``."""
    context = ZipContext()
    for page in book.pages():
        _resolve_page(asm, book, page, context)
    chapters: list[dict[str, Any]] = []
    pages: list[dict[str, Any]] = []
    for entry in book.contents:
        if isinstance(entry, ChapterOut):
            chapters.append(_chapter_json(entry))
        else:
            pages.append(entry.json)
    book_json: dict[str, Any] = {"id": 1, "name": book.name}
    if book.description_html:
        book_json["description_html"] = book.description_html
    book_json.update({"tags": book.tags, "chapters": chapters, "pages": pages})
    book.data = {"book": book_json}
    return context


def _chapter_json(chapter: ChapterOut) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": chapter.zip_id,
        "name": chapter.name,
        "priority": chapter.priority,
    }
    if chapter.description_html:
        data["description_html"] = chapter.description_html
    data["tags"] = chapter.tags
    data["pages"] = [page.json for page in chapter.pages]
    return data


def _resolve_page(asm: Assembler, book: BookOut, page: PageOut, context: ZipContext) -> None:
    fragment = page.fragment
    location = page.plan.docname
    image_json: list[dict[str, Any]] = []
    attachment_json: list[dict[str, Any]] = []
    file_hashes: list[str] = []
    image_src: dict[int, str] = {}
    image_as_attachment: dict[int, tuple[int, str]] = {}

    def attach(name: str, ref: str, data: bytes) -> int:
        context.next_attachment += 1
        ident = context.next_attachment
        book.files[ref] = data
        context.attachment_files[ident] = ref
        attachment_json.append({"id": ident, "name": name, "file": ref})
        page.attachments.append(ident)
        file_hashes.append(hashlib.sha256(data).hexdigest())
        return ident

    for index, source in enumerate(fragment.images):
        got = asm.image(source, location)
        if got is not None:
            ref, data = got
            if ref not in context.images:
                ident = len(context.images) + 1
                context.images[ref] = ident
                context.image_files[ident] = ref
                book.files[ref] = data
                name = limited(PurePosixPath(source).name, "image", location, IMAGE_NAME_LIMIT)
                image_json.append({"id": ident, "name": name, "file": ref, "type": "gallery"})
            ident = context.images[ref]
            if ident not in page.images:
                page.images.append(ident)
                file_hashes.append(hashlib.sha256(data).hexdigest())
            image_src[index] = f"[[bsexport:image:{ident}]]"
            continue
        loaded = asm.attachment(source, location)
        if loaded is not None:
            name = loaded[0]
            image_as_attachment[index] = (attach(*loaded), name)

    attachment_href: dict[int, str] = {}
    for index, source in enumerate(fragment.attachments):
        loaded = asm.attachment(source, location)
        if loaded is not None:
            attachment_href[index] = f"[[bsexport:attachment:{attach(*loaded)}]]"

    def replace_image_tag(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index in image_src:
            return match.group(0)
        if index in image_as_attachment:
            ident, name = image_as_attachment[index]
            return f'<a href="[[bsexport:attachment:{ident}]]">{escape(name)}</a>'
        return ""

    def replace_token(match: re.Match[str]) -> str:
        kind, index = match.group(1), int(match.group(2))
        if kind == "image":
            return image_src.get(index, "")
        if kind == "attachment":
            return attachment_href.get(index, "#")
        return _link(asm, book, page, context, *fragment.links[index])

    html = _IMG_TAG.sub(replace_image_tag, fragment.html)
    page.html = TOKEN.sub(replace_token, html)
    page.hash = content_hash(page.html, page.name, tags_json(page.tags), *file_hashes)
    page.json = {
        "id": page.zip_id,
        "name": page.name,
        "html": page.html,
        "priority": page.priority,
        "tags": page.tags,
        "images": image_json,
        "attachments": attachment_json,
    }


def _link(
    asm: Assembler, book: BookOut, page: PageOut, context: ZipContext, docname: str, anchor: str
) -> str:
    anchor_id = ""
    if anchor:
        target_fragment = asm.fragments.get(docname)
        anchor_id = (
            target_fragment.anchors.get(anchor, f"bkmrk-{anchor}")
            if target_fragment
            else f"bkmrk-{anchor}"
        )
    target = asm.targets.get(docname)
    if target is None:
        if docname == asm.shelf.docname:
            url = f"/shelves/{bookstack_slug(asm.shelf.name)}"
            page.cross_links.append({"href": url, "key": "", "anchor": None})
            context.cross[url] = (docname, "")
            return url
        key = (page.plan.docname, docname)
        if key not in asm._warned:
            asm._warned.add(key)
            warn(
                MosaicWarning.BOOKSTACK,
                f"link to {docname!r}, which is not part of any book in the BookStack output; "
                "the link text is kept without a target (see mosaic_bookstack_extras)",
                location=page.plan.docname,
            )
        return "#"
    if target.book is book.plan:
        return target.zip_reference(anchor_id)
    url = target.predicted_url(anchor_id)
    page.cross_links.append({"href": url, "key": target.key, "anchor": anchor_id or None})
    context.cross[url] = (docname, anchor_id)
    return url
