"""The tests' oracle: checks of a portable ZIP against what BookStack's importer enforces.

The rules JSON Schema cannot express (BookStack's ``ZipExportValidator``, the
Laravel rules of its ``ZipExport*`` models, and the description allow-list):
``data.json`` present and decodable, ids
positive and unique per type, every file reference present and flat, images of
an accepted type by their content (magic bytes, as BookStack's MIME sniffing
does, and a full decode with Pillow), names within limits (255 characters, 180 for images),
descriptions within the allow-list BookStack filters them through, priorities
as integers, and every ``[[bsexport:...]]`` reference naming an object of the
same ZIP.  And what a reader of the imported book would find broken: an image
whose ``src`` is neither a ZIP image nor an ``http(s)`` URL, a link to the page
itself (``href="#"``), a ``#fragment`` that names no element of its page (in
the same page, or in page N for ``[[bsexport:page:N]]#...``), and a relative
URL (``../_modules/foo.html``), which BookStack resolves against its own page
URL.  Every page is also run through the emulation of BookStack's render-time
content filter (``helpers/content_filter.py``): whatever it would remove or change is
a problem, since a colleague's save stores the filtered page.  It keeps its own
copy of BookStack's limits rather than importing the builder's, so a wrong
limit on one side shows.  Used by the tests, the
benchmarks (``benchmarks/checks.py`` imports it) and CI.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from PIL import Image

from helpers.content_filter import content_filter


def filter_problems(html: str, where: str) -> list[str]:
    """What BookStack's content filter (v25.12.4 and later) would take from a page."""
    filtered = content_filter(html)
    problems = [f"{where}: BookStack's content filter removes {what}" for what in filtered.removed]
    if filtered.html != filtered.original and not problems:
        problems.append(f"{where}: BookStack's content filter changes the page")
    return problems


REFERENCE = re.compile(r"\[\[bsexport:([a-z]+):(\d+)\]\]")
SAFE_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.[A-Za-z0-9]{1,10}$")
DESCRIPTION_TAGS = frozenset({"p", "a", "ol", "ul", "li", "strong", "em", "br"})
NAME_LIMIT = 255


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)


def _tags(html: str) -> set[str]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


class _Targets(HTMLParser):
    """The ids of a page, and the URLs of its links and images."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        #: (tag, attribute, URL) in document order.
        self.urls: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif (tag, name) in (("a", "href"), ("img", "src")) and value is not None:
                self.urls.append((tag, name, value))


class _NestedParagraphs(HTMLParser):
    """Counts ``<p>`` start tags met inside an open ``<p>``: an HTML5 parser (BookStack's)
    closes the outer paragraph there, leaving empty paragraphs and loose text."""

    def __init__(self) -> None:
        super().__init__()
        self.open = 0
        self.nested = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":
            self.nested += self.open > 0
            self.open += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self.open = max(0, self.open - 1)


def nested_paragraph_problems(where: str, html: str) -> list[str]:
    """A ``<p>`` inside a ``<p>`` in the HTML *html*."""
    parser = _NestedParagraphs()
    parser.feed(html)
    parser.close()
    if parser.nested:
        return [f"{where}: {parser.nested} <p> inside a <p>"]
    return []


def _targets(html: str) -> _Targets:
    parser = _Targets()
    parser.feed(html)
    parser.close()
    return parser


#: A link into the ZIP: ``[[bsexport:page:N]]``, optionally with ``#fragment``.
_ZIP_URL = re.compile(r"^\[\[bsexport:([a-z]+):(\d+)\]\](?:#(.*))?$", re.DOTALL)
#: Schemes a BookStack page links to as they are.
_SCHEMES = re.compile(r"^(https?|mailto|tel|ftp):", re.IGNORECASE)


def url_problems(where: str, html: str, page_ids: dict[int, set[str]]) -> list[str]:
    """Broken images, links to the page itself, fragments naming no element and
    relative URLs in the HTML *html* (a page's or a description's).

    *page_ids*: the ids of every page of the ZIP, by page id.
    """
    found = _targets(html)
    problems: list[str] = []
    for tag, attribute, url in found.urls:
        shown = f"<{tag} {attribute}={url!r}>"
        zip_url = _ZIP_URL.match(url)
        if tag == "img":
            if zip_url and zip_url.group(1) == "image" and zip_url.group(3) is None:
                continue
            if not url.strip().lower().startswith(("http://", "https://")):
                problems.append(f"{where}: {shown} is no image of the ZIP nor http(s)")
            continue
        if url == "#" or not url.strip():
            problems.append(f"{where}: {shown} links to the page itself")
        elif url.startswith("#"):
            if url[1:] not in found.ids:
                problems.append(f"{where}: {shown} names no element of the page")
        elif zip_url:
            kind, ident, fragment = zip_url.group(1), int(zip_url.group(2)), zip_url.group(3)
            if fragment is None:
                continue
            if kind != "page":
                problems.append(f"{where}: {shown} has a fragment on a {kind}")
            elif fragment not in page_ids.get(ident, set()):
                problems.append(f"{where}: {shown} names no element of page {ident}")
        elif not (_SCHEMES.match(url) or url.startswith("/")):
            problems.append(f"{where}: {shown} is a relative URL")
    return problems


#: The image types BookStack's import takes (``ZipExportImage``'s rule), by magic bytes.
_IMAGE_MAGIC = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
}
#: Pillow's names for them (a camera JPEG with several pictures is Pillow's "MPO").
_PILLOW_FORMATS = {
    "image/png": {"PNG"},
    "image/jpeg": {"JPEG", "MPO"},
    "image/gif": {"GIF"},
    "image/webp": {"WEBP"},
}


def image_type(body: bytes) -> str | None:
    """The MIME type BookStack sniffs *body* as, if it takes it (else None)."""
    for mime, magics in _IMAGE_MAGIC.items():
        if body.startswith(magics):
            return mime
    if body[:4] == b"RIFF" and body[8:12] == b"WEBP":
        return "image/webp"
    return None


def image_problem(body: bytes) -> str | None:
    """Why BookStack (or a browser) would refuse *body* as an image, or None."""
    mime = image_type(body)
    if mime is None:
        return "is not PNG, JPEG, GIF or WebP by its content"
    try:
        with Image.open(io.BytesIO(body)) as opened:
            found = opened.format
            opened.load()
    except Exception as error:  # any decoder failure: the image is broken
        return f"is a broken {mime} ({type(error).__name__}: {error})"
    if found not in _PILLOW_FORMATS[mime]:
        return f"starts like {mime} but Pillow reads it as {found}"
    return None


def check_package(path: Path) -> list[str]:
    """Every problem found in the ZIP at *path* (an empty list when it is valid)."""
    problems: list[str] = []
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "data.json" not in names:
            return ["no data.json at the root"]
        try:
            data = json.loads(archive.read("data.json"))
        except ValueError as error:
            return [f"data.json does not decode: {error}"]
        files = {name: archive.read(name) for name in names if name.startswith("files/")}
    if not isinstance(data, dict) or not data:
        return ["data.json is not a non-empty object"]
    ids: dict[str, set[int]] = {}
    html_parts: list[tuple[str, str]] = []
    page_ids: dict[int, set[str]] = {}

    def check_id(kind: str, item: dict[str, Any], where: str) -> None:
        ident = item.get("id")
        if not isinstance(ident, int) or isinstance(ident, bool) or ident < 1:
            problems.append(f"{where}: id {ident!r} is not a positive integer")
            return
        if ident in ids.setdefault(kind, set()):
            problems.append(f"{where}: {kind} id {ident} is used twice")
        ids[kind].add(ident)

    def check_name(item: dict[str, Any], where: str, limit: int = NAME_LIMIT) -> None:
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{where}: name is missing or blank")
        elif len(name) > limit:
            problems.append(f"{where}: name is longer than {limit} characters")

    def check_file(ref: Any, where: str, image: bool) -> None:
        if not isinstance(ref, str) or not SAFE_FILE.match(ref):
            problems.append(f"{where}: file reference {ref!r} is not a flat safe name")
            return
        body = files.get(f"files/{ref}")
        if body is None:
            problems.append(f"{where}: file {ref!r} is not in the ZIP")
        elif image:
            problem = image_problem(body)
            if problem:
                problems.append(f"{where}: file {ref!r} {problem}")

    def check_description(item: dict[str, Any], where: str) -> None:
        html = item.get("description_html")
        if html is None:
            return
        if not isinstance(html, str) or len(html) > 2000:
            problems.append(f"{where}: description_html is not a string of at most 2000")
            return
        extra = _tags(html) - DESCRIPTION_TAGS
        if extra:
            problems.append(f"{where}: description_html uses {sorted(extra)}")
        html_parts.append((where, html))

    def check_tags(item: dict[str, Any], where: str) -> None:
        for number, tag in enumerate(item.get("tags") or []):
            check_name(tag, f"{where}.tags.{number}")
            value = tag.get("value")
            if value is not None and (not isinstance(value, str) or len(value) > NAME_LIMIT):
                problems.append(f"{where}.tags.{number}: bad value")

    def check_priority(item: dict[str, Any], where: str) -> None:
        priority = item.get("priority")
        if priority is not None and (not isinstance(priority, int) or isinstance(priority, bool)):
            problems.append(f"{where}: priority {priority!r} is not an integer")

    def check_page(page: dict[str, Any], where: str) -> None:
        check_id("page", page, where)
        check_name(page, where)
        check_priority(page, where)
        check_tags(page, where)
        html_parts.append((where, page.get("html") or ""))
        if isinstance(page.get("id"), int):
            page_ids[page["id"]] = _targets(page.get("html") or "").ids
        for number, image in enumerate(page.get("images") or []):
            spot = f"{where}.images.{number}"
            check_id("image", image, spot)
            check_name(image, spot, 180)
            if image.get("type") not in ("gallery", "drawio"):
                problems.append(f"{spot}: type {image.get('type')!r}")
            check_file(image.get("file"), spot, image=True)
        for number, attachment in enumerate(page.get("attachments") or []):
            spot = f"{where}.attachments.{number}"
            check_id("attachment", attachment, spot)
            check_name(attachment, spot)
            if attachment.get("file") is not None:
                check_file(attachment["file"], spot, image=False)
            elif not attachment.get("link"):
                problems.append(f"{spot}: neither file nor link")

    book = data.get("book")
    if not isinstance(book, dict):
        return [*problems, "no book object (sphinx-mosaic writes one book per ZIP)"]
    check_id("book", book, "book")
    check_name(book, "book")
    check_description(book, "book")
    check_tags(book, "book")
    priorities: list[int] = []
    for number, chapter in enumerate(book.get("chapters") or []):
        where = f"book.chapters.{number}"
        check_id("chapter", chapter, where)
        check_name(chapter, where)
        check_priority(chapter, where)
        check_description(chapter, where)
        check_tags(chapter, where)
        priorities.append(chapter.get("priority", 0))
        inner = []
        for index, page in enumerate(chapter.get("pages") or []):
            check_page(page, f"{where}.pages.{index}")
            inner.append(page.get("priority", 0))
        if len(set(inner)) != len(inner):
            problems.append(f"{where}: page priorities repeat")
    for number, page in enumerate(book.get("pages") or []):
        check_page(page, f"book.pages.{number}")
        priorities.append(page.get("priority", 0))
    if len(set(priorities)) != len(priorities):
        problems.append("book: chapter and page priorities repeat")
    for where, html in html_parts:
        problems.extend(filter_problems(html, where))
    for where, html in html_parts:
        for kind, ident in REFERENCE.findall(html):
            if int(ident) not in ids.get(kind, set()):
                problems.append(f"{where}: [[bsexport:{kind}:{ident}]] names nothing in the ZIP")
    for where, html in html_parts:
        problems.extend(url_problems(where, html, page_ids))
        problems.extend(nested_paragraph_problems(where, html))
    return problems
