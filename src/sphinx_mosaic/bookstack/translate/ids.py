"""Element ids BookStack keeps: ``bkmrk-`` ids, stable and unique within a page.

BookStack rewrites element ids on every save: it keeps an id only if it starts
with ``bkmrk`` and is unique, and gives every top-level element and every
heading one (``app/Entities/Tools/PageContent.php``).  We emit those ids ourselves:

* an element with docutils ids gets ``bkmrk-<first id>``; its other ids are
  aliases that links are rewritten to;
* a top-level block without ids gets the id BookStack itself would give it
  (``bkmrk-`` + its first 20 characters of text, lower case, whitespace as
  ``-``), made unique with ``-1``, ``-2``;
* the page's own title section is the page itself: links to it have no anchor;
* a wrapper the translator writes no element for (an object description, a
  topic, a compound) gives its ids to the first element written inside it, its
  *carrier*: ``.. _label:`` before ``.. py:function::`` puts ``label`` on the
  description, whose signature is the element on the page.  The label becomes
  an alias of the signature's id, or the signature's id when it has none
  (``:no-index:``).  Where the carrier is written by rules of its own (a
  sphinx-design tab's label, a card's title), the wrapper's ids become aliases
  of the first id written after the wrapper begins (:meth:`PageAnchors.settle`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from docutils import nodes
from selectolax.lexbor import LexborHTMLParser, LexborNode
from sphinx import addnodes

from sphinx_mosaic.chrome import title_section
from sphinx_mosaic.other_extensions import design_component
from sphinx_mosaic.walk import elements

PREFIX = "bkmrk-"
_SPACE = re.compile(r"\s+")
#: BookStack's id keeps this many characters of an element's text.
ID_TEXT = 20
#: Characters of a block's text :func:`id_text` reads before it looks for a place to stop.
_TEXT_READ = 80
#: The last whitespace character of a text.
_LAST_SPACE = re.compile(r"\s(?=\S*\Z)")
#: The ids docutils numbers for nodes that no label names.
_AUTO_ID = re.compile(r"id\d+")
#: An element id, and a link within the page, in a start tag as the translator writes
#: them (text holds no "<": it is escaped).
_ID = re.compile(r'<[A-Za-z][^<>]*?\sid="([^"]+)"')
_HREF = re.compile(r'(<a\b[^<>]*?\shref=")#([^"]+)"')

#: Wrappers the translator leaves out: their children are top-level blocks.
TRANSPARENT = (
    nodes.section,
    nodes.container,
    nodes.compound,
    nodes.topic,
    nodes.sidebar,
    nodes.figure,
    nodes.legend,
    addnodes.glossary,
    # API descriptions: the signature and body are written without a wrapper
    # (signatures.py).
    addnodes.desc,
    addnodes.desc_content,
    # A resolved toctree: its caption and link list are top-level blocks.
    addnodes.compact_paragraph,
)

#: Tags that are blocks when they sit at the top of the page.
BLOCK_TAGS = frozenset(
    [
        "p",
        "pre",
        "ul",
        "ol",
        "dl",
        "table",
        "blockquote",
        "hr",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "details",
        "figure",
    ]
)


#: Wrappers with no element of their own in the BookStack HTML (their ids go to a carrier).
#: A plain container is one too; a sphinx-design dropdown is written as ``<details>``.
TAGLESS = (
    nodes.compound,
    nodes.topic,
    nodes.sidebar,
    nodes.legend,
    addnodes.glossary,
    addnodes.desc,
    addnodes.desc_content,
    addnodes.compact_paragraph,
)


def writes_no_element(node: nodes.Node) -> bool:
    """Whether the translator writes no element for *node* itself."""
    if isinstance(node, nodes.container):
        return design_component(node) != "dropdown"
    return isinstance(node, TAGLESS)


def carrier(node: nodes.Element) -> nodes.Element | None:
    """The first element written inside the wrapper *node*: the one that holds its ids."""
    for inner in node.findall(nodes.Element, include_self=False):
        if isinstance(inner, (nodes.Invisible, nodes.system_message)):
            continue
        if not writes_no_element(inner):
            return inner
    return None


def is_top_level(node: nodes.Node) -> bool:
    """Whether *node* ends up at the top level of the page body."""
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.document):
        if not isinstance(parent, TRANSPARENT):
            return False
        parent = parent.parent
    return parent is not None


def visible_text(node: nodes.Element) -> str:
    """The text a reader sees: raw HTML's source is markup, not text (BookStack derives
    ids from the text, and a raw ``<script>`` should not end up in an id)."""
    if not any(True for _ in node.findall(nodes.raw)):
        return node.astext()
    copy = node.deepcopy()
    for raw in list(copy.findall(nodes.raw)):
        raw.parent.remove(raw)
    return copy.astext()


def slug(text: str) -> str:
    """BookStack's text part of an id: the first 20 characters of the text, lower case,
    whitespace runs as ``-``."""
    return _SPACE.sub("-", text.strip().lower())[:ID_TEXT]


def _read(node: nodes.Node, pieces: list[str], budget: int) -> int:
    """Append ``node.astext()`` to *pieces*, in pieces, until *budget* characters are read;
    return what is left of the budget (0 or less: stopped).

    An element that joins its children's text as docutils' ``Element.astext`` does is
    read child by child; any other node (text, and elements with an ``astext`` of their
    own) gives its text, cut at the budget.
    """
    if not isinstance(node, nodes.Element) or type(node).astext is not nodes.Element.astext:
        text = node.astext()
        pieces.append(text[:budget])  # a beginning of the text is a beginning of it
        return budget - len(text)
    separator = node.child_text_separator
    for index, child in enumerate(node.children):
        if index and separator:
            pieces.append(separator)
            budget -= len(separator)
        budget = _read(child, pieces, budget)
        if budget <= 0:
            break
    return budget


def id_text(node: nodes.Element) -> str:
    """``node.astext()``, or a beginning of it with the same :func:`slug`.

    The id keeps 20 characters, but a table or a long list is text of many
    kilobytes: its first 80 characters are read, and cut after their
    last whitespace character if the slug of what is left is whole.  Cut there,
    the text gives the same slug as the whole: ``lower()`` maps each character as
    in the whole text (its one rule that looks at neighbours, a final sigma, looks
    no further than the next whitespace) and the whitespace run at the cut is a
    ``-`` in both.  Otherwise (no whitespace late enough) the whole text is read.
    """
    pieces: list[str] = []
    if _read(node, pieces, _TEXT_READ) > 0:
        return "".join(pieces)  # all of it
    head = "".join(pieces)
    found = _LAST_SPACE.search(head)
    if found is not None and len(slug(head[: found.end()])) == ID_TEXT:
        return head[: found.end()]
    return node.astext()


class PageAnchors:
    """The ``bkmrk-`` ids of one page and the docutils ids they stand for."""

    def __init__(
        self, document: nodes.document, found: Iterable[nodes.Element] | None = None
    ) -> None:
        """*found*: the page's elements in document order, when the caller has them."""
        self.title_section = title_section(document)
        #: docutils id -> bkmrk id ("" for the page itself).
        self.anchors: dict[str, str] = {}
        self.used: set[str] = set()
        self._given: set[int] = set()
        #: Carriers without ids of their own (by node id) -> the id they are written with.
        self._carried: dict[int, str] = {}
        #: Wrappers with ids that write no element (by node id) -> their ``bkmrk-`` id.
        self.wrappers: dict[int, str] = {}
        #: (body, position in it, ``bkmrk-`` id) of each wrapper as the translator met it.
        self._opened: list[tuple[list[str], int, str]] = []
        #: Whether the page holds raw nodes at all: most pages hold none, and their blocks'
        #: text is then read without looking for raw nodes in each block.
        self._raw = False
        for node in elements(document) if found is None else found:
            if isinstance(node, nodes.raw):
                self._raw = True
            ids = node.get("ids") or []
            if not ids:
                continue
            if node is self.title_section:
                for ident in ids:
                    self.anchors[ident] = ""
                continue
            canonical = self._canonical(node, ids)
            if writes_no_element(node):
                self.wrappers[id(node)] = canonical
            self.used.add(canonical)
            for ident in ids:
                self.anchors.setdefault(ident, canonical)

    def _canonical(self, node: nodes.Element, ids: list[str]) -> str:
        """The ``bkmrk-`` id that stands for *node*'s ids on the page."""
        if id(node) in self._carried:
            return self._carried[id(node)]
        if not writes_no_element(node):
            return PREFIX + ids[0]
        inner = carrier(node)
        if inner is None:
            return PREFIX + ids[0]
        own: list[str] = inner.get("ids") or []
        if own:
            return PREFIX + own[0]
        named = [ident for ident in ids if not _AUTO_ID.fullmatch(ident)]
        if not named:
            # Only an id docutils numbered (a captioned code block's wrapper): no label
            # names it, and the carrier keeps the id its text gives it.
            return PREFIX + ids[0]
        return self._carried.setdefault(id(inner), PREFIX + named[0])

    def opened(self, node: nodes.Node, body: list[str]) -> None:
        """Note where the wrapper *node* begins in *body* (see :meth:`settle`)."""
        canonical = self.wrappers.get(id(node))
        if canonical is not None:
            self._opened.append((body, len(body), canonical))

    def settle(self, body: list[str]) -> None:
        """Give a wrapper's id that no element carries to the first element after it.

        A wrapper's carrier may be written by rules of its own, without its id; the
        wrapper's ids then become aliases of the first id written after the wrapper
        begins, in the anchors (links from other pages) and in this page's links.
        """
        opened = [(position, ident) for held, position, ident in self._opened if held is body]
        if not opened:
            return
        written = set(_ID.findall("".join(body)))
        moved: dict[str, str] = {}
        for position, canonical in opened:
            if canonical in written or canonical in moved:
                continue
            found = _ID.search("".join(body[position:]))
            if found is not None:
                moved[canonical] = found.group(1)
        if not moved:
            return
        for ident, target in self.anchors.items():
            if target in moved:
                self.anchors[ident] = moved[target]

        def relink(match: re.Match[str]) -> str:
            target = moved.get(match.group(2))
            return f'{match.group(1)}#{target}"' if target else match.group(0)

        for index, text in enumerate(body):
            if 'href="#' in text:
                body[index] = _HREF.sub(relink, text)

    def element_id(self, node: object, tagname: str) -> str | None:
        """The id to write on *node*'s start tag (each node gets one id, once)."""
        if not isinstance(node, nodes.Element) or id(node) in self._given:
            return None
        ids = node.get("ids") or []
        if ids and node is not self.title_section:
            self._given.add(id(node))
            return self.anchors[ids[0]]
        carried = self._carried.get(id(node))
        if carried is not None:
            self._given.add(id(node))
            return carried
        if tagname in BLOCK_TAGS and is_top_level(node):
            self._given.add(id(node))
            return self.generated(self._visible_text(node), tagname)
        return None

    def section_id(self, section: nodes.Element) -> str:
        ids = section.get("ids") or []
        self._given.add(id(section))
        if ids:
            return self.anchors[ids[0]] or self.generated(self._visible_text(section), "h")
        return self.generated(self._visible_text(section), "h")

    def _visible_text(self, node: nodes.Element) -> str:
        return visible_text(node) if self._raw else id_text(node)

    def generated(self, text: str, tagname: str) -> str:
        """BookStack's own rule: ``bkmrk-`` + first 20 characters of text."""
        text_part = slug(text)
        base = PREFIX + (quote(text_part, safe="-_.") if text_part else tagname)
        candidate, n = base, 0
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self.used.add(candidate)
        return candidate

    def href(self, refid: str) -> str:
        """``#bkmrk-...`` for a docutils id of this page."""
        target = self.anchors.get(refid, PREFIX + refid)
        return f"#{target}" if target else "#"


#: Elements that are text-level (phrasing) content: beside loose text at the top of
#: a page they go into the paragraph made for that text.
PHRASING_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "br",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "i",
        "img",
        "ins",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
    ]
)


def ensure_top_level_ids(html: str, anchors: PageAnchors) -> str:
    """Give every top-level element that has no id a BookStack-style ``bkmrk-`` id.

    Loose text at the top level (with the text-level elements beside it) is
    wrapped in a paragraph with an id.  The HTML is parsed by an HTML5 parser
    (the ``selectolax`` wheel: lexbor, the tree browsers build) and serialised
    again, never edited at character offsets: raw HTML holding a line
    separator (U+2028) or a form feed used to shift the offsets of an
    offset-based edit and split a tag in two.
    """
    # "<body>" first: the parser is then "in body", so even a <meta> or <style> at the
    # start stays where it is instead of moving into a <head>.
    tree = LexborHTMLParser("<body>" + html)
    body = tree.body
    assert body is not None
    top = list(body.iter(include_text=True))
    missing = [n for n in top if n.is_element_node and "id" not in n.attributes]
    loose = any(_loose_text(n).strip() for n in top)
    if not missing and not loose:
        return html
    run: list[LexborNode] = []
    for node in [*top, None]:
        if node is not None and (node.is_text_node or node.tag in PHRASING_TAGS):
            run.append(node)
            continue
        if any(_loose_text(n).strip() for n in run):
            _wrap(tree, run, anchors)
        else:
            for element in run:
                if element.is_element_node and "id" not in element.attributes:
                    _set_id(element, anchors.generated(element.text(), element.tag or "p"))
        run = []
        if node is not None and node.is_element_node and "id" not in node.attributes:
            _set_id(node, anchors.generated(node.text(), node.tag or "p"))
    _keep_leading_newlines(tree)
    return body.inner_html or ""


def _loose_text(node: LexborNode) -> str:
    """The text of a text node ("" for any other node)."""
    return (node.text_content or "") if node.is_text_node else ""


def _set_id(element: LexborNode, ident: str) -> None:
    # First, as the translator writes its own ids: the same bytes for the same element.
    others = dict(element.attributes)
    for name in others:
        del element.attrs[name]
    element.attrs["id"] = ident
    for name, value in others.items():
        element.attrs[name] = value or ""


def _wrap(tree: LexborHTMLParser, run: list[LexborNode], anchors: PageAnchors) -> None:
    """Put a run of loose text and text-level elements into a ``<p>`` with an id.

    Whitespace at either end of the run stays outside the paragraph.
    """
    start, end = 0, len(run)
    while start < end and run[start].is_text_node and not _loose_text(run[start]).strip():
        start += 1
    while end > start and run[end - 1].is_text_node and not _loose_text(run[end - 1]).strip():
        end -= 1
    inside = run[start:end]
    text = "".join(n.text() if n.is_element_node else _loose_text(n) for n in inside)
    first, last = inside[0], inside[-1]
    head, tail = _loose_text(first), _loose_text(last)
    lead = head[: len(head) - len(head.lstrip())]
    trail = tail[len(tail.rstrip()) :]
    paragraph = tree.create_node("p")
    paragraph.attrs["id"] = anchors.generated(text.strip(), "p")
    first.insert_before(paragraph, move=True)
    if first.is_text_node and lead:
        paragraph.insert_before(lead)
    for node in inside:
        if node.is_text_node:
            content = _loose_text(node)
            if node is first:
                content = content.lstrip()
            if node is last:
                content = content.rstrip()
            paragraph.insert_child(content)
            node.decompose()
        else:
            paragraph.insert_child(node, move=True)
    if last.is_text_node and trail:
        paragraph.insert_after(trail)


def _keep_leading_newlines(tree: LexborHTMLParser) -> None:
    """Keep a ``<pre>`` that starts with a blank line as it was.

    The HTML parser drops the one newline right after ``<pre>``; the HTML
    standard's serialiser writes it back, lexbor's does not, which would lose a
    leading blank line of the block on every pass.
    """
    for block in tree.css("pre, textarea, listing"):
        child = block.first_child
        if child is not None and _loose_text(child).startswith("\n"):
            child.insert_before("\n")
