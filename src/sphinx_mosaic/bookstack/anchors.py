"""Element ids BookStack keeps: ``bkmrk-`` ids, stable and unique within a page.

BookStack rewrites element ids on every save: it keeps an id only if it starts
with ``bkmrk`` and is unique, and gives every top-level element and every
heading one (research/bookstack.md section 2.1).  We emit those ids ourselves:

* an element with docutils ids gets ``bkmrk-<first id>``; its other ids are
  aliases that links are rewritten to;
* a top-level block without ids gets the id BookStack itself would give it
  (``bkmrk-`` + its first 20 characters of text, lower case, whitespace as
  ``-``), made unique with ``-1``, ``-2``;
* the page's own title section is the page itself: links to it have no anchor.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import quote

from docutils import nodes
from sphinx import addnodes

PREFIX = "bkmrk-"
_SPACE = re.compile(r"\s+")

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


def is_top_level(node: nodes.Node) -> bool:
    """Whether *node* ends up at the top level of the page body."""
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.document):
        if not isinstance(parent, TRANSPARENT):
            return False
        parent = parent.parent
    return parent is not None


def title_section(document: nodes.document) -> nodes.section | None:
    """The section whose title is the page title (not repeated in the body)."""
    return next((c for c in document.children if isinstance(c, nodes.section)), None)


def visible_text(node: nodes.Element) -> str:
    """The text a reader sees: raw HTML's source is markup, not text (BookStack derives
    ids from the text, and a raw ``<script>`` should not end up in an id)."""
    if not any(True for _ in node.findall(nodes.raw)):
        return node.astext()
    copy = node.deepcopy()
    for raw in list(copy.findall(nodes.raw)):
        raw.parent.remove(raw)
    return copy.astext()


class PageAnchors:
    """The ``bkmrk-`` ids of one page and the docutils ids they stand for."""

    def __init__(self, document: nodes.document) -> None:
        self.title_section = title_section(document)
        #: docutils id -> bkmrk id ("" for the page itself).
        self.anchors: dict[str, str] = {}
        self.used: set[str] = set()
        self._given: set[int] = set()
        for node in document.findall(nodes.Element):
            ids = node.get("ids") or []
            if not ids:
                continue
            if node is self.title_section:
                for ident in ids:
                    self.anchors[ident] = ""
                continue
            canonical = PREFIX + ids[0]
            self.used.add(canonical)
            for ident in ids:
                self.anchors.setdefault(ident, canonical)

    def element_id(self, node: object, tagname: str) -> str | None:
        """The id to write on *node*'s start tag (each node gets one id, once)."""
        if not isinstance(node, nodes.Element) or id(node) in self._given:
            return None
        ids = node.get("ids") or []
        if ids and node is not self.title_section:
            self._given.add(id(node))
            return self.anchors[ids[0]]
        if tagname in BLOCK_TAGS and is_top_level(node):
            self._given.add(id(node))
            return self.generated(visible_text(node), tagname)
        return None

    def section_id(self, section: nodes.Element) -> str:
        ids = section.get("ids") or []
        self._given.add(id(section))
        if ids:
            return self.anchors[ids[0]] or self.generated(visible_text(section), "h")
        return self.generated(visible_text(section), "h")

    def generated(self, text: str, tagname: str) -> str:
        """BookStack's own rule: ``bkmrk-`` + first 20 characters of text."""
        slug = _SPACE.sub("-", text.strip().lower())[:20]
        base = PREFIX + (quote(slug, safe="-_.") if slug else tagname)
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


_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)


class _TopLevelScanner(HTMLParser):
    """Finds top-level elements without an id (raw HTML, hand-written visitors)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.current: tuple[tuple[int, int], str, list[str]] | None = None
        self.missing: list[tuple[tuple[int, int], str, str]] = []
        #: Positions of text outside any element (e.g. a foreign visitor's bare title).
        self.loose: list[tuple[int, int]] = []

    def _open(self, tag: str, attrs: list[tuple[str, str | None]], void: bool) -> None:
        if self.depth == 0:
            if any(name == "id" for name, _ in attrs):
                self.current = None
            else:
                self.current = (self.getpos(), tag, [])
            if void:
                self._close()
                return
        if not void:
            self.depth += 1

    def _close(self) -> None:
        if self.current is not None:
            position, tag, text = self.current
            self.missing.append((position, tag, "".join(text)))
        self.current = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs, tag in _VOID)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs, True)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or self.depth == 0:
            return
        self.depth -= 1
        if self.depth == 0:
            self._close()

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.current[2].append(data)
        elif self.depth == 0 and data.strip():
            self.loose.append(self.getpos())


def ensure_top_level_ids(html: str, anchors: PageAnchors) -> str:
    """Give every top-level element that has no id a BookStack-style ``bkmrk-`` id.

    Text outside any element is wrapped in a paragraph with an id.
    """
    scanner = _TopLevelScanner()
    scanner.feed(html)
    scanner.close()
    if not scanner.missing and not scanner.loose:
        return html
    line_starts = [0]
    for text_line in html.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(text_line))
    inserts: list[tuple[int, str]] = []
    for (row, column), tag, text in scanner.missing:
        offset = line_starts[row - 1] + column + 1 + len(tag)
        inserts.append((offset, f' id="{anchors.generated(text, tag)}"'))
    wrapped_until = -1
    for row, column in scanner.loose:
        start = line_starts[row - 1] + column
        if start < wrapped_until:
            continue  # the same run of text, split by a character reference
        end = html.find("<", start)
        end = len(html) if end < 0 else end
        run = html[start:end]
        stripped = run.strip()
        if not stripped:
            continue
        wrapped_until = end
        start += len(run) - len(run.lstrip())
        inserts.append((start, f'<p id="{anchors.generated(unescape(stripped), "p")}">'))
        inserts.append((start + len(stripped), "</p>"))
    for offset, insertion in sorted(inserts, key=lambda item: item[0], reverse=True):
        html = html[:offset] + insertion + html[offset:]
    return html
