"""The ``bookstack`` builder: the Sphinx protocol over the stages of the BookStack output.

Which documents to write (:mod:`~sphinx_mosaic.bookstack.incremental`), each
page translated into a fragment (:mod:`~sphinx_mosaic.bookstack.translate`),
and at the end the books mapped (:mod:`~sphinx_mosaic.bookstack.mapping`),
assembled (:mod:`~sphinx_mosaic.bookstack.assemble`) and written
(:mod:`~sphinx_mosaic.bookstack.output`): one portable ZIP per book, a
browsable copy and a manifest.

Format: the builder's format is ``bookstack``, not ``html``.  Extensions'
``html`` visitors are not applied wholesale (they often rely on CSS and
JavaScript BookStack does not have, and a format shared with ``html`` would
make their ``html`` post-transforms run too); the translator uses a node's
``html`` visitor only for nodes it has no visitor of its own for
(:mod:`~sphinx_mosaic.bookstack.translate.translator`).  A visitor registered for
``bookstack`` (``app.add_node(node, bookstack=...)``, as the status badge's) is the
translator's own; the builder's name and format are the same, so such a registration
hides no other extension's visitors, which one under a builder's name would (Sphinx
issue 14587).

Such ``html`` visitors were written against Sphinx's HTML builders and read
their attributes: ``sphinx.ext.inheritance_diagram`` reads ``out_suffix``,
``sphinx.ext.graphviz`` ``imgpath`` and ``imagedir``, the math extensions
``math_renderer_name``, others ``highlighter``, ``dlpath`` or ``images``.  The
builder has those attributes, with the values a standalone HTML build would
have, so the visitors run; what they write is then cleaned with BookStack's
rules like any HTML we did not write.  The ``html_*`` configuration values need
nothing here: Sphinx registers them for every builder.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Set
from dataclasses import replace
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.frontend import OptionParser
from sphinx.builders import Builder
from sphinx.highlighting import PygmentsBridge
from sphinx.locale import __

from sphinx_mosaic.bookstack.assemble import Assembler
from sphinx_mosaic.bookstack.assets import IMAGE_PREFERENCE, Assets, ImageConverter
from sphinx_mosaic.bookstack.incremental import BuildRecord
from sphinx_mosaic.bookstack.mapping import Tags, page_tags, report
from sphinx_mosaic.bookstack.output import write_output
from sphinx_mosaic.bookstack.translate import (
    TranslationContext,
    report_failures,
    report_unrendered,
    translate_page,
)
from sphinx_mosaic.bookstack.translate.fragment import (
    INTERNAL_URI,
    Fragment,
    fragment_path,
    remove_other_versions,
)
from sphinx_mosaic.bookstack.translate.translator import BookStackTranslator
from sphinx_mosaic.warnings import MosaicWarning, warn

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
        self.described: set[str] = set()
        registry = self._component_registry
        _keep_own_translator(self, registry)
        html_handlers = dict(registry.translation_handlers.get("html", {}))
        #: What the translator needs of the build (set again in prepare_writing).
        self.translation = TranslationContext(html_handlers, {}, self.cache_dir)
        self.docsettings: Any = None
        self._written: set[str] = set()
        self.record = BuildRecord(self.env, self.cache_dir)
        self.events.connect("env-before-read-docs", self.record.note_read, 900)

    @property
    def _component_registry(self) -> Any:
        """Sphinx's component registry (visitors, math renderers): Sphinx 9 keeps it on
        the builder, Sphinx 8.0 only on the application."""
        return getattr(self, "_registry", None) or self.app.registry

    @property
    def math_renderer_name(self) -> str | None:
        """The math renderer an HTML build would pick (as ``StandaloneHTMLBuilder``)."""
        name = getattr(self.config, "html_math_renderer", None)
        if name:
            return str(name)
        renderers = list(self._component_registry.html_inline_math_renderers)
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

    def get_outdated_docs(self) -> Iterator[str]:
        return self.record.outdated()

    def write_documents(self, docnames: Set[str]) -> None:
        """Translate the documents whose page can have changed
        (:meth:`~sphinx_mosaic.bookstack.incremental.BuildRecord.to_translate`)."""
        wanted = self.record.to_translate(docnames)
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
        downloads = {
            str(dest): Path(src).as_posix() for src, (_docs, dest) in self.env.dlfiles.items()
        }
        self.translation = replace(self.translation, download_sources=downloads)
        self.described = self.record.described_docnames()

    def write_doc_serialized(self, docname: str, doctree: nodes.document) -> None:
        self.note_written(docname, doctree)

    def note_written(self, docname: str, doctree: nodes.document) -> None:
        """Note *docname* as translated in this build (in the main process, also under
        ``-j`` and in alongside mode): only such pages' fragments are warned about."""
        self._written.add(docname)

    def written_docnames(self) -> set[str]:
        return set(self._written)

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        self.current_docname = docname
        self.fignumbers = self.env.toc_fignumbers.get(docname, {})
        doctree.settings = self.docsettings
        context = replace(self.translation, docname=docname)
        fragment = translate_page(self, doctree, context, described=docname in self.described)
        fragment.dump(fragment_path(self.cache_dir, docname))

    # -- assembling -----------------------------------------------------------

    def tags_for(self, docname: str, source: str) -> Tags:
        return page_tags(self.env, docname, source)

    def finish(self) -> None:
        shelf, issues = self.record.skeleton()
        report(issues)
        fragments: dict[str, Fragment] = {}
        for docname in sorted(self.env.found_docs):
            fragment = Fragment.load(fragment_path(self.cache_dir, docname))
            if fragment is not None:
                fragments[docname] = fragment
        report_unrendered(fragments, self._written)
        report_failures(fragments, self._written)
        assets = Assets(Path(self.srcdir), ImageConverter(self.cache_dir / "converted"))
        asm = Assembler(shelf, fragments, assets, self.tags_for)
        outdir = Path(self.outdir)
        verbosity = getattr(self.config, "verbosity", 0)
        digests = write_output(asm, outdir, self.record.zip_digests(outdir), verbosity)
        self.record.save_zip_digests(outdir, digests)
        self.record.save_described(self.described)
        self.record.forget()
        remove_other_versions(self.cache_dir)


def _keep_own_translator(builder: BookStackBuilder, registry: Any) -> None:
    """Fall back to :class:`BookStackTranslator` when a project or an extension set a
    translator for this builder (``app.set_translator("bookstack", ...)``) that does not
    derive from it: another class would write HTML BookStack does not keep, and could not
    take the translation context, so the build would stop on the first page."""
    chosen = registry.translators.get(builder.name)
    if chosen is None or (isinstance(chosen, type) and issubclass(chosen, BookStackTranslator)):
        return
    name = f"{getattr(chosen, '__module__', '?')}.{getattr(chosen, '__qualname__', chosen)}"
    warn(
        MosaicWarning.BOOKSTACK,
        f"the translator {name} set for the bookstack builder does not derive from "
        "sphinx_mosaic's BookStackTranslator; the bookstack output uses BookStackTranslator "
        "(derive from it to change how nodes are written)",
    )
    del registry.translators[builder.name]
