"""Each page's HTML as BookStack shows it: the doctree of one document translated into a fragment.

The translator and the visitors of other extensions' constructs it mixes in
(callouts, sphinx-design and tabs, API signatures), the ``bkmrk-`` ids of written
and raw HTML, the code-language names BookStack highlights, the description cut
from an index page, and the fragment a page is cached as until the books are
assembled.  The user guide's "What readers see" page describes the result.

Here: :func:`translate_page`, what the builder does with one page;
:func:`report_unrendered`, the warning for a node class nothing renders, by the
translator's own dispatch rule (:func:`~.translator.dispatch_for`); and
:func:`report_failures`, the warnings about other extensions' ``html`` visitors
that raised.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_mosaic.bookstack.format.html import clean_html
from sphinx_mosaic.bookstack.format.limits import DESCRIPTION_LIMIT
from sphinx_mosaic.bookstack.translate.description import (
    description_html,
    has_body,
    plain_description,
)
from sphinx_mosaic.bookstack.translate.fragment import Fragment
from sphinx_mosaic.bookstack.translate.ids import ensure_top_level_ids
from sphinx_mosaic.bookstack.translate.purifier import purify
from sphinx_mosaic.bookstack.translate.translator import (
    BookStackTranslator,
    TranslationContext,
)
from sphinx_mosaic.chrome import first_paragraph
from sphinx_mosaic.warnings import MosaicWarning, warn

if TYPE_CHECKING:
    from sphinx.builders import Builder


def translate_page(
    builder: Builder, doctree: nodes.document, context: TranslationContext, *, described: bool
) -> Fragment:
    """The fragment of the page *context* names: its HTML, with its first paragraph
    apart when it is the description of a shelf, book or chapter (*described*).

    *builder* is the BookStack builder, ready to write the page (Sphinx's state for
    the current document set, and the doctree's settings).
    """
    docname = context.docname
    description = _cut_description(doctree) if described else ""
    visitor = builder.create_translator(doctree, builder, context)
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
    return fragment


def _cut_description(doctree: nodes.document) -> str:
    """The description's HTML, its paragraph taken out of *doctree* ("" without one)."""
    paragraph = first_paragraph(doctree)
    if paragraph is None:
        return ""
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
    # Its labels now point at the book or chapter that shows the description: the
    # paragraph sits in the title section, whose ids stand for the page itself (a
    # link to it goes to the book or chapter).
    assert paragraph.parent is not None
    paragraph.parent["ids"].extend(paragraph["ids"])
    paragraph.parent.remove(paragraph)
    return description


def _first_per_class(
    fragments: Mapping[str, Fragment], written: Iterable[str], field: str
) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """(docname, entry) of the first entry per node class (its first item) in the list
    *field* of the fragments of the pages *written* in this build, in page order."""
    seen: set[str] = set()
    for docname in sorted(written):
        fragment = fragments.get(docname)
        for entry in getattr(fragment, field) if fragment is not None else ():
            if entry[0] not in seen:
                seen.add(entry[0])
                yield docname, entry


def report_unrendered(fragments: Mapping[str, Fragment], written: Iterable[str]) -> None:
    """One ``mosaic.bookstack`` warning per node class nothing renders, at its first node.

    The translator keeps such a node's text without markup and notes its class in
    the page's fragment (:meth:`~.fragment.Fragment.add_unrendered`) when it meets
    the page's first one, by the rule it dispatches with
    (:func:`~.translator.dispatch_for`): a node inside one whose visitor wrote it
    some other way is never met, and is not warned about.  Warned here, in the main
    process after all pages are written, so a parallel build (``-j``) gives one
    warning per class like a serial one, and no walk of each page looks for them
    beforehand.  Only pages translated in this build count.
    """
    for docname, (cls, where) in _first_per_class(fragments, written, "unrendered"):
        warn(
            MosaicWarning.BOOKSTACK,
            f"the BookStack output has no rendering for {cls} nodes (and no html one "
            "to fall back to); their text is kept without markup",
            location=where or docname,
        )


def report_failures(fragments: Mapping[str, Fragment], written: Iterable[str]) -> None:
    """One ``mosaic.foreign-node`` warning per node class whose ``html`` visitor raised,
    at its first page and line.

    The translator runs another extension's ``html`` visitor for a node it has no
    visitor of its own for.  When that visitor raises (it wanted something of
    Sphinx's HTML builders that ours does not offer), the translator keeps the
    node's children instead and records the failure in the page's fragment
    (:meth:`~.fragment.Fragment.add_foreign_failure`).  The builder warns here, in
    the main process after all pages are written, so a parallel build (``-j``)
    gives one warning per node class like a serial one.  Only pages translated
    in this build count: a page whose fragment was kept warned when it was written.
    """
    for docname, (cls, line, reason) in _first_per_class(fragments, written, "foreign_failures"):
        warn(
            MosaicWarning.FOREIGN_NODE,
            f"the html visitor of {cls} failed in the BookStack build ({reason}); "
            "the page keeps the node's text, without the HTML the visitor failed to write",
            location=(docname, line or None),
        )


__all__ = ["TranslationContext", "report_failures", "report_unrendered", "translate_page"]
