"""Warnings for the characters a PDF cannot show, at their first place in the sources.

The LaTeX builder resolves one assembled doctree per PDF (every page of it, in
reading order, each node still carrying its source and line), so the first
occurrence found there is the first in the book.  It does so on every build,
in the main process (LaTeX writing is serial even under ``-j``), which keeps
the one-warning-per-character promise true for incremental and parallel builds.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from sphinx_mosaic.pdf.characters import emoji
from sphinx_mosaic.pdf.characters.classify import Kind, classify
from sphinx_mosaic.warnings import MosaicWarning, warn


@dataclass
class _Seen:
    """The characters already looked at in this build, and whether the missing
    image set was reported."""

    codes: set[int] = field(default_factory=set)
    told_no_images: bool = False


_SEEN: weakref.WeakKeyDictionary[Sphinx, _Seen] = weakref.WeakKeyDictionary()


def _lines_before(block: nodes.Element, node: nodes.Text, text: str, index: int) -> int:
    """How many line breaks of *block*'s text come before the character at *index* of
    *node* (a paragraph's soft line breaks, a code block's lines)."""
    count = 0
    for part in block.findall(nodes.Text):
        if part is node:
            return count + text[:index].count("\n")
        count += str(part).count("\n")
    return 0


def _printed(node: nodes.Text) -> bool:
    """Whether *node* reaches the LaTeX output (comments and raw output for other
    formats do not)."""
    parent = node.parent
    if isinstance(parent, nodes.comment):
        return False
    if isinstance(parent, nodes.raw):
        return "latex" in str(parent.get("format", "")).split()
    return True


def _location(node: nodes.Text, text: str, index: int, docname: str) -> tuple[str, int | None]:
    """(docname, line) of the character at *index* of *node*'s *text*."""
    line: int | None = None
    block: nodes.Node | None = node.parent
    while block is not None:
        start = getattr(block, "line", None)
        if line is None and isinstance(start, int) and start:
            assert isinstance(block, nodes.Element)
            # MyST gives a fenced code block the line of its opening fence.
            fence = 1 if isinstance(block, nodes.literal_block) else 0
            line = start + fence + _lines_before(block, node, text, index)
        # The builder's sections carry the docname of their page (inline_all_toctrees
        # moves a page's nodes under a start_of_file without re-parenting them).
        if isinstance(block, (nodes.section, addnodes.start_of_file)) and "docname" in block:
            docname = block["docname"]
            break
        block = block.parent
    return docname, line


def scan_doctree(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Warn once per character a latex-format build cannot show (``doctree-resolved``)."""
    if app.builder.format != "latex":
        return
    seen = _SEEN.setdefault(app, _Seen())
    engine = str(app.config.latex_engine)
    for node in doctree.findall(nodes.Text):
        text = str(node)
        if text.isascii() or not _printed(node):
            continue
        for index, char in enumerate(text):
            code = ord(char)
            if code < 0x80 or code in seen.codes:
                continue
            seen.codes.add(code)
            rendering = classify(code, engine)
            if rendering.kind is Kind.MISSING:
                warn(
                    MosaicWarning.CHARACTER,
                    f"{engine} has no glyph for {rendering.description}; "
                    f"the PDF shows {rendering.placeholder}",
                    location=_location(node, text, index, docname),
                )
            elif rendering.kind is Kind.NO_IMAGE and not seen.told_no_images:
                seen.told_no_images = True
                warn(
                    MosaicWarning.CHARACTER,
                    f"emoji such as {rendering.description} are shown as "
                    f"placeholders in the PDF: install {emoji.EXTRA} for their images",
                    location=_location(node, text, index, docname),
                )
