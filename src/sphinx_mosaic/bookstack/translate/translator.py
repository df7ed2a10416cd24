"""The BookStack translator: a doctree as the HTML BookStack keeps as is, by one dispatch rule.

:class:`BookStackTranslator` is Sphinx's HTML5 translator with the parts
BookStack cannot carry replaced:

* no sections, wrappers, theme classes, permalinks, scripts or styles: a flat
  sequence of headings and blocks, each with a ``bkmrk-`` id
  (:mod:`~sphinx_mosaic.bookstack.translate.ids`); the page title is left out;
* admonitions become callouts, with the blocks in them after the callout's
  paragraph (:mod:`~.callouts`), code blocks
  ``<pre><code class="language-X">`` without Pygments markup (:mod:`~.languages`);
* figures, footnotes, line blocks and math become plain paragraphs;
* API descriptions: the signature as one code line with the name in bold, then
  the body (:mod:`~.signatures`);
* sphinx-design and the tab extensions' markup becomes collapsible blocks and
  bold labels (:mod:`~.design`);
* links, images and downloads become tokens (:mod:`~.fragment`) that the
  assembly resolves (:mod:`~sphinx_mosaic.bookstack.assemble`).

Node dispatch (:func:`dispatch_for`): a visitor of this class for the node's
own class first, then the ``html`` visitor another extension registered for it
(so third-party nodes render as they do in HTML; one that raises costs its
markup, not the build: :func:`~sphinx_mosaic.bookstack.translate.report_failures`),
then a visitor of a base class; anything else keeps its text (one warning per
node type: :func:`~sphinx_mosaic.bookstack.translate.report_unrendered`).
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.utils import get_source_line
from selectolax.lexbor import LexborHTMLParser
from sphinx.writers.html5 import HTML5Translator

from sphinx_mosaic.bookstack.assets import chosen_uri
from sphinx_mosaic.bookstack.format.html import (
    CELL_ALIGNMENT,
    clean_reporting,
    is_safe_url,
    url_scheme,
)
from sphinx_mosaic.bookstack.options import BOOKSTACK_EXTRAS
from sphinx_mosaic.bookstack.translate.callouts import (
    CALLOUT_KINDS,
    CalloutVisitors,
    CalloutWriter,
    inline_blocks,
)
from sphinx_mosaic.bookstack.translate.design import DesignVisitors, DesignWriter
from sphinx_mosaic.bookstack.translate.fragment import INTERNAL_URI, Fragment
from sphinx_mosaic.bookstack.translate.ids import PageAnchors, is_top_level
from sphinx_mosaic.bookstack.translate.languages import bookstack_language, highlighted_as
from sphinx_mosaic.bookstack.translate.rawimages import (
    LocalFiles,
    inline_svgs,
    pack_local_images,
    standalone,
)
from sphinx_mosaic.bookstack.translate.signatures import (
    SignatureVisitors,
    SignatureWriter,
    unnest_paragraphs,
)
from sphinx_mosaic.chrome import EXTRA_ENTRY
from sphinx_mosaic.config import option_value
from sphinx_mosaic.files import write_whole
from sphinx_mosaic.other_extensions import only_icons
from sphinx_mosaic.walk import elements
from sphinx_mosaic.warnings import MosaicWarning, warn

if TYPE_CHECKING:
    from sphinx.builders import Builder

Handler = Callable[[nodes.Node], None]
#: An ``html`` visitor or departure function another extension registered.
HTMLHandler = Callable[[Any, nodes.Node], None]

#: Classes a page keeps: BookStack's callouts and task lists style by them.
_KEPT_CLASSES = frozenset({"callout", *CALLOUT_KINDS, "task-list-item", "contains-task-list"})
#: A Markdown table column's alignment (``:---:``), which MyST writes as a class on each of
#: its cells (``text-center``), in the class BookStack's editor gives an aligned cell.
_ALIGNMENT_CLASSES = {f"text-{side}": cls for side, cls in CELL_ALIGNMENT.items()}


def _filtered_attribute(name: str) -> bool:
    """Whether BookStack's content filter (v25.12.4 and later) removes the attribute
    *name* when it shows a page, so that a colleague's save stores the page without
    it: ``role`` and ``aria-*`` (Sphinx's toctree captions and footnote links),
    every ``data-*`` and ``rel``.  They are never written, so the page shown is
    the page stored."""
    return name in ("role", "rel") or name.startswith(("aria-", "data-"))


@dataclass(frozen=True)
class TranslationContext:
    """What the translator needs of the build beyond Sphinx's builder interface.

    The BookStack builder makes one before it writes (``prepare_writing``, also in
    alongside mode) and gives each page's translator a copy naming the page.
    """

    #: Node class name -> (visit, depart) of other extensions' ``html`` visitors.
    html_handlers: Mapping[str, tuple[HTMLHandler, HTMLHandler | None]]
    #: A download's file name as Sphinx records it on the node -> its source file.
    download_sources: Mapping[str, str]
    #: Where the translator keeps files it makes (drawings of inline SVG).
    cache_dir: Path
    #: The document being translated.
    docname: str = ""


def dispatch_for(
    cls: type, own_visitors: Collection[str], html_handlers: Collection[str]
) -> tuple[str, bool] | None:
    """Whose visitor renders nodes of *cls*: (node class name, whether it is another
    extension's ``html`` visitor), or None when nothing does (the text is kept).

    *own_visitors* are the node class names the translator has a ``visit_`` method
    for (:func:`own_visitors`); *html_handlers* those other extensions registered an
    ``html`` visitor for.  The translator dispatches by this rule, and notes the
    classes it finds no visitor for in the page's fragment.
    """
    name = cls.__name__
    if name in own_visitors:
        return name, False
    if name in html_handlers:
        return name, True
    for base in cls.__mro__[1:]:
        if base.__name__ in own_visitors:
            return base.__name__, False
    return None


@functools.cache
def _class_visitors(translator_class: type) -> frozenset[str]:
    return frozenset(
        name.removeprefix("visit_") for name in dir(translator_class) if name.startswith("visit_")
    )


def own_visitors(translator_class: type, registered: Iterable[str]) -> frozenset[str]:
    """The node class names *translator_class* has a visitor for, with those whose
    visitor is *registered* for the builder's format (``app.add_node(bookstack=...)``;
    Sphinx sets those on each translator it makes)."""
    return _class_visitors(translator_class) | frozenset(registered)


def _ancestors(node: nodes.Node) -> Iterable[nodes.Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _text(value: str) -> str:
    return escape(value, quote=False)


class BookStackTranslator(CalloutVisitors, DesignVisitors, SignatureVisitors, HTML5Translator):
    def __init__(
        self, document: nodes.document, builder: Builder, context: TranslationContext
    ) -> None:
        super().__init__(document, builder)
        self.translation = context
        self.docname = context.docname
        self.result = Fragment(docname=self.docname)
        # One walk of the page serves both, unless a paragraph is unnested.
        found = elements(document)
        if unnest_paragraphs(found):  # no <p> inside a <p> (multi-paragraph fields)
            found = elements(document)
        self.ids = PageAnchors(document, found)
        self.result.anchors = self.ids.anchors
        self._dispatch: dict[type, tuple[Handler | None, Handler | None]] = {}
        self._own: frozenset[str] | None = None
        #: Set when HTML we did not write (raw, another extension's) may lack ids.
        self.needs_id_scan = False
        #: Set when the page holds HTML we did not write: the builder cleans the whole
        #: page with BookStack's rules (raw snippets can open and close tags apart).
        self.needs_cleaning = False
        self._figure_open: list[bool] = []
        self._line_depth = -1
        self._line_first = True
        #: Nodes whose foreign visitor raised (by id): their departure is skipped.
        self._failed: set[int] = set()

    # -- dispatch -------------------------------------------------------------

    def _handlers(self, cls: type) -> tuple[Handler | None, Handler | None]:
        """(visit, depart) for a node class, looked up once per class."""
        found = self._dispatch.get(cls)
        if found is not None:
            return found
        if self._own is None:
            # The class's visitors and those Sphinx set on this instance after __init__.
            registered = [name[6:] for name in vars(self) if name.startswith("visit_")]
            self._own = own_visitors(type(self), registered)
        html_handlers = self.translation.html_handlers
        rule = dispatch_for(cls, self._own, html_handlers)
        if rule is None:
            found = (None, None)  # unknown: keep the children (noted in the fragment)
        elif rule[1]:
            visit, depart = html_handlers[rule[0]]
            # Another extension's HTML may carry tags without ids: check them afterwards.
            found = (self._foreign(visit), self._foreign(depart) if depart else None)
        else:
            found = (getattr(self, f"visit_{rule[0]}"), getattr(self, f"depart_{rule[0]}", None))
        self._dispatch[cls] = found
        return found

    def _foreign(self, handler: HTMLHandler) -> Handler:
        def call(node: nodes.Node) -> None:
            self.needs_id_scan = True
            start, context = len(self.body), len(self.context)
            if id(node) in self._failed:
                return  # its visit failed: the depart that would close it is left out too
            try:
                handler(self, node)
            except (nodes.TreePruningException, nodes.StopTraversal):
                raise  # docutils' own control flow (SkipNode and the like)
            except Exception as error:  # any failure of another extension
                # Written for an HTML builder, it wanted something ours lacks: undo what
                # it wrote and keep the children, rendered as ours (the text survives).
                del self.body[start:]
                del self.context[context:]
                self._failed.add(id(node))
                self.result.add_foreign_failure(node, error)
                return
            self._report_unsafe(node, start, "the HTML of this node")

        return call

    def _report_unsafe(self, node: nodes.Node, start: int, what: str) -> None:
        """Warn about what BookStack's rules take out of the HTML appended since *start*.

        The text is left as it is here: the builder cleans the whole page, so tags a
        snippet opens and a later one closes stay paired.
        """
        self.needs_cleaning = True
        written = "".join(self.body[start:])
        if not written.strip():
            return
        if "<svg" in written.lower():
            written = self._draw_inline_svgs(node, written)
            self.body[start:] = [written]
        removed = clean_reporting(written)[1]
        if removed:
            warn(
                MosaicWarning.BOOKSTACK,
                f"{what} holds what BookStack does not allow; removed from the BookStack "
                f"output: {', '.join(removed)} (review the raw HTML)",
                location=node,
            )

    def _draw_inline_svgs(self, node: nodes.Node, written: str) -> str:
        """*written* with each inline ``<svg>`` replaced by an image of it.

        BookStack's content filter removes inline SVG when it shows a page (and a
        colleague's save stores the page without it), so the drawing becomes a
        PNG image like any SVG file.  The SVG is kept as a file in the build's
        cache, named by its content, for the books to read.
        """
        pieces: list[str] = []
        end = 0
        for begin, finish in inline_svgs(written):
            pieces += [written[end:begin], self._inline_svg_image(node, written[begin:finish])]
            end = finish
        return "".join([*pieces, written[end:]])

    def _inline_svg_image(self, node: nodes.Node, markup: str) -> str:
        data = standalone(markup)
        folder = self.translation.cache_dir / "inline-svg"
        path = folder / f"inline-{hashlib.sha256(data).hexdigest()[:16]}.svg"
        if not path.is_file():
            write_whole(path, data)
        root = LexborHTMLParser(markup).css_first("svg")
        attributes = root.attributes if root is not None else {}
        title = root.css_first("title") if root is not None else None
        alt = (title.text() if title is not None else "") or attributes.get("aria-label") or ""
        atts = {"alt": " ".join(alt.split()), "src": self.result.add_image(str(path))}
        for dimension in ("width", "height"):
            value = (attributes.get(dimension) or "").strip().removesuffix("px")
            if value.isdigit():
                atts[dimension] = value
        shown = " ".join(f'{name}="{escape(value)}"' for name, value in sorted(atts.items()))
        return f"<img {shown} />"

    def dispatch_visit(self, node: nodes.Node) -> None:
        if id(node) in self.ids.wrappers:
            self.ids.opened(node, self.body)
        handlers = self._dispatch.get(type(node))
        if handlers is None:  # the page's first node of its class
            handlers = self._handlers(type(node))
            if handlers[0] is None:
                self.result.add_unrendered(node)  # the builder warns, once per class
        if handlers[0] is not None:
            handlers[0](node)

    def dispatch_departure(self, node: nodes.Node) -> None:
        depart = self._handlers(type(node))[1]
        if depart is not None:
            depart(node)

    def depart_document(self, node: nodes.document) -> None:
        super().depart_document(node)
        self.ids.settle(self.body)

    def visit_raw(self, node: nodes.raw) -> None:
        if "html" not in node.get("format", "").split():
            raise nodes.SkipNode
        self.needs_id_scan = True
        start = len(self.body)
        try:
            super().visit_raw(node)
        finally:  # docutils ends with SkipNode
            # What BookStack's rules remove is reported on the block as written.
            self._report_unsafe(node, start, "raw HTML")
            self._pack_raw_images(node, start)

    def _pack_raw_images(self, node: nodes.raw, start: int) -> None:
        """Local ``<img src>`` of raw HTML: packed like other images (:mod:`~.rawimages`)."""
        written = "".join(self.body[start:])
        if "<img" not in written.lower():
            return
        line = get_source_line(node)[1]
        files = LocalFiles(
            Path(self.builder.srcdir),
            Path(self.builder.confdir),
            self.config.html_static_path,
            self.config.html_extra_path,
        )

        def missing(src: str) -> None:
            warn(
                MosaicWarning.IMAGE,
                f"raw HTML image {src!r} names no file of the project (looked for in the "
                "source folder, html_static_path and html_extra_path); its alt text is shown "
                "instead in the BookStack output",
                location=node,
            )

        packed = pack_local_images(
            written, self.docname, files, lambda found: self.result.add_image(found, line), missing
        )
        if packed != written:
            self.body[start:] = [packed]

    def visit_paragraph(self, node: nodes.paragraph) -> None:
        if only_icons(node):
            raise nodes.SkipNode  # sphinx-design icons are left out: no empty paragraph
        super().visit_paragraph(node)

    def visit_hlist(self, node: nodes.Element) -> None:
        self.body.append(self.starttag(node, "table", "") + "<tr>")

    # -- tags and ids ---------------------------------------------------------

    def starttag(
        self,
        node: Any,
        tagname: str,
        suffix: str = "\n",
        empty: bool = False,
        **attributes: Any,
    ) -> str:
        """Like docutils', but with ``bkmrk-`` ids and no theme classes."""
        tagname = tagname.lower()
        atts: dict[str, str] = {}
        classes: list[str] = []
        for name, value in attributes.items():
            name = name.lower()
            if name in ("class", "classes"):
                classes.extend(value.split() if isinstance(value, str) else value)
            elif name == "ids" or value is None or _filtered_attribute(name):
                continue
            elif isinstance(value, (list, tuple)):
                atts[name] = " ".join(str(v) for v in value)
            else:
                atts[name] = str(value)
        if isinstance(node, nodes.Element):
            classes.extend(node.get("classes", ()))
        if classes:  # most tags have none (this runs for every tag of every page)
            kept = [
                _ALIGNMENT_CLASSES.get(cls, cls)
                for cls in dict.fromkeys(classes)
                if cls in _KEPT_CLASSES or (cls in _ALIGNMENT_CLASSES and tagname in ("th", "td"))
            ]
            if kept:
                atts["class"] = " ".join(kept)
        ident = self.ids.element_id(node, tagname)
        if ident:
            atts["id"] = ident
        end = " />" if empty else ">"
        if not atts:
            return f"<{tagname}{end}{suffix}"
        written = " ".join(f'{name}="{escape(value)}"' for name, value in sorted(atts.items()))
        return f"<{tagname} {written}{end}{suffix}"

    def encode(self, text: Any) -> str:
        # docutils writes "@" as "&#64;" (against address harvesting); BookStack
        # stores "@", so write what it keeps.
        return str(super().encode(text)).replace("&#64;", "@")

    def add_permalink_ref(self, node: nodes.Element, title: str) -> None:
        """No permalinks: BookStack has its own."""

    def block_id(self, text: str, tag: str = "p") -> str:
        """A generated ``bkmrk-`` id for a block of *text* the page writes as *tag*."""
        return self.ids.generated(text, tag)

    def walk(self, children: Iterable[nodes.Node]) -> None:
        """Write *children* in place, as the doctree walk would."""
        for child in children:
            child.walkabout(self)

    def walk_block(self, node: nodes.Node) -> None:
        """Write a block where BookStack wants text (a block in a callout): its
        elements are not top-level while written, so the page is scanned for ids."""
        self.needs_id_scan = True
        node.walkabout(self)

    # -- structure ------------------------------------------------------------

    def visit_section(self, node: nodes.Element) -> None:
        self.section_level += 1

    def depart_section(self, node: nodes.Element) -> None:
        self.section_level -= 1

    def visit_title(self, node: nodes.title) -> None:
        parent = node.parent
        if isinstance(parent, nodes.section):
            if parent is self.ids.title_section:
                raise nodes.SkipNode  # BookStack shows the page name itself
            level = min(max(self.section_level, 1), 6)
            self.body.append(f'<h{level} id="{self.ids.section_id(parent)}">')
            self.context.append(f"</h{level}>\n")
            return
        if isinstance(parent, (nodes.topic, nodes.sidebar)):
            self.body.append(self.starttag(node, "p", "") + "<strong>")
            self.context.append("</strong></p>\n")
            return
        super().visit_title(node)

    def depart_title(self, node: nodes.title) -> None:
        if isinstance(node.parent, (nodes.section, nodes.topic, nodes.sidebar)):
            self.body.append(self.context.pop())
            return
        super().depart_title(node)

    def _transparent(self, node: nodes.Element) -> None:
        """Wrappers are left out: BookStack wants one level of blocks."""

    visit_compound = depart_compound = _transparent
    visit_topic = depart_topic = _transparent
    visit_sidebar = depart_sidebar = _transparent
    visit_legend = depart_legend = _transparent

    def visit_caption(self, node: nodes.caption) -> None:
        parent = node.parent
        if isinstance(parent, nodes.figure):
            if self._figure_open and self._figure_open[-1]:
                self.body.append("</p>\n")
                self._figure_open[-1] = False
            self.body.append(f'<p id="{self.block_id(node.astext())}"><em>')
            if self.config.numfig:
                self.add_fignumber(parent)
            self.context.append("</em></p>\n")
            return
        self.body.append(self.starttag(node, "p", "") + "<strong>")
        self.context.append("</strong></p>\n")

    def depart_caption(self, node: nodes.caption) -> None:
        self.body.append(self.context.pop())

    def visit_figure(self, node: nodes.figure) -> None:
        self.body.append(self.starttag(node, "p", ""))
        self._figure_open.append(True)

    def depart_figure(self, node: nodes.figure) -> None:
        if self._figure_open.pop():
            self.body.append("</p>\n")

    def visit_line_block(self, node: nodes.Element) -> None:
        if self._line_depth < 0:
            self.body.append(self.starttag(node, "p", ""))
            self._line_first = True
        self._line_depth += 1

    def depart_line_block(self, node: nodes.Element) -> None:
        self._line_depth -= 1
        if self._line_depth < 0:
            self.body.append("</p>\n")

    def visit_line(self, node: nodes.Element) -> None:
        if not self._line_first:
            self.body.append("<br>")
        self._line_first = False
        self.body.append("&nbsp;" * 4 * max(self._line_depth - 1, 0))

    def depart_line(self, node: nodes.Element) -> None:
        pass

    # -- code and math --------------------------------------------------------

    def _code(self, node: nodes.Element, language: str | None, text: str | None = None) -> None:
        name = bookstack_language(language)
        attribute = f' class="language-{name}"' if name else ""
        text = node.astext() if text is None else text
        self.body.append(
            self.starttag(node, "pre", "") + f"<code{attribute}>{_text(text)}</code></pre>\n"
        )
        raise nodes.SkipNode

    def visit_literal_block(self, node: nodes.Element) -> None:
        if node.rawsource != node.astext():  # parsed-literal: keep its inline markup
            self.body.append(self.starttag(node, "pre", ""))
            return
        # The language Sphinx's HTML builder colours the block in (``default``:
        # Python where it lexes), as post-transforms left it on the node.
        language = node.get("language", "default")
        self._code(
            node,
            highlighted_as(
                node.rawsource,
                language,
                force=bool(node.get("force")),
                options=self.config.highlight_options.get(language, {}),
            ),
        )

    def depart_literal_block(self, node: nodes.Element) -> None:
        self.body.append("</pre>\n")

    def visit_doctest_block(self, node: nodes.Element) -> None:
        self._code(node, "python")

    def visit_literal(self, node: nodes.Element) -> None:
        tag = "kbd" if "kbd" in node.get("classes", []) else "code"
        self.body.append(f"<{tag}>{_text(node.astext())}</{tag}>")
        raise nodes.SkipNode

    def visit_math(self, node: nodes.Element, math_env: str = "") -> None:
        self.body.append(f"<code>{_text(node.astext())}</code>")
        raise nodes.SkipNode

    def visit_math_block(self, node: nodes.Element, math_env: str = "") -> None:
        self._code(node, "latex", node.astext().strip("\n"))

    # -- footnotes and citations ----------------------------------------------

    def visit_footnote(self, node: nodes.Element) -> None:
        label = node.children[0].astext() if node.children else ""
        backrefs = node.get("backrefs") or []
        mark = f"[{_text(label)}]"
        if backrefs:
            mark = f'<a href="{self.ids.href(backrefs[0])}">{mark}</a>'
        text = "<br>".join(inline_blocks(self, node.children))
        self.body.append(self.starttag(node, "p", "") + f"<sup>{mark}</sup> {text}</p>\n")
        raise nodes.SkipNode

    visit_citation = visit_footnote

    def visit_footnote_reference(self, node: nodes.Element) -> None:
        href = self.ids.href(node.get("refid", ""))
        link = self.starttag(node, "a", "", href=href) + f"[{_text(node.astext())}]</a>"
        self.body.append(
            f"<sup>{link}</sup>" if isinstance(node, nodes.footnote_reference) else link
        )
        raise nodes.SkipNode

    visit_citation_reference = visit_footnote_reference

    def render_inline(self, children: Iterable[nodes.Node]) -> str:
        """The HTML of *children*, written apart from the page's body."""
        saved, self.body = self.body, []
        try:
            self.walk(children)
            return "".join(self.body).strip()
        finally:
            self.body = saved

    def visit_list_item(self, node: nodes.list_item) -> None:
        if (
            EXTRA_ENTRY in node["classes"]
            and option_value(self.config, BOOKSTACK_EXTRAS) != "books"
        ):
            # A generated contents entry for a folder the BookStack output leaves out
            # (scratchpads/): in BookStack it would link nowhere.
            raise nodes.SkipNode
        super().visit_list_item(node)

    # -- links, images, downloads ---------------------------------------------

    def visit_reference(self, node: nodes.Element) -> None:
        atts: dict[str, Any] = {}
        if "refuri" in node:
            uri = node["refuri"] or "#"
            if uri.startswith(INTERNAL_URI):
                docname, _, anchor = uri[len(INTERNAL_URI) :].partition("#")
                if docname == self.docname and anchor:
                    uri = self._in_page(anchor)
                else:
                    uri = self.result.add_link(docname, anchor)
            elif uri.startswith("#"):
                uri = self._in_page(uri[1:])
            elif not is_safe_url(uri):
                self._unsafe_url(node, "link", uri)
                uri = None
            elif url_scheme(uri) is None and not uri.startswith("/"):
                uri = self._relative(node, uri)
        else:
            uri = self._in_page(node.get("refid", ""))
        if node.get("reftitle"):
            atts["title"] = node["reftitle"]
        if node.get("target") == "_blank":
            atts["target"] = "_blank"
        self.body.append(self.starttag(node, "a", "", href=uri, **atts))

    def _in_page(self, refid: str) -> str | None:
        """The href of a link to *refid* on this page.

        The page itself (its title, or no id) is the page's own URL, not ``#``; an id that
        names no element of the page (a Markdown link to a file that does not exist, to a
        heading slug the page does not have) gives no href: the text stays, unlinked.
        """
        if refid not in self.ids.anchors:
            return None if refid else self.result.add_link(self.docname, "")
        href = self.ids.href(refid)
        return self.result.add_link(self.docname, "") if href == "#" else href

    def _relative(self, node: nodes.Element, uri: str) -> str | None:
        """The href of a relative URL written in the source (``monkeypatch.html``,
        ``../how-to/unittest.html#id``), which BookStack would resolve against its own
        page URL, where it leads nowhere.

        A URL naming the html page of a document (relative to this page's folder, as a
        browser reads it on the html build) links to that document; any other keeps its
        text without a link, with a warning.
        """
        path, _, anchor = uri.partition("#")
        path = path.partition("?")[0]
        folder = posixpath.dirname(self.docname)
        suffix = getattr(self.builder.config, "html_file_suffix", None) or ".html"
        candidates: list[str] = []
        if path.endswith(suffix):
            candidates.append(path[: -len(suffix)])
        elif path.endswith("/"):
            candidates.append(path + "index")
        found = self.builder.env.found_docs
        for candidate in candidates:
            docname = posixpath.normpath(posixpath.join(folder, candidate))
            if docname in found:
                if docname == self.docname and anchor:
                    return self._in_page(anchor)
                return self.result.add_link(docname, anchor)
        shown = uri if len(uri) <= 60 else uri[:59] + "…"
        warn(
            MosaicWarning.BOOKSTACK,
            f"link {shown!r} is a relative URL that names no page of the project; BookStack "
            "would resolve it against its own page URL, so its text is kept without a link "
            "(link to a document with :doc:, :ref: or a Markdown link, or give a full URL)",
            location=node,
        )
        return None

    def _unsafe_url(self, node: nodes.Element, what: str, uri: str) -> None:
        shown = uri if len(uri) <= 40 else uri[:39] + "…"
        warn(
            MosaicWarning.BOOKSTACK,
            f"{what} URL {shown!r} uses a scheme BookStack does not allow (only http, https, "
            "mailto, tel, ftp and relative URLs); it is left out of the BookStack output",
            location=node,
        )

    def visit_image(self, node: nodes.Element) -> None:
        uri = chosen_uri(node)  # a glob image's file
        if any(isinstance(parent, nodes.literal_block) for parent in _ancestors(node)):
            # A parsed-literal's image: HTML Purifier removes every <img> inside a <pre>
            # (BookStack's content filter, v25.12.4 and later), so its alt text stands in.
            warn(
                MosaicWarning.BOOKSTACK,
                f"image {uri!r} inside a parsed-literal block: BookStack's content filter "
                "removes images inside code blocks, so its alt text is shown instead",
                location=node,
            )
            self.body.append(_text(node.get("alt", "")))
            raise nodes.SkipNode
        if "://" in uri or uri.startswith("data:") or ":" in uri.split("/", 1)[0]:
            if not is_safe_url(uri):
                # data: images too: BookStack strips them when it renders.
                self._unsafe_url(node, "image", uri)
                alt = node.get("alt", "")
                top = is_top_level(node) and alt
                self.body.append(f"<p>{_text(alt)}</p>\n" if top else _text(alt))
                raise nodes.SkipNode
            src = uri
        else:
            # The line of the image or, as docutils often leaves it out, of its parent.
            src = self.result.add_image(uri, get_source_line(node)[1])
        atts = {"src": src, "alt": node.get("alt", "")}
        for dimension in ("width", "height"):
            value = str(node.get(dimension, "")).removesuffix("px")
            if value.isdigit():
                atts[dimension] = value
        tag = self.starttag(node, "img", "", empty=True, **atts)
        if is_top_level(node) and not isinstance(node.parent, nodes.figure):
            tag = f'<p id="{self.block_id(node.get("alt", ""), "img")}">{tag}</p>\n'
        self.body.append(tag)
        raise nodes.SkipNode

    def visit_download_reference(self, node: nodes.Element) -> None:
        href: str | None = None
        source = self.translation.download_sources.get(node.get("filename", ""))
        if source is not None:
            href = self.result.add_attachment(source)
        elif "://" in node.get("reftarget", ""):
            href = node["reftarget"]
            if not is_safe_url(href):
                self._unsafe_url(node, "download", href)
                href = None
        if href is None:
            self.context.append("")
            return
        self.body.append(self.starttag(node, "a", "", href=href))
        self.context.append("</a>")

    def depart_download_reference(self, node: nodes.Element) -> None:
        self.body.append(self.context.pop())


if TYPE_CHECKING:

    def _mixed_in(translator: BookStackTranslator) -> list[object]:
        """The translator is what each mixin's visitors take it for (checked by mypy)."""
        writers: tuple[CalloutWriter, DesignWriter, SignatureWriter] = (translator,) * 3
        return list(writers)


__all__ = ["BookStackTranslator", "TranslationContext", "dispatch_for", "own_visitors"]
