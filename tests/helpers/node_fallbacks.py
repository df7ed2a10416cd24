"""Node classes of docutils and Sphinx without a visitor of their own, and why that is fine.

:class:`~sphinx_mosaic.bookstack.translate.translator.BookStackTranslator` inherits a
visitor for nearly every node class from Sphinx's HTML5 translator and
overrides those BookStack needs differently.  The classes below have none;
each entry says what happens to them instead.  A test checks that every node
class of ``docutils.nodes`` and ``sphinx.addnodes`` has a visitor or an entry
here, so a new node class in a future release is noticed.
"""

from __future__ import annotations

_BASE = "abstract base class; never in a doctree"
_INLINE = "subclass of nodes.inline: rendered by visit_inline (its text, no classes)"

FALLBACKS: dict[str, str] = {
    # docutils.nodes
    "Node": _BASE,
    "Element": _BASE,
    "TextElement": _BASE,
    "FixedTextElement": _BASE,
    "PureTextElement": _BASE + " (docutils 0.22 and newer)",
    "pending": "replaced by docutils transforms while reading; never reaches a writer",
    # sphinx.addnodes
    "translatable": "mixin for translatable nodes; never instantiated alone",
    "_desc_classes_injector": "mixin of the desc_sig_* nodes; never instantiated alone",
    "desc_classname": "subclass of desc_addname: rendered by visit_desc_addname",
    "desc_sig_element": _INLINE,
    "desc_sig_space": _INLINE,
    "desc_sig_name": _INLINE,
    "desc_sig_operator": _INLINE,
    "desc_sig_punctuation": _INLINE,
    "desc_sig_keyword": _INLINE,
    "desc_sig_keyword_type": _INLINE,
    "desc_sig_literal_number": _INLINE,
    "desc_sig_literal_string": _INLINE,
    "desc_sig_literal_char": _INLINE,
    "only": "removed by Sphinx (OnlyNodeTransform) before writing, keeping what applies",
    "highlightlang": "consumed by Sphinx (HighlightLanguageTransform) while reading",
    "pending_xref": "resolved by Sphinx before writing; an unresolved one becomes its text",
    "pending_xref_condition": "resolved with its pending_xref before writing",
}
