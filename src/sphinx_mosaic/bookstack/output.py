"""The output folder: one portable ZIP per book, the browsable copy and ``manifest.json``.

Output folder::

    books/<book>.zip     BookStack portable ZIPs (data.json + files/)
    html/                the same pages as standalone HTML, for review
    manifest.json        the shelf, for the publisher

A ZIP's bytes follow :mod:`~sphinx_mosaic.bookstack.format.portable_zip` (the
same content gives the same bytes).  A ZIP is rewritten only when its content
digest changed, and a ZIP no book makes any more is removed.  What BookStack's
default upload limit would refuse is warned about.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.locale import __
from sphinx.util import logging
from sphinx.util.display import status_iterator

from sphinx_mosaic.bookstack.assemble import Assembler, ZipContext, build_book
from sphinx_mosaic.bookstack.browse import write_browsable
from sphinx_mosaic.bookstack.format.limits import UPLOAD_LIMIT
from sphinx_mosaic.bookstack.format.manifest import (
    manifest_bytes,
    manifest_data,
    zip_name,
)
from sphinx_mosaic.bookstack.format.model import Book
from sphinx_mosaic.bookstack.format.portable_zip import (
    book_data,
    data_json,
    package_digest,
    zip_bytes,
)
from sphinx_mosaic.files import write_if_changed
from sphinx_mosaic.warnings import MosaicWarning, warn

logger = logging.getLogger(__name__)


def write_output(
    asm: Assembler, outdir: Path, digests: dict[str, str], verbosity: int = 0
) -> dict[str, str]:
    """Write the books of *asm*, the browsable copy and the manifest into *outdir*.

    *digests* maps each ZIP (relative to *outdir*) to the content digest it was
    written with; a ZIP whose digest is the same is left as it is.  Returns the
    digests of this build's ZIPs.
    """
    books = asm.structure()
    contexts: dict[str, ZipContext] = {}
    state: dict[str, str] = {}
    rewritten = 0
    for book in status_iterator(
        books,
        __("writing BookStack books... "),
        "darkgreen",
        len(books),
        verbosity,
        stringify_func=lambda b: b.file_stem,
    ):
        contexts[book.key] = build_book(asm, book)
        rewritten += write_zip(book, outdir, digests, state)
    for stale in sorted(set(digests) - set(state)):
        (outdir / stale).unlink(missing_ok=True)
    write_browsable(outdir / "html", asm.shelf, contexts)
    write_if_changed(outdir / "manifest.json", manifest_bytes(manifest_data(asm.shelf)))
    pages = sum(len(book.pages) for book in books)
    images = sum(len(contexts[book.key].images) for book in books)
    logger.info(
        __("bookstack: wrote %d books, %d pages, %d images (%d ZIPs rewritten)"),
        len(books),
        pages,
        images,
        rewritten,
    )
    return state


def write_zip(book: Book, outdir: Path, old: dict[str, str], state: dict[str, str]) -> int:
    """Write *book*'s ZIP unless *old* says it holds this content; 1 if written."""
    relative = zip_name(book)
    path = outdir / relative
    book.zip_path = path
    data = data_json(book_data(book))
    digest = package_digest(data, book.files)
    state[relative] = digest
    if old.get(relative) == digest and path.is_file():
        return 0
    package = zip_bytes(data, book.files)
    check_sizes(book, relative, data, package)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(package)
    return 1


def check_sizes(book: Book, relative: str, data: bytes, package: bytes) -> None:
    """Warn about what BookStack's default upload limit (50 MB) would refuse."""
    megabytes = UPLOAD_LIMIT // 1_000_000
    oversized = [("data.json", len(data))] + [
        (f"files/{ref}", len(body)) for ref, body in sorted(book.files.items())
    ]
    oversized.append((relative, len(package)))
    for name, size in oversized:
        if size > UPLOAD_LIMIT:
            warn(
                MosaicWarning.BOOKSTACK_LIMIT,
                f"{name} of book {book.name!r} is {size / 1_000_000:.1f} MB; BookStack "
                f"refuses more than {megabytes} MB unless FILE_UPLOAD_SIZE_LIMIT is raised "
                "(split the book, or make its images and downloads smaller)",
                location=book.docname,
            )
