"""Admonitions as BookStack callouts.

BookStack's editors store a callout as one ``<p class="callout KIND">`` with
``<br>`` between lines, and know four kinds: ``info``, ``success``,
``warning`` and ``danger`` (research/bookstack.md section 2.2).  Every
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

from docutils import nodes

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
