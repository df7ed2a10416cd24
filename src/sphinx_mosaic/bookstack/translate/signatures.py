"""API descriptions (autodoc and the py, c, cpp, js and other domains) for BookStack.

Sphinx's HTML writes a description as a definition list whose term is the
signature, split into many styled spans; BookStack has none of that CSS, so
the page showed a run of plain text. Here each signature is one paragraph
holding one ``<code>`` line, with the object's name in bold (the name is what
a reader scans for) and links to documented types kept; the description's body
follows as ordinary blocks. An object with several signatures (overloads) gets
one line per signature. The paragraph carries the signature's anchor, so
cross-references land on it. sphinx.ext.linkcode's ``[source]`` link follows
the ``<code>`` line, after a space, as a plain link.

A field of a description (``:param a:``, ``:returns:``) whose body holds several
paragraphs is, in Sphinx's doctree, one paragraph holding the field's name and
those paragraphs; written as it is, that is ``<p>`` inside ``<p>``, which an HTML
parser (BookStack's, on import and on every save) splits into empty paragraphs and
loose text.  :func:`unnest_paragraphs` writes such a paragraph as the blocks it
holds, the text before the first one joined to it: ``<p><strong>a</strong> – The
first.</p><p>It has a second paragraph.</p>``.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any, Protocol, TypeGuard

from docutils import nodes
from sphinx import addnodes


def _text(value: str) -> str:
    return escape(value, quote=False)


class SignatureWriter(Protocol):
    """What these visitors use of the translator they are mixed into."""

    body: list[str]

    def starttag(
        self, node: Any, tagname: str, suffix: str = ..., empty: bool = ..., **attributes: Any
    ) -> str: ...

    def render_inline(self, children: Iterable[nodes.Node]) -> str: ...


class SignatureVisitors:
    """Visitors the BookStack translator takes for ``desc`` nodes."""

    def visit_desc(self, node: nodes.Element) -> None:
        """No wrapper: its blocks are top-level blocks (:data:`.ids.TRANSPARENT`)."""

    def depart_desc(self, node: nodes.Element) -> None:
        pass

    def visit_desc_signature(self: SignatureWriter, node: nodes.Element) -> None:
        line = signature_html(self, node)
        sources = "".join(
            " " + _plain_link(self, child) for child in node.children if _is_source_link(child)
        )
        self.body.append(self.starttag(node, "p", "") + f"<code>{line}</code>{sources}</p>\n")
        raise nodes.SkipNode

    def visit_desc_content(self, node: nodes.Element) -> None:
        pass

    def depart_desc_content(self, node: nodes.Element) -> None:
        pass


#: Blocks that cannot sit inside a ``<p>``: a paragraph holding one is written as its blocks.
_BLOCKS = (
    nodes.paragraph,
    nodes.Sequential,
    nodes.literal_block,
    nodes.doctest_block,
    nodes.math_block,
    nodes.line_block,
    nodes.block_quote,
    nodes.table,
    nodes.Admonition,
    nodes.container,
    nodes.figure,
)


def unnest_paragraphs(found: Iterable[nodes.Element]) -> bool:
    """Replace every paragraph among the elements *found* (a whole page's, in document
    order) that holds blocks by those blocks (see the module's doc); whether any was.

    Runs before the page's anchors are computed: the paragraph's ids go to the first
    block, so links to it still land on an element.
    """
    holders = [
        node
        for node in found
        # A resolved toctree is a compact paragraph around its caption and list, and
        # writes no element of its own.
        if isinstance(node, nodes.paragraph)
        and not isinstance(node, addnodes.compact_paragraph)
        and any(isinstance(child, _BLOCKS) for child in node.children)
    ]
    for holder in reversed(holders):  # inner paragraphs first
        _unnest(holder)
    return bool(holders)


def _visible(run: list[nodes.Node]) -> bool:
    """Whether *run* shows anything (labels' targets and whitespace do not)."""
    return any(
        str(n).strip() if isinstance(n, nodes.Text) else not isinstance(n, nodes.Invisible)
        for n in run
    )


def _ids(run: list[nodes.Node]) -> list[str]:
    return [ident for n in run if isinstance(n, nodes.Element) for ident in n["ids"]]


def _unnest(holder: nodes.paragraph) -> None:
    pieces: list[nodes.Element] = []
    run: list[nodes.Node] = []
    for child in list(holder.children):
        if not isinstance(child, _BLOCKS):
            run.append(child)
            continue
        if run and not _visible(run):
            # Only a label's target before the block: its ids go to the block.
            child["ids"] = [*_ids(run), *child["ids"]]
        elif isinstance(child, nodes.paragraph) and run:
            # The field's name and dash, then its first paragraph: one paragraph.
            merged = nodes.paragraph("", "", *run, *child.children)
            merged["ids"] = list(child["ids"])
            child = merged
        elif run:
            pieces.append(nodes.paragraph("", "", *run))
        run = []
        pieces.append(child)
    if run and (_visible(run) or not pieces):
        pieces.append(nodes.paragraph("", "", *run))
    elif run:
        pieces[-1]["ids"] = [*pieces[-1]["ids"], *_ids(run)]
    pieces[0]["ids"] = [*holder["ids"], *pieces[0]["ids"]]
    for piece in pieces:
        if piece.source is None:
            piece.source, piece.line = holder.source, holder.line
    assert holder.parent is not None
    holder.parent.replace(holder, pieces)


def signature_html(translator: SignatureWriter, node: nodes.Element) -> str:
    """One line of HTML for a signature: text, the name in ``<strong>``, links kept."""
    return "".join(_part(translator, child) for child in node.children).strip()


def _parts(translator: SignatureWriter, children: list[nodes.Node]) -> str:
    return "".join(_part(translator, child) for child in children)


def _plain_link(translator: SignatureWriter, node: nodes.Element) -> str:
    """A link with its text alone inside."""
    link = node.deepcopy()
    link.children = []
    link += nodes.Text(node.astext())
    return translator.render_inline([link])


def _is_source_link(node: nodes.Node) -> TypeGuard[nodes.reference]:
    """Whether *node* is a ``[source]`` link (sphinx.ext.linkcode's, written after the line)."""
    return (
        isinstance(node, nodes.reference)
        and len(node.children) == 1
        and isinstance(node[0], nodes.inline)
        and "viewcode-link" in node[0]["classes"]
    )


def _part(translator: SignatureWriter, node: nodes.Node) -> str:
    if isinstance(node, nodes.Text):
        return _text(str(node))
    if (
        not isinstance(node, nodes.Element)
        or isinstance(node, nodes.Invisible)
        or _is_source_link(node)
    ):
        return ""
    if isinstance(node, addnodes.desc_name):
        return f"<strong>{_parts(translator, node.children)}</strong>"
    if isinstance(node, addnodes.desc_type_parameter_list):
        return f"[{_listed(translator, node)}]"
    if isinstance(node, addnodes.desc_parameterlist):
        return f"({_listed(translator, node)})"
    if isinstance(node, addnodes.desc_returns):
        return f" → {_parts(translator, node.children)}"
    if isinstance(node, addnodes.desc_signature_line):
        return _parts(translator, node.children) + " "
    if isinstance(node, nodes.reference):
        # A link to a documented type: its text alone inside the link.
        return _plain_link(translator, node)
    return _parts(translator, node.children)


def _listed(translator: SignatureWriter, node: nodes.Element) -> str:
    """Parameters joined with commas; optional ones (``desc_optional``) in brackets."""
    pieces: list[str] = []
    for child in node.children:
        if isinstance(child, addnodes.desc_optional):
            inner = _listed(translator, child)
            optional = "[" + (", " if pieces else "") + inner + "]"
            if pieces:
                pieces[-1] += optional
            else:
                pieces.append(optional)
        else:
            pieces.append(_part(translator, child))
    return ", ".join(pieces)


__all__ = ["SignatureVisitors", "SignatureWriter", "signature_html", "unnest_paragraphs"]
