"""Admonitions as BookStack callouts.

BookStack's editors store a callout as one ``<p class="callout KIND">`` with
``<br>`` between lines, and know four kinds: ``info``, ``success``,
``warning`` and ``danger`` (the callout formats of its WYSIWYG editor's
``config.js`` and of its newer editor's ``callout.ts``).  Every
admonition type of docutils and Sphinx maps onto one of them; the type's label
(``Note``, ``Tip``, ...) leads the callout in bold, so the distinction the
four colours cannot carry stays readable.

A callout is a paragraph, so it holds only text.  An admonition's text
paragraphs are its lines; a block in it (a code block, a list, a table, a
nested admonition) is written as it is, right after the callout paragraph
before it, and text after the block opens another callout paragraph of the
same kind (without the label).  BookStack's editor shows that as the callout,
then the block, then the rest of the callout, in the admonition's order.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any, Protocol

from docutils import nodes
from sphinx.locale import admonitionlabels

from sphinx_mosaic.bookstack.translate.ids import is_top_level

CALLOUT_KINDS = ("info", "success", "warning", "danger")

#: Admonition (node class or ``versionmodified`` type) -> callout kind.
CALLOUT_OF: dict[str, str] = {
    "note": "info",
    "seealso": "info",
    "admonition": "info",
    "todo_node": "info",
    "hint": "success",
    "tip": "success",
    "important": "warning",
    "attention": "warning",
    "caution": "warning",
    "warning": "warning",
    "danger": "danger",
    "error": "danger",
    # versionmodified directives
    "versionadded": "success",
    "versionchanged": "info",
    "deprecated": "warning",
    "versionremoved": "danger",
}


def callout_kind(name: str) -> str:
    """The callout kind for an admonition *name*; unknown names are ``info``."""
    return CALLOUT_OF.get(name, "info")


#: Children that a callout paragraph cannot hold: BookStack's callout is a ``<p>``,
#: so these follow it as blocks of their own (code keeps ``<pre>`` and its language,
#: lists and tables their structure).
_BLOCKS_IN_TEXT = (nodes.literal_block, nodes.doctest_block, nodes.math_block, nodes.rubric)


def is_callout_text(node: nodes.Node) -> bool:
    """Whether *node* can be a line of a callout paragraph (text, not a block)."""
    if isinstance(node, nodes.paragraph):
        return True
    if isinstance(node, _BLOCKS_IN_TEXT):
        return False
    return isinstance(node, nodes.TextElement) or not isinstance(node, nodes.Element)


def is_left_out(node: nodes.Node) -> bool:
    """The admonition's title (written as the callout's label) and invisible children."""
    return isinstance(node, (nodes.title, nodes.label, nodes.Invisible, nodes.comment))


def callout_runs(children: Iterable[nodes.Node]) -> list[list[nodes.Node]]:
    """The children in order, as runs: a list of text nodes (one callout paragraph),
    or a list of one block node (written as it is, after the paragraph before it)."""
    runs: list[list[nodes.Node]] = []
    for child in children:
        if is_left_out(child):
            continue
        if is_callout_text(child):
            if runs and is_callout_text(runs[-1][0]):
                runs[-1].append(child)
            else:
                runs.append([child])
        else:
            runs.append([child])
    return runs


class CalloutWriter(Protocol):
    """What the callout visitors use of the translator they are mixed into."""

    body: list[str]

    def starttag(
        self, node: Any, tagname: str, suffix: str = ..., empty: bool = ..., **attributes: Any
    ) -> str: ...

    def render_inline(self, children: Iterable[nodes.Node]) -> str: ...

    def block_id(self, text: str, tag: str = ...) -> str: ...

    def walk_block(self, node: nodes.Node) -> None: ...


class CalloutVisitors:
    """Visitors the BookStack translator takes for admonitions and ``versionmodified``."""

    def visit_admonition(self: CalloutWriter, node: nodes.Element, name: str = "") -> None:
        if not name:
            given: list[str] = node.get("classes", [])
            classes = [c.removeprefix("admonition-") for c in given]
            name = next((c for c in classes if c in CALLOUT_OF), "admonition")
            label = None
        else:
            label = admonitionlabels.get(name, name.title())
        write_callout(self, node, callout_kind(name), label)

    def visit_versionmodified(self: CalloutWriter, node: nodes.Element) -> None:
        write_callout(self, node, callout_kind(node.get("type", "")), None)


def write_callout(writer: CalloutWriter, node: nodes.Element, kind: str, label: str | None) -> None:
    """*node* as callout paragraphs of *kind*, led by its title or *label* in bold, with
    the blocks a paragraph cannot hold between them (see the module's doc)."""
    title = next((c for c in node.children if isinstance(c, nodes.title)), None)
    head = ""
    if title is not None:
        head = f"<strong>{writer.render_inline(title.children)}</strong>"
    elif label:
        head = f"<strong>{escape(label, quote=False)}</strong>"
    runs = callout_runs(node.children)
    if head and (not runs or not is_callout_text(runs[0][0])):
        runs.insert(0, [])  # the label's own paragraph, before a leading block
    first = True
    for run in runs:
        if run and not is_callout_text(run[0]):
            # A block a paragraph cannot hold: written as it is.
            if isinstance(run[0], nodes.image):  # an image stands in a paragraph
                writer.body.append("<p>")
                writer.walk_block(run[0])
                writer.body.append("</p>\n")
            else:
                writer.walk_block(run[0])
            continue
        pieces = [head] if first and head else []
        pieces.extend(inline_blocks(writer, run))
        if first:
            writer.body.append(writer.starttag(node, "p", "", CLASS=f"callout {kind}"))
        else:
            text = " ".join(child.astext() for child in run)
            ident = f' id="{writer.block_id(text)}"' if is_top_level(node) else ""
            writer.body.append(f'<p class="callout {kind}"{ident}>')
        writer.body.append("<br>".join(pieces) + "</p>\n")
        first = False
    raise nodes.SkipNode


def inline_blocks(writer: CalloutWriter, children: Iterable[nodes.Node]) -> list[str]:
    """Blocks as lines of one paragraph (a callout holds a single ``<p>``)."""
    pieces: list[str] = []
    for child in children:
        if is_left_out(child):
            continue
        if isinstance(child, (nodes.bullet_list, nodes.enumerated_list)):
            for number, item in enumerate(child.children, start=1):
                lines = inline_blocks(writer, item.children) or [""]
                mark = "•" if isinstance(child, nodes.bullet_list) else f"{number}."
                pieces.append(f"{mark} {lines[0]}")
                pieces.extend(f"&nbsp;&nbsp;&nbsp;{line}" for line in lines[1:])
        elif isinstance(child, (nodes.literal_block, nodes.doctest_block, nodes.math_block)):
            code = escape(child.astext(), quote=False)
            pieces.append(f"<code>{code}</code>".replace("\n", "<br>"))
        elif isinstance(child, nodes.TextElement) or not isinstance(child, nodes.Element):
            pieces.append(
                writer.render_inline(
                    child.children if isinstance(child, nodes.paragraph) else [child]
                )
            )
        else:
            pieces.extend(inline_blocks(writer, child.children))
    return [piece for piece in pieces if piece.strip()]


__all__ = [
    "CALLOUT_KINDS",
    "CALLOUT_OF",
    "CalloutVisitors",
    "CalloutWriter",
    "callout_kind",
    "inline_blocks",
    "write_callout",
]
