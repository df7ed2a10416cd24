"""One book's pages resolved and its ``data.json`` written: tokens become ZIP references.

* links inside the book: ``[[bsexport:page:N]]#bkmrk-...`` (or the book or
  chapter reference for an index page);
* links into another book: the predicted BookStack URL, listed in the page's
  ``cross_links`` for the publisher;
* images: ``[[bsexport:image:N]]``, listed in the ``images`` of the page that
  shows them.  An image shown on several pages is one file in the ZIP and one
  image entry per page: BookStack makes an image per entry, uploaded to its page,
  so no page shows an image that belongs to another page (which a later publish
  may delete or move to another book).  A file that is not an image becomes an
  attachment, and a broken image (:class:`~.images.Refused`) is left out, its alt
  text kept in its place;
* downloads: ``[[bsexport:attachment:N]]``, one attachment per page using it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import PurePosixPath
from typing import Any

from sphinx_mosaic.bookstack.assemble import Assembler, limited
from sphinx_mosaic.bookstack.format.manifest import (
    IMAGE_NAME_LIMIT,
    content_hash,
    reference,
    tags_json,
)
from sphinx_mosaic.bookstack.format.model import Asset, Book, Chapter, Page
from sphinx_mosaic.bookstack.images import Refused
from sphinx_mosaic.bookstack.links import bookstack_slug
from sphinx_mosaic.bookstack.translate.fragment import TOKEN
from sphinx_mosaic.warnings import MosaicWarning, warn

_IMG_TAG = re.compile(r"<img [^>]*?src=\"\[\[mosaic:image:(\d+)\]\]\"[^>]*>")
#: The (HTML-escaped) alt text of an ``<img>`` tag.
_ALT = re.compile(r"\salt=\"([^\"]*)\"")


@dataclass
class ZipContext:
    """What resolving one book's pages learnt besides the model."""

    #: (page key, file reference) -> image: a file used twice on a page is one image,
    #: a file used on two pages one image of each page (one file in the ZIP).
    images: dict[tuple[str, str], Asset] = field(default_factory=dict)
    next_attachment: int = 0
    #: Predicted cross-book URL -> (target docname, anchor), for the browsable copy.
    cross: dict[str, tuple[str, str]] = field(default_factory=dict)


def build_book(asm: Assembler, book: Book) -> ZipContext:
    """Resolve every page of *book*: its HTML, images, attachments, cross links, hash."""
    context = ZipContext()
    for page in book.iter_pages():
        _resolve_page(asm, book, page, context)
    return context


def book_data(book: Book) -> dict[str, Any]:
    """The ZIP's ``data.json`` object (key order kept: the bytes are compared)."""
    listed: set[int] = set()
    first_use: dict[int, list[Asset]] = {}
    for page in book.iter_pages():
        new = [image for image in page.images if image.zip_id not in listed]
        listed |= {image.zip_id for image in new}
        first_use[page.zip_id] = new
    chapters: list[dict[str, Any]] = []
    pages: list[dict[str, Any]] = []
    for entry in book.contents:
        if isinstance(entry, Chapter):
            chapters.append(_chapter_json(entry, first_use))
        else:
            pages.append(_page_json(entry, first_use))
    book_json: dict[str, Any] = {"id": book.zip_id, "name": book.name}
    if book.description_html:
        book_json["description_html"] = book.description_html
    book_json.update({"tags": book.tags, "chapters": chapters, "pages": pages})
    return {"book": book_json}


def _chapter_json(chapter: Chapter, first_use: dict[int, list[Asset]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": chapter.zip_id,
        "name": chapter.name,
        "priority": chapter.priority,
    }
    if chapter.description_html:
        data["description_html"] = chapter.description_html
    data["tags"] = chapter.tags
    data["pages"] = [_page_json(page, first_use) for page in chapter.pages]
    return data


def _page_json(page: Page, first_use: dict[int, list[Asset]]) -> dict[str, Any]:
    return {
        "id": page.zip_id,
        "name": page.name,
        "html": page.html,
        "priority": page.priority,
        "tags": page.tags,
        "images": [
            {"id": image.zip_id, "name": image.name, "file": image.ref, "type": "gallery"}
            for image in first_use.get(page.zip_id, [])
        ],
        "attachments": [
            {"id": attachment.zip_id, "name": attachment.name, "file": attachment.ref}
            for attachment in page.attachments
        ],
    }


def _resolve_page(asm: Assembler, book: Book, page: Page, context: ZipContext) -> None:
    fragment = asm.fragment(page.docname)
    location = page.docname
    file_hashes: list[str] = []
    image_src: dict[int, str] = {}
    image_as_attachment: dict[int, tuple[int, str]] = {}
    page.images, page.attachments, page.cross_links = [], [], []

    def attach(name: str, ref: str, data: bytes) -> int:
        context.next_attachment += 1
        ident = context.next_attachment
        book.files[ref] = data
        page.attachments.append(Asset("attachment", ident, name, ref, data))
        file_hashes.append(hashlib.sha256(data).hexdigest())
        return ident

    for index, source in enumerate(fragment.images):
        got = asm.image(source, fragment.image_location(index))
        if isinstance(got, Refused):
            # A broken image is left out (its <img> becomes its alt text below); another
            # kind of file is attached and linked in its place.
            loaded = None if got.broken else asm.attachment(source, location)
            if loaded is not None:
                image_as_attachment[index] = (attach(*loaded), loaded[0])
            continue
        ref, data = got
        if (page.key, ref) not in context.images:
            name = limited(PurePosixPath(source).name, "image", location, IMAGE_NAME_LIMIT)
            context.images[page.key, ref] = Asset("image", len(context.images) + 1, name, ref, data)
            book.files[ref] = data
        image = context.images[page.key, ref]
        if all(used.zip_id != image.zip_id for used in page.images):
            page.images.append(image)
            file_hashes.append(hashlib.sha256(data).hexdigest())
        image_src[index] = reference("image", image.zip_id)

    attachment_href: dict[int, str] = {}
    for index, source in enumerate(fragment.attachments):
        loaded = asm.attachment(source, location)
        if loaded is not None:
            attachment_href[index] = reference("attachment", attach(*loaded))

    def replace_image_tag(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index in image_src:
            return match.group(0)
        if index in image_as_attachment:
            ident, name = image_as_attachment[index]
            return f'<a href="{reference("attachment", ident)}">{escape(name)}</a>'
        # Not shown and not attached: the alt text (or the file's name) stays on the page.
        alt = _ALT.search(match.group(0))
        if alt and alt.group(1).strip():
            return alt.group(1)
        return escape(PurePosixPath(fragment.images[index]).name)

    def replace_token(match: re.Match[str]) -> str:
        kind, index = match.group(1), int(match.group(2))
        if kind == "image":
            return image_src.get(index, "")
        if kind == "attachment":
            return attachment_href.get(index, "#")
        return _link(asm, book, page, context, *fragment.links[index])

    html = _IMG_TAG.sub(replace_image_tag, fragment.html)
    page.html = _UNLINK.sub(r"\1", TOKEN.sub(replace_token, html)).replace(_NO_TARGET, "")
    page.hash = content_hash(page.html, page.name, tags_json(page.tags), *file_hashes)


#: What a link to a document outside the books gets as its address, for :data:`_UNLINK`.
_NO_TARGET = "[[mosaic:no-target]]"
#: An ``<a>`` whose target is not in the BookStack output: only its content is kept.
_UNLINK = re.compile(
    r"<a\b[^>]*\shref=\"" + re.escape(_NO_TARGET) + r"[^\"]*\"[^>]*>(.*?)</a>", re.DOTALL
)


def _link(
    asm: Assembler, book: Book, page: Page, context: ZipContext, docname: str, anchor: str
) -> str:
    anchor_id = ""
    target_fragment = asm.fragments.get(docname)
    if anchor:
        anchor_id = (
            target_fragment.anchors.get(anchor, f"bkmrk-{anchor}")
            if target_fragment
            else f"bkmrk-{anchor}"
        )
    target = asm.targets.get(docname)
    if target is None:
        if docname == asm.shelf.docname:
            # No page holds the root document's content: the shelf shows its description.
            _anchor_lost(asm, page, docname, anchor_id, "the shelf")
            url = f"/shelves/{bookstack_slug(asm.shelf.name)}"
            page.cross_links.append({"href": url, "key": "", "anchor": None})
            context.cross[url] = (docname, "")
            return url
        key = (page.docname, docname)
        if key not in asm.warned:
            asm.warned.add(key)
            # Only a document of the project can be put in a book; Sphinx's generated
            # pages (the index, the module index, search, highlighted source) cannot.
            hint = " (see mosaic_bookstack_extras)" if target_fragment is not None else ""
            warn(
                MosaicWarning.BOOKSTACK,
                f"link to {docname!r}, which is not part of any book in the BookStack output; "
                f"the link text is kept without a target{hint}",
                location=page.docname,
            )
        return _NO_TARGET
    if anchor_id and not target.goes_to_page(anchor_id):
        assert target.container is not None
        _anchor_lost(asm, page, docname, anchor_id, f"its {target.container[0]}")
        anchor_id = ""
    if target.book is book:
        return target.zip_reference(anchor_id)
    url = target.predicted_url(anchor_id)
    page.cross_links.append(
        {"href": url, "key": target.link_key(anchor_id), "anchor": anchor_id or None}
    )
    context.cross[url] = (docname, anchor_id)
    return url


def _anchor_lost(asm: Assembler, page: Page, docname: str, anchor_id: str, where: str) -> None:
    """Warn (once per page and target) that a link to *anchor_id* goes to *where* without it.

    A document made only a description (an index page without body) has no page; its
    book, chapter or shelf shows the description, whose filter keeps no ids, so an
    anchor there would land nowhere.
    """
    if not anchor_id or (page.docname, f"{docname}#{anchor_id}") in asm.warned:
        return
    asm.warned.add((page.docname, f"{docname}#{anchor_id}"))
    warn(
        MosaicWarning.BOOKSTACK,
        f"link to {docname!r}#{anchor_id.removeprefix('bkmrk-')}: that document is only the "
        f"description of {where} in the BookStack output, which keeps no anchors; the link "
        "goes to it without the anchor",
        location=page.docname,
    )
