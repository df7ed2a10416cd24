"""The element walk the write phase uses instead of ``findall(nodes.Element)``."""

from __future__ import annotations

from docutils import nodes
from docutils.core import publish_doctree

from sphinx_mosaic.walk import elements

SOURCE = """\
Title
=====

A paragraph with *emphasis*, ``code`` and a `link <https://example.org>`_.

Section
-------

* an item

  * a nested item with **strong** text

    .. note:: A note in it.

       +-----+-----+
       | a   | b   |
       +-----+-----+

.. raw:: html

   <b>raw</b>

A last paragraph.
"""


def test_the_same_elements_in_the_same_order_as_findall() -> None:
    document = publish_doctree(SOURCE)
    found = elements(document)
    assert found == list(document.findall(nodes.Element))
    assert len(found) > 20  # nested lists, a note, a table: a tree deeper than a page's top


def test_a_subtree_starts_with_its_root_and_a_text_node_has_none() -> None:
    document = publish_doctree(SOURCE)
    note = next(document.findall(nodes.note))
    assert elements(note)[0] is note
    assert elements(note) == list(note.findall(nodes.Element))
    assert elements(nodes.Text("text")) == []


def test_the_list_is_made_before_the_caller_changes_the_tree() -> None:
    document = publish_doctree(SOURCE)
    before = list(document.findall(nodes.Element))
    walked = []
    for node in elements(document):
        walked.append(node)
        if isinstance(node, nodes.note):
            node.parent.remove(node)  # its children are still in the list
    assert walked == before
