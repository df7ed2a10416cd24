"""Build-output fixtures for the publisher: manifest.json + one ZIP per book, per the contract.

The factory writes what the ``bookstack`` builder writes (helper-manifest.md),
from a small spec, so publisher tests do not need a Sphinx build.  Tests
change the spec (rename, move, renumber, remove) and write it again.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import struct
import threading
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.fake_bookstack.server import FakeBookStack, slugify
from sphinx_mosaic.publish.client import ClientSettings
from sphinx_mosaic.publish.publisher import PublishOptions, PublishReport, publish


def png(width: int = 2, height: int = 2, rgb: tuple[int, int, int] = (40, 120, 200)) -> bytes:
    """A real PNG (signature, IHDR, IDAT, IEND with their CRCs): servers check images by content."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))  # filter 0 per row
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG = png()
#: What a real server refuses: the PNG signature and nothing a decoder can read.
BROKEN_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

# requests honours HTTP(S)_PROXY; the fake server is local, so never send its traffic to a proxy.
_local = {"127.0.0.1", "localhost"}
for _name in ("NO_PROXY", "no_proxy"):
    _bypass = {h.strip() for h in os.environ.get(_name, "").split(",") if h.strip()}
    os.environ[_name] = ",".join(sorted(_bypass | _local))


@dataclass
class PageSpec:
    key: str
    name: str
    text: str = "Some text."
    links: list[str] = field(default_factory=list)  # page keys, same or other book
    images: list[tuple[str, bytes]] = field(default_factory=list)
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    docname: str | None = None
    #: More HTML after the text (code, tables, the footer...), as the builder writes it.
    html: str = ""


@dataclass
class ChapterSpec:
    key: str
    name: str
    pages: list[PageSpec] = field(default_factory=list)
    docname: str | None = None


@dataclass
class BookSpec:
    key: str
    name: str
    contents: list[ChapterSpec | PageSpec] = field(default_factory=list)

    def all_pages(self) -> list[PageSpec]:
        pages: list[PageSpec] = []
        for item in self.contents:
            pages.extend(item.pages if isinstance(item, ChapterSpec) else [item])
        return pages


@dataclass
class ShelfSpec:
    project: str
    name: str
    books: list[BookSpec] = field(default_factory=list)

    def page(self, key: str) -> PageSpec:
        return next(p for b in self.books for p in b.all_pages() if p.key == key)

    def book_of(self, key: str) -> BookSpec:
        return next(b for b in self.books if any(p.key == key for p in b.all_pages()))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _tags(source: str) -> list[dict[str, str]]:
    return [{"name": "mosaic-source", "value": source}]


@dataclass
class _BookFiles:
    index: int
    ids: dict[str, int]
    counters: dict[str, int] = field(default_factory=lambda: {"image": 0, "attachment": 0})
    files: dict[str, bytes] = field(default_factory=dict)


def _page_entry(
    page: PageSpec,
    priority: int,
    book: BookSpec,
    builder: _BookFiles,
    page_book: dict[str, BookSpec],
) -> tuple[dict[str, Any], dict[str, Any]]:
    ids, counters, files, b_index = builder.ids, builder.counters, builder.files, builder.index
    docname = page.docname or page.key
    body = [f'<h1 id="bkmrk-{slugify(page.name)}">{page.name}</h1>', f"<p>{page.text}</p>"]
    if page.html:
        body.append(page.html)
    cross = []
    for target in page.links:
        target_book = page_book[target]
        if target_book is book:
            href = f"[[bsexport:page:{ids[target]}]]#bkmrk-intro"
        else:
            target_name = next(p.name for p in target_book.all_pages() if p.key == target)
            href = f"/books/{slugify(target_book.name)}/page/{slugify(target_name)}#bkmrk-intro"
            cross.append({"href": href, "key": target, "anchor": "bkmrk-intro"})
        body.append(f'<p><a href="{href}">to {target}</a></p>')
    zimages, zattachments = [], []
    for name, data in page.images:
        counters["image"] += 1
        ref = f"img{b_index}x{counters['image']}.{name.rsplit('.', 1)[-1]}"
        files[ref] = data
        zimages.append({"id": counters["image"], "name": name, "file": ref, "type": "gallery"})
        body.append(f'<p><img src="[[bsexport:image:{counters["image"]}]]" alt="{name}"></p>')
    for name, data in page.attachments:
        counters["attachment"] += 1
        ref = f"att{b_index}x{counters['attachment']}.{name.rsplit('.', 1)[-1]}"
        files[ref] = data
        zattachments.append({"id": counters["attachment"], "name": name, "file": ref})
        body.append(f'<p><a href="[[bsexport:attachment:{counters["attachment"]}]]">{name}</a></p>')
    html = "\n".join(body)
    tags = _tags(f"{docname}.md")
    file_hashes = [_sha(d) for _, d in page.images + page.attachments]
    digest = _sha(json.dumps([html, page.name, tags, file_hashes]).encode())
    zpage = {
        "id": ids[page.key],
        "name": page.name,
        "html": html,
        "priority": priority,
        "tags": tags,
        "images": zimages,
        "attachments": zattachments,
    }
    mpage = {
        "type": "page",
        "key": page.key,
        "docname": docname,
        "source": f"{docname}.md",
        "name": page.name,
        "priority": priority,
        "zip_id": ids[page.key],
        "tags": tags,
        "hash": digest,
        "images": [i["id"] for i in zimages],
        "attachments": [a["id"] for a in zattachments],
        "cross_links": cross,
    }
    return zpage, mpage


def write_output(spec: ShelfSpec, outdir: Path) -> Path:
    """Write *spec* as a bookstack build output into *outdir* (replacing what was there)."""
    (outdir / "books").mkdir(parents=True, exist_ok=True)
    for old in (outdir / "books").glob("*.zip"):
        old.unlink()
    page_book = {p.key: b for b in spec.books for p in b.all_pages()}
    manifest_books = []
    for b_index, book in enumerate(spec.books):
        builder = _BookFiles(b_index, {p.key: i + 1 for i, p in enumerate(book.all_pages())})
        files = builder.files

        zcontents: dict[str, list[Any]] = {"chapters": [], "pages": []}
        mcontents = []
        for priority, item in enumerate(book.contents):
            if isinstance(item, ChapterSpec):
                pairs = [
                    _page_entry(p, i, book, builder, page_book) for i, p in enumerate(item.pages)
                ]
                tags = _tags(f"{item.docname or item.key}/README.md")
                digest = _sha(json.dumps([item.name, "", tags]).encode())
                zcontents["chapters"].append(
                    {
                        "id": priority + 1,
                        "name": item.name,
                        "priority": priority,
                        "tags": tags,
                        "pages": [z for z, _ in pairs],
                    }
                )
                mcontents.append(
                    {
                        "type": "chapter",
                        "key": item.key,
                        "docname": f"{item.docname or item.key}/README",
                        "name": item.name,
                        "description_html": "",
                        "priority": priority,
                        "zip_id": priority + 1,
                        "tags": tags,
                        "hash": digest,
                        "pages": [m for _, m in pairs],
                    }
                )
            else:
                zpage, mpage = _page_entry(item, priority, book, builder, page_book)
                zcontents["pages"].append(zpage)
                mcontents.append(mpage)
        description = f"<p>The {book.name} book.</p>"
        tags = _tags(f"{book.key}/README.md")
        data = {
            "book": {
                "id": 1,
                "name": book.name,
                "description_html": description,
                "tags": tags,
                **zcontents,
            }
        }
        zip_name = f"books/{book.key}.zip"
        with zipfile.ZipFile(outdir / zip_name, "w") as archive:
            archive.writestr("data.json", json.dumps(data, sort_keys=True, indent=2))
            for ref, payload in sorted(files.items()):
                archive.writestr(f"files/{ref}", payload)
        manifest_books.append(
            {
                "key": book.key,
                "docname": f"{book.key}/README",
                "name": book.name,
                "description_html": description,
                "priority": b_index,
                "zip": zip_name,
                "zip_id": 1,
                "tags": tags,
                "hash": _sha(json.dumps([book.name, description, tags]).encode()),
                "contents": mcontents,
            }
        )
    manifest = {
        "format": "sphinx-mosaic-bookstack/1",
        "generator": "sphinx-mosaic test",
        "project": spec.project,
        "shelf": {"name": spec.name, "description_html": "<p>All docs.</p>", "docname": "README"},
        "books": manifest_books,
    }
    (outdir / "manifest.json").write_text(json.dumps(manifest, sort_keys=True, indent=2))
    return outdir


def small_shelf(project: str = "Demo") -> ShelfSpec:
    """Two books, a chapter, links within and across books, an image and an attachment."""
    return ShelfSpec(
        project,
        "Demo Docs",
        [
            BookSpec(
                "getting-started",
                "Getting Started",
                [
                    PageSpec(
                        "getting-started/overview",
                        "Overview",
                        links=["getting-started/setup/install"],
                    ),
                    ChapterSpec(
                        "getting-started/setup",
                        "Setup",
                        [
                            PageSpec(
                                "getting-started/setup/install",
                                "Install",
                                images=[("diagram.png", PNG)],
                                links=["reference/api"],
                            ),
                            PageSpec(
                                "getting-started/setup/configure",
                                "Configure",
                                attachments=[("example.cfg", b"[demo]\nkey = 1\n")],
                                links=["getting-started/overview"],
                            ),
                        ],
                    ),
                ],
            ),
            BookSpec(
                "reference",
                "Reference",
                [
                    PageSpec("reference/api", "API", links=["getting-started/setup/configure"]),
                    PageSpec("reference/glossary", "Glossary"),
                ],
            ),
        ],
    )


def big_shelf(
    pages: int = 1000, books: int = 10, chapters_per_book: int = 5, project: str = "Big"
) -> ShelfSpec:
    """*pages* pages over *books* books with chapters; every page links to its neighbour."""
    per_book = pages // books
    per_chapter = per_book // (chapters_per_book + 1)
    spec = ShelfSpec(project, "Big Docs")
    for b in range(books):
        book = BookSpec(f"book{b}", f"Book {b}")
        n = 0
        for c in range(chapters_per_book):
            chapter = ChapterSpec(f"book{b}/ch{c}", f"Chapter {b}.{c}")
            for _ in range(per_chapter):
                chapter.pages.append(PageSpec(f"book{b}/p{n}", f"Page {b}.{n}"))
                n += 1
            book.contents.append(chapter)
        while n < per_book:
            book.contents.append(PageSpec(f"book{b}/p{n}", f"Page {b}.{n}"))
            n += 1
        pages_in_book = book.all_pages()
        for i, page in enumerate(pages_in_book[:-1]):
            page.links.append(pages_in_book[i + 1].key)
        spec.books.append(book)
    # One link across books per book (a predicted URL the publisher rewrites).
    for b in range(books - 1):
        spec.books[b].all_pages()[0].links.append(spec.books[b + 1].all_pages()[0].key)
    return spec


class FakeClock:
    """Virtual time: ``sleep`` advances it at once (thread-safe); sleeps are recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


def settings_for(server: FakeBookStack, **overrides: Any) -> ClientSettings:
    values: dict[str, Any] = {
        "url": server.url,
        "token_id": server.token_id,
        "token_secret": server.token_secret,
        "timeout": 5.0,
        "requests_per_minute": 100_000,
    }
    values.update(overrides)
    return ClientSettings(**values)


def run_publish(
    server: FakeBookStack,
    outdir: Path,
    *,
    clock: FakeClock | None = None,
    settings: dict[str, Any] | None = None,
    **options: Any,
) -> tuple[PublishReport, list[str]]:
    """Publish *outdir* to *server* with a fake clock; return the report and the output lines."""
    lines: list[str] = []
    report = publish(
        outdir,
        settings_for(server, **(settings or {})),
        PublishOptions(**options),
        out=lines.append,
        clock=clock or FakeClock(),
    )
    return report, lines


def snapshot(server: FakeBookStack, project: str) -> dict[str, Any]:
    """The owned content as a tree without server ids, to compare two servers' end states."""
    key_of = {}
    for table in ("books", "chapters", "pages"):
        for e in server.tagged(table, "mosaic-project", project):
            key_of[(table, e["id"])] = next(
                t["value"] for t in e["tags"] if t["name"] == "mosaic-key"
            )
    images = {i["id"]: i["name"] for i in server.live("image-gallery")}

    def clean(html: str) -> str:
        html = re.sub(
            r"/link/(\d+)", lambda m: f"/link/{key_of.get(('pages', int(m.group(1))))}", html
        )
        html = re.sub(
            r"/attachments/(\d+)",
            lambda m: (
                "/attachments/"
                + next(
                    (a["name"] for a in server.live("attachments") if a["id"] == int(m.group(1))),
                    "?",
                )
            ),
            html,
        )
        html = re.sub(
            r"/uploads/images/gallery/(\d+)-[^\"']*",
            lambda m: f"/image/{images.get(int(m.group(1)))}",
            html,
        )
        return html.replace(server.url, "")

    tree: dict[str, Any] = {}
    for shelf in server.tagged("shelves", "mosaic-project", project):
        tree["shelf"] = [shelf["name"], [key_of.get(("books", b)) for b in shelf["books"]]]
    for book in server.tagged("books", "mosaic-project", project):
        contents = []
        for child in server._contents(book["id"]):
            table = "chapters" if child["type"] == "chapter" else "pages"
            entry: list[Any] = [key_of.get((table, child["id"])), child["name"]]
            if table == "chapters":
                entry.append([key_of.get(("pages", p["id"])) for p in child["pages"]])
            contents.append(entry)
        tree[key_of[("books", book["id"])]] = [
            book["name"],
            sorted(map(str, book["tags"])),
            contents,
        ]
    for page in server.tagged("pages", "mosaic-project", project):
        files = sorted(
            [
                ("image", images[i["id"]])
                for i in server.live("image-gallery")
                if i["uploaded_to"] == page["id"]
            ]
            + [
                ("attachment", a["name"])
                for a in server.live("attachments")
                if a["uploaded_to"] == page["id"]
            ]
        )
        # mosaic-revision follows the server's revision_count (a retried write bumps it) and
        # mosaic-body fingerprints the body with its server URLs: both differ between servers.
        tags = [t for t in page["tags"] if t["name"] not in ("mosaic-revision", "mosaic-body")]
        tree[key_of[("pages", page["id"])]] = [
            page["name"],
            clean(page["html"]),
            sorted(map(str, tags)),
            files,
        ]
    return tree


def state_reads(server: FakeBookStack, project: str) -> int:
    """The documented cost of reading the state (the ``publish.state`` docstring).

    1 system + ceil(most owned of one type / 100) searches (BookStack pages each type on
    its own) + ceil(in range / 500) per listing + 1 shelf,
    where "in range" counts the chapters (pages) whose book id lies between our
    lowest and highest book id.  One book is read with one ``GET`` instead.
    """
    owned = {
        table: server.tagged(table, "mosaic-project", project)
        for table in ("shelves", "books", "chapters", "pages")
    }
    most = max(len(found) for found in owned.values())
    cost = 1 + max(1, math.ceil(most / 100)) + len(owned["shelves"][:1])
    book_ids = [book["id"] for book in owned["books"]]
    if len(book_ids) == 1:
        return cost + 1
    if book_ids:
        low, high = min(book_ids), max(book_ids)
        for table in ("chapters", "pages"):
            in_range = sum(1 for e in server.live(table) if low <= e["book_id"] <= high)
            cost += max(1, math.ceil(in_range / 500))
    return cost
