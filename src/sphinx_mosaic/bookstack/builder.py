"""The ``bookstack`` builder: one portable ZIP per book, a browsable copy, a manifest.

Output folder::

    books/<book>.zip     BookStack portable ZIPs (data.json + files/)
    html/                the same pages as standalone HTML, for review
    manifest.json        the shelf, for the publisher

Format: the builder's format is ``bookstack``, not ``html``.  Extensions'
``html`` visitors are not applied wholesale (they often rely on CSS and
JavaScript BookStack does not have, and a format shared with ``html`` would
make their ``html`` post-transforms run too); the translator uses a node's
``html`` visitor only for nodes it has no visitor of its own for
(:mod:`~sphinx_mosaic.bookstack.translate.translator`).  Nothing is registered under the
builder's name (Sphinx issue 14587).

Such ``html`` visitors were written against Sphinx's HTML builders and read
their attributes: ``sphinx.ext.inheritance_diagram`` reads ``out_suffix``,
``sphinx.ext.graphviz`` ``imgpath`` and ``imagedir``, the math extensions
``math_renderer_name``, others ``highlighter``, ``dlpath`` or ``images``.  The
builder has those attributes, with the values a standalone HTML build would
have, so the visitors run; what they write is then cleaned with BookStack's
rules like any HTML we did not write.  The ``html_*`` configuration values need
nothing here: Sphinx registers them for every builder.

Incremental: each document is translated into a fragment (doctree folder,
``bookstack/translate/fragment``); :meth:`finish` assembles the books from all
fragments and rewrites a ZIP only when its content changed.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator, Set
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.frontend import OptionParser
from sphinx.builders import Builder
from sphinx.highlighting import PygmentsBridge
from sphinx.locale import __
from sphinx.util import logging
from sphinx.util.display import status_iterator

from sphinx_mosaic import envdata
from sphinx_mosaic.bookstack.assemble import Assembler, Tags
from sphinx_mosaic.bookstack.browse import write_browsable
from sphinx_mosaic.bookstack.format.html import clean_html
from sphinx_mosaic.bookstack.format.manifest import (
    DESCRIPTION_LIMIT,
    UPLOAD_LIMIT,
    manifest_bytes,
    manifest_data,
    zip_name,
)
from sphinx_mosaic.bookstack.format.model import Book, Shelf
from sphinx_mosaic.bookstack.images import ImageConverter
from sphinx_mosaic.bookstack.mapping import page_tags, report, shelf_skeleton
from sphinx_mosaic.bookstack.navigation_only import navigation_only
from sphinx_mosaic.bookstack.package import data_json, package_digest, write_if_changed, zip_bytes
from sphinx_mosaic.bookstack.translate.description import (
    description_html,
    description_paragraph,
    has_body,
    plain_description,
)
from sphinx_mosaic.bookstack.translate.foreign import report_failures
from sphinx_mosaic.bookstack.translate.fragment import Fragment, fragment_path
from sphinx_mosaic.bookstack.translate.ids import ensure_top_level_ids
from sphinx_mosaic.bookstack.translate.purifier import purify
from sphinx_mosaic.bookstack.translate.translator import INTERNAL_URI, BookStackTranslator
from sphinx_mosaic.bookstack.zipbook import ZipContext, book_data, build_book
from sphinx_mosaic.warnings import MosaicWarning, warn

logger = logging.getLogger(__name__)

#: Preferred image candidates (``image.*``): what BookStack takes, then SVG to convert.
IMAGE_PREFERENCE = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml")
#: Folder of the output folder that ``html`` visitors write their images into
#: (graphviz, inheritance diagrams), as Sphinx's HTML builders name it.
IMAGE_FOLDER = "_images"
#: Same, for downloads.
DOWNLOAD_FOLDER = "_downloads"


def writer_settings(env: Any) -> Any:
    """The docutils settings Sphinx's HTML writer uses, for our translator."""
    from sphinx.writers.html import HTMLWriter

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        parser = OptionParser(
            components=(HTMLWriter,), defaults=env.settings, read_config_files=True
        )
    return parser.get_default_values()


class BookStackBuilder(Builder):
    name = "bookstack"
    format = "bookstack"
    epilog = __("The BookStack ZIPs are in %(outdir)s/books.")
    allow_parallel = True
    default_translator_class = BookStackTranslator
    supported_image_types = list(IMAGE_PREFERENCE)  # noqa: RUF012  (Sphinx declares it so)
    supported_remote_images = True

    # What ``StandaloneHTMLBuilder`` has and extensions' html visitors read.
    out_suffix = ".html"
    link_suffix = ".html"
    #: Relative to the page; our pages are not in folders, so the folder itself.
    imgpath = IMAGE_FOLDER
    dlpath = DOWNLOAD_FOLDER
    download_support = True
    add_permalinks = False
    embedded = False
    #: Set by :meth:`init`; a class default for visitors run before.
    highlighter: PygmentsBridge | None = None
    imagedir: str

    def init(self) -> None:
        # What Sphinx's HTML translator (ours extends it) and extensions' html visitors read,
        # set where ``Builder.__init__`` sets it for an HTML builder.
        self.imagedir = IMAGE_FOLDER
        style = getattr(self.config, "pygments_style", None) or "sphinx"
        self.highlighter = PygmentsBridge("html", style)
        self.current_docname = ""
        self.secnumbers: dict[str, tuple[int, ...]] = {}
        self.fignumbers: dict[str, dict[str, tuple[int, ...]]] = {}
        self.download_sources: dict[str, str] = {}
        self.described: set[str] = set()
        # Sphinx 9 keeps the registry on the builder; Sphinx 8.0 only on the application.
        registry = getattr(self, "_registry", None) or self.app.registry
        self.html_handlers = dict(registry.translation_handlers.get("html", {}))
        own = {
            **registry.translation_handlers.get(self.format, {}),
            **registry.translation_handlers.get(self.name, {}),
        }
        self._own_handlers = own
        self._renderable: dict[type, bool] = {}
        self._warned_types: set[str] = set()
        self.docsettings: Any = None
        self._read: set[str] = set()
        self._written: set[str] = set()
        self.events.connect("env-before-read-docs", self._note_read, 900)

    @property
    def math_renderer_name(self) -> str | None:
        """The math renderer an HTML build would pick (as ``StandaloneHTMLBuilder``)."""
        name = getattr(self.config, "html_math_renderer", None)
        if name:
            return str(name)
        # Sphinx 9 keeps the registry on the builder; Sphinx 8.0 only on the application.
        registry = getattr(self, "_registry", None) or self.app.registry
        renderers = list(registry.html_inline_math_renderers)
        if len(renderers) == 1:
            return str(renderers[0])
        if len(renderers) == 2 and "mathjax" in renderers:
            renderers.remove("mathjax")
            return str(renderers[0])
        return None

    @property
    def cache_dir(self) -> Path:
        return Path(self.doctreedir) / "bookstack"

    # -- which documents ------------------------------------------------------

    def described_docnames(self) -> set[str]:
        """The documents whose first paragraph is a description (shelf, book, chapter).

        Their fragment holds the paragraph apart from the page body, so a
        document that becomes, or stops being, a book or chapter (a toctree
        moved it) is translated again (:meth:`_described_changed`).
        """
        shelf = self.shelf_plan()
        described = {self.config.root_doc} | shelf.container_docnames()
        layout = envdata.layout(self.env)
        if shelf.source == "layout" and layout is not None:
            described |= {f.index.docname for f in layout.folders() if f.index}
        return described

    @property
    def _described_path(self) -> Path:
        return self.cache_dir / "described.json"

    def _described_changed(self) -> set[str]:
        """Documents described now but not when their fragment was written, or the reverse."""
        try:
            before = set(json.loads(self._described_path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return set()  # no record: every fragment was written with the current rules
        return (before ^ self.described_docnames()) & set(self.env.found_docs)

    def get_outdated_docs(self) -> Iterator[str]:
        changed = self._described_changed() if self.env.all_docs else set()
        for docname in sorted(self.env.found_docs):
            if docname in changed:
                yield docname
                continue
            if docname not in self.env.all_docs:
                yield docname
                continue
            try:
                made = fragment_path(self.cache_dir, docname).stat().st_mtime_ns
            except OSError:
                yield docname
                continue
            sources: list[Path] = [Path(self.env.doc2path(docname))]
            sources += [Path(self.srcdir) / dep for dep in self.env.dependencies.get(docname, ())]
            for source in sources:
                try:
                    if Path(source).stat().st_mtime_ns > made:
                        yield docname
                        break
                except OSError:
                    continue

    def _note_read(self, app: Any, env: Any, docnames: list[str]) -> None:
        self._read = set(docnames)

    def write_documents(self, docnames: Set[str]) -> None:
        """Translate the documents whose page can have changed.

        Sphinx also rewrites every document whose toctree includes a changed
        one (``env.files_to_rebuild``); such a parent is skipped when it was
        not read again, its fragment is current, and it shows nothing another
        page can change (:mod:`~sphinx_mosaic.bookstack.navigation_only`): an
        edit to one page re-translates that page.
        """
        wanted = set(docnames) | self._described_changed()
        parents = {
            parent for docname in wanted for parent in self.env.files_to_rebuild.get(docname, ())
        }
        candidates = (wanted & parents) - self._read - set(self.get_outdated_docs())
        wanted -= {name for name in candidates if navigation_only(self.env, name)}
        if wanted:
            super().write_documents(wanted)

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return INTERNAL_URI + docname

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        # Links are resolved per page when the books are assembled.
        return self.get_target_uri(to, typ)

    # -- writing --------------------------------------------------------------

    def prepare_writing(self, docnames: Set[str]) -> None:
        self.docsettings = writer_settings(self.env)
        self.download_sources = {
            str(dest): Path(src).as_posix() for src, (_docs, dest) in self.env.dlfiles.items()
        }
        self.described = self.described_docnames()

    def write_doc_serialized(self, docname: str, doctree: nodes.document) -> None:
        self.note_written(docname, doctree)
        self.choose_images(doctree)

    def note_written(self, docname: str, doctree: nodes.document) -> None:
        """Note *docname* as translated in this build and check its nodes.

        Called in the main process, also under ``-j`` and in alongside mode,
        so the warnings here come once per node type.
        """
        self._written.add(docname)
        self._check_nodes(doctree)

    def written_docnames(self) -> set[str]:
        return set(self._written)

    def choose_images(self, doctree: nodes.document) -> None:
        """Pick the file BookStack is given for each glob image (``pic.*``).

        Sphinx's image collector lists a glob's files by MIME type in
        ``candidates``; a plain image has the one key ``"*"`` (its own file) and
        a remote one ``"?"``, and both keep their ``uri``.  As Sphinx's own
        ``post_process_images`` does, the first type of :data:`IMAGE_PREFERENCE`
        wins; a glob that matches none of them takes its first file by type, so
        the converter draws it (BMP, TIFF, ...) or says why it cannot.
        """
        for node in doctree.findall(nodes.image):
            candidates: dict[str, str] = node.get("candidates", {})
            if "*" in candidates or "?" in candidates:
                continue
            found = [mime for mime in IMAGE_PREFERENCE if mime in candidates]
            chosen = found or sorted(candidates)
            if chosen:
                node["uri"] = candidates[chosen[0]]

    def can_render(self, cls: type) -> bool:
        if cls not in self._renderable:
            names = [base.__name__ for base in cls.__mro__ if issubclass(base, nodes.Node)]
            self._renderable[cls] = (
                cls.__name__ in self.html_handlers
                or cls.__name__ in self._own_handlers
                or any(hasattr(BookStackTranslator, f"visit_{name}") for name in names)
            )
        return self._renderable[cls]

    def _check_nodes(self, doctree: nodes.document) -> None:
        for node in doctree.findall(nodes.Element):
            cls = type(node)
            if self.can_render(cls) or cls.__name__ in self._warned_types:
                continue
            self._warned_types.add(cls.__name__)
            warn(
                MosaicWarning.BOOKSTACK,
                f"the BookStack output has no rendering for {cls.__module__}.{cls.__name__} "
                "nodes (and no html one to fall back to); their text is kept without markup",
                location=node,
            )

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        self.current_docname = docname
        self.fignumbers = self.env.toc_fignumbers.get(docname, {})
        doctree.settings = self.docsettings
        description = ""
        if docname in self.described:
            paragraph = description_paragraph(doctree)
            if paragraph is not None:
                description = description_html(paragraph)
                if len(description) > DESCRIPTION_LIMIT:
                    warn(
                        MosaicWarning.BOOKSTACK_LIMIT,
                        f"the first paragraph is {len(description)} characters as a BookStack "
                        f"description (at most {DESCRIPTION_LIMIT}); it is shortened to plain "
                        "text (write a shorter first paragraph)",
                        location=paragraph,
                    )
                    description = plain_description(paragraph.astext())
                # Its labels now point at the book or chapter that shows the description:
                # the paragraph sits in the title section, whose ids stand for the page
                # itself (a link to it goes to the book or chapter).
                paragraph.parent["ids"].extend(paragraph["ids"])
                paragraph.parent.remove(paragraph)
        visitor = self.create_translator(doctree, self)
        assert isinstance(visitor, BookStackTranslator)
        doctree.walkabout(visitor)
        fragment = visitor.result
        fragment.html = "".join(visitor.body).strip() + "\n"
        if visitor.needs_cleaning:
            # HTML we did not write: BookStack's render rules, applied before storing.
            fragment.html = clean_html(fragment.html).strip() + "\n"
            # What HTML Purifier changes besides removals (v25.12.4's filter).
            fragment.html, changed = purify(fragment.html)
            if changed:
                warn(
                    MosaicWarning.BOOKSTACK,
                    "the page's raw HTML holds what BookStack's content filter removes when "
                    f"it shows the page; removed from the BookStack output: {', '.join(changed)}",
                    location=docname,
                )
        if visitor.needs_id_scan:
            fragment.html = ensure_top_level_ids(fragment.html, visitor.ids)
        fragment.description_html = description
        fragment.has_body = has_body(doctree)
        fragment.dump(fragment_path(self.cache_dir, docname))

    # -- assembling -----------------------------------------------------------

    def tags_for(self, docname: str, source: str) -> Tags:
        return page_tags(self.env, docname, source)

    def shelf_plan(self) -> Shelf:
        """The skeleton of the BookStack model: books, chapters and pages, not yet filled."""
        return shelf_skeleton(self.env)[0]

    def finish(self) -> None:
        shelf, issues = shelf_skeleton(self.env)
        report(issues)
        fragments: dict[str, Fragment] = {}
        for docname in sorted(self.env.found_docs):
            fragment = Fragment.load(fragment_path(self.cache_dir, docname))
            if fragment is not None:
                fragments[docname] = fragment
        report_failures(fragments, self._written)
        asm = Assembler(
            shelf,
            fragments,
            Path(self.srcdir),
            ImageConverter(self.cache_dir / "converted"),
            self.tags_for,
        )
        books = asm.structure()
        contexts: dict[str, ZipContext] = {}
        state_path = self.cache_dir / f"zips-{_slug_of(Path(self.outdir))}.json"
        old_state = _load_json(state_path)
        state: dict[str, str] = {}
        rewritten = 0
        for book in status_iterator(
            books,
            __("writing BookStack books... "),
            "darkgreen",
            len(books),
            getattr(self.config, "verbosity", 0),
            stringify_func=lambda b: b.file_stem,
        ):
            contexts[book.key] = build_book(asm, book)
            rewritten += self._write_zip(book, old_state, state)
        for stale in sorted(set(old_state) - set(state)):
            (Path(self.outdir) / stale).unlink(missing_ok=True)
        write_browsable(Path(self.outdir) / "html", shelf, contexts)
        write_if_changed(Path(self.outdir) / "manifest.json", manifest_bytes(manifest_data(shelf)))
        state_path.parent.mkdir(parents=True, exist_ok=True)
        state_path.write_text(json.dumps(state, sort_keys=True, indent=1), encoding="utf-8")
        self._described_path.write_text(json.dumps(sorted(self.described)), encoding="utf-8")
        pages = sum(len(book.pages) for book in books)
        images = sum(len(contexts[book.key].images) for book in books)
        logger.info(
            __("bookstack: wrote %d books, %d pages, %d images (%d ZIPs rewritten)"),
            len(books),
            pages,
            images,
            rewritten,
        )

    def _write_zip(self, book: Book, old: dict[str, str], state: dict[str, str]) -> int:
        relative = zip_name(book)
        path = Path(self.outdir) / relative
        book.zip_path = path
        data = data_json(book_data(book))
        digest = package_digest(data, book.files)
        state[relative] = digest
        if old.get(relative) == digest and path.is_file():
            return 0
        package = zip_bytes(data, book.files)
        self._check_sizes(book, relative, data, package)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(package)
        return 1

    def _check_sizes(self, book: Book, relative: str, data: bytes, package: bytes) -> None:
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


def _slug_of(path: Path) -> str:
    import hashlib

    return hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]


def _load_json(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
