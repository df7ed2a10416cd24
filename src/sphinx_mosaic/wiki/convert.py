"""BookStack page HTML to MyST Markdown, one top-level block at a time.

A BookStack page is a flat sequence of top-level blocks (headings, paragraphs,
callouts, lists, tables, code blocks, ``details``), each with a ``bkmrk-`` id.
The converter keeps that shape: :func:`convert_page` returns one
:class:`Block` per top-level element (or per run of elements that make one
MyST construct, such as a callout continued after a code block) with the ids
it came from, so a change in the wiki can be traced to the blocks it touched.

Inline content is converted by markdownify (per-tag converter methods on a
BeautifulSoup tree), with rules of our own for links between pages, images,
``kbd``/``abbr``/``sub``/``sup`` (MyST roles) and anything else (kept as inline
HTML).  Block constructs are ours:

- a callout (``<p class="callout KIND">``) becomes an admonition: its bold
  label names the directive (``Note`` is ``note``, ``See also`` is ``seealso``,
  another label gives ``{admonition}`` with that title), a callout without a
  label the kind's own directive (``info`` is ``note``, ``success`` ``tip``,
  ``warning`` ``warning``, ``danger`` ``danger``); blocks between a callout and
  a label-less callout of the same kind are inside the admonition, as the
  builder writes them;
- ``<pre><code class="language-X">`` becomes a fence with language ``X``;
- a table becomes a pipe table when every cell holds one line of text, else a
  ``{list-table}`` (also when it has a caption, which a pipe table cannot say);
- ``<details>`` becomes sphinx-design's ``{dropdown}``, or without
  sphinx-design an ``{admonition}`` with ``:class: dropdown``;
- ``{{@id}}`` includes are replaced by the included page (or element) when the
  context has it, else kept as text and reported;
- anything else is kept as a ``{raw} html`` block, and reported.

Nothing is dropped silently: every approximation that loses content or markup
adds a line to :attr:`PageConversion.problems`.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from bs4 import BeautifulSoup, Comment, Tag
from bs4.element import NavigableString
from markdownify import MarkdownConverter

from sphinx_mosaic.bookstack.format.html import CELL_ALIGNMENT
from sphinx_mosaic.wiki.fmt import canonical

#: Callout kind -> the directive a label-less callout of that kind becomes.
CALLOUT_DIRECTIVES = {"info": "note", "success": "tip", "warning": "warning", "danger": "danger"}

#: A callout's bold label -> the directive it names (Sphinx's own admonition titles).
LABEL_DIRECTIVES = {
    "Note": "note",
    "Tip": "tip",
    "Hint": "hint",
    "Important": "important",
    "Attention": "attention",
    "Caution": "caution",
    "Warning": "warning",
    "Danger": "danger",
    "Error": "error",
    "See also": "seealso",
    "Todo": "todo",
}

#: Sphinx's version-change callouts: "Added in version 1.1: text".
_VERSION = re.compile(
    r"^(Added in version|Changed in version|Deprecated since version|Removed in version)"
    r" (.+?):\s*$"
)
_VERSION_DIRECTIVES = {
    "Added in version": "versionadded",
    "Changed in version": "versionchanged",
    "Deprecated since version": "deprecated",
    "Removed in version": "versionremoved",
}

#: BookStack's ZIP cross references: [[bsexport:page:12]].
_TOKEN = re.compile(r"^\[\[bsexport:([a-z]+):(\d+)\]\]")
#: BookStack include tags: {{@12}} or {{@12#bkmrk-id}}.
_INCLUDE = re.compile(r"\{\{@\s?(\d+)(?:#([^}\s]+))?\}\}")
#: Absolute or root-relative BookStack entity URLs.
_URL = re.compile(r"^(?:https?://[^/]+)?(/(?:books|shelves|link)/[^#?]*)(?:#(.*))?$")

#: Characters Markdown reads in an image's alt text (the formatting pass writes alt texts
#: unescaped; a diagram's source holds them).
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_<>\[\]]")


def _image_alt(image: Tag) -> tuple[str, bool]:
    """*image*'s alt text on one line (a diagram's source spans several), and whether
    Markdown's ``![alt](src)`` cannot say the image: it has a size, or its alt text holds
    Markdown's characters."""
    alt = " ".join(str(image.get("alt") or "").split())
    special = _MARKDOWN_SPECIAL.search(alt) is not None
    return alt, bool(image.get("width") or image.get("height") or special)


_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_INLINE_ROLES = {"kbd": "kbd", "sub": "sub", "sup": "sup"}
#: Inline elements markdownify converts itself (with our overrides below).
_INLINE_KNOWN = frozenset(
    ["a", "img", "strong", "b", "em", "i", "code", "br", "span", "abbr", *_INLINE_ROLES]
)
_BLOCK_TAGS = frozenset(
    [
        "p",
        "pre",
        "ul",
        "ol",
        "table",
        "blockquote",
        "details",
        "dl",
        "hr",
        "div",
        "section",
        "figure",
        *_HEADINGS,
    ]
)


@dataclass
class PageContext:
    """What the converter needs to know about the rest of the export.

    Names are the layout's number-free names with a leading ``/``
    (``/guide/setup/install``); *images* and *attachments* map export ids to
    paths relative to the page's own file.
    """

    name: str = ""
    pages: dict[int, str] = field(default_factory=dict)
    chapters: dict[int, str] = field(default_factory=dict)
    books: dict[int, str] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    images: dict[int, str] = field(default_factory=dict)
    attachments: dict[int, str] = field(default_factory=dict)
    #: number-free name -> {``bkmrk-`` id on that page: the anchor a link writes for it}.
    #: Without an entry for a page, its headings are linked by their MyST slugs.
    anchors: dict[str, dict[str, str]] = field(default_factory=dict)
    #: ids of this page's blocks that get a MyST target (``(name)=``) before them, so
    #: links reach them (paragraphs, lists; headings whose slug is not their id).
    labels: dict[str, str] = field(default_factory=dict)
    #: export page id (and element id, or None) -> that page's or element's HTML.
    include: Callable[[int, str | None], str | None] | None = None
    #: sphinx-design is in use: ``details`` become ``{dropdown}``.
    design: bool = False


@dataclass(frozen=True)
class Block:
    """One MyST construct and the top-level HTML elements it came from."""

    ids: tuple[str, ...]
    html: str
    markdown: str


@dataclass
class PageConversion:
    blocks: list[Block]
    problems: list[str]

    @property
    def markdown(self) -> str:
        return canonical("\n\n".join(b.markdown for b in self.blocks if b.markdown.strip()))


def heading_slug(text: str) -> str:
    """MyST's heading anchor for *text* (GitHub's rule): lower case, punctuation out,
    spaces to ``-``."""
    slug = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return slug.replace(" ", "-")


#: A column's alignment as BookStack's editor marks a cell (``align-*`` classes), as the
#: delimiter of a pipe table's column.
_COLUMN_RULES = {
    CELL_ALIGNMENT["left"]: ":---|",
    CELL_ALIGNMENT["center"]: ":---:|",
    CELL_ALIGNMENT["right"]: "---:|",
}


def _column_rule(cell: Tag) -> str:
    """The delimiter-row cell of a pipe table column whose header is *cell*."""
    classes = [str(c) for c in cell.get_attribute_list("class") if c]
    return next((_COLUMN_RULES[c] for c in classes if c in _COLUMN_RULES), "---|")


def _fence(body: str, opener: str) -> str:
    """*body* in a backtick fence opened by *opener* (``{note}``), longer than any
    fence inside it."""
    runs = [len(m.group(0)) for m in re.finditer(r"^ *(`{3,})", body, re.MULTILINE)]
    ticks = "`" * max(3, max(runs, default=0) + 1)
    body = body.rstrip("\n")
    return f"{ticks}{opener}\n{body}\n{ticks}" if body else f"{ticks}{opener}\n{ticks}"


class _Inline(MarkdownConverter):
    """markdownify with our rules for links, images, roles and unknown elements."""

    def __init__(self, page: _Page) -> None:
        super().__init__(
            heading_style="atx",
            bullets="-",
            escape_misc=True,
            newline_style="backslash",
            strip_pre=None,
        )
        self.page = page

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_noformat" in parent_tags:
            return text
        href = str(el.get("href") or "")
        if not href:
            # A link without a target (one the build could not resolve): readers see its
            # text as a link-less <a>; inline HTML keeps that.
            return self.raw(el)
        target = self.page.link(href, el.get_text())
        text = text.strip()
        if not text:
            return ""
        if target is None:
            return text
        title = str(el.get("title") or "").replace("\\", "\\\\").replace('"', '\\"')
        return f'[{text}]({target} "{title}")' if title else f"[{text}]({target})"

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        src = self.page.image(str(el.get("src") or ""))
        alt, needs_html = _image_alt(el)
        if src is None:
            return alt
        if needs_html:
            # A size, or an alt text with Markdown's characters (a diagram's source; the
            # formatting pass writes alt texts unescaped): inline HTML says them (the build
            # packs the file it names like any image).
            clone = copy.copy(el)
            clone.attrs = {k: v for k, v in el.attrs.items() if k in ("alt", "width", "height")}
            clone["src"] = src
            return str(clone)
        return f"![{alt}]({src})"

    def convert_code(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "pre" in parent_tags:
            return text
        if el.find(True) is not None:
            # Code with markup (an API signature's bold name): MyST's inline code
            # cannot say it, inline HTML can.
            return self.raw(el)
        # The code's own text, spaces included (markdownify trims them): a code span
        # keeps them when padded with one more space on each side.
        code = el.get_text()
        if not code:
            return ""
        runs = [len(m.group(0)) for m in re.finditer(r"`+", code)]
        ticks = "`" * (max(runs, default=0) + 1)
        pad = " " if code[0] in " `" or code[-1] in " `" else ""
        return f"{ticks}{pad}{code}{pad}{ticks}"

    def convert_abbr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        title = str(el.get("title") or "")
        content = el.get_text()
        if "`" in content or "(" in content:
            return self.raw(el)
        return f"{{abbr}}`{content} ({title})`" if title else content

    def raw(self, el: Tag) -> str:
        """*el* kept as inline HTML (MyST passes it through to the page), without the ids
        the wiki gave it (the build gives ids of its own; a copied one would be a duplicate)."""
        clone = copy.copy(el)
        for tag in [clone, *clone.find_all(True)]:
            tag.attrs.pop("id", None)
        return str(clone).replace("\n", " ")

    def convert_span(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return text

    def process_tag(self, node: Any, parent_tags: set[str] | None = None) -> str:
        name = getattr(node, "name", None)
        if name in _INLINE_ROLES and "_noformat" not in (parent_tags or set()):
            content = node.get_text()
            if node.find(True) is None and "`" not in content and content.strip():
                return f"{{{_INLINE_ROLES[name]}}}`{content}`"
            return self.raw(node)
        if (
            isinstance(node, Tag)
            and name not in _INLINE_KNOWN
            and name not in _BLOCK_TAGS
            and name not in ("li", "td", "th", "tr", "thead", "tbody", "[document]", "summary")
            and "_noformat" not in (parent_tags or set())
        ):
            return self.raw(node)
        return str(getattr(MarkdownConverter, "process_tag")(self, node, parent_tags))  # noqa: B009

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return "\n\n" + self.page.code_block(el) + "\n\n"


class _Page:
    """The conversion of one page: its context, its report."""

    def __init__(self, context: PageContext, depth: int = 0) -> None:
        self.context = context
        self.problems: list[str] = []
        self.inline = _Inline(self)
        self.depth = depth

    # -- links and images ------------------------------------------------------------

    def link(self, href: str, text: str) -> str | None:
        """The MyST target for *href*, or None to keep the text alone."""
        ctx = self.context
        token = _TOKEN.match(href)
        if token:
            kind, number = token.group(1), int(token.group(2))
            rest = href[token.end() :]
            fragment = rest[1:] if rest.startswith("#") else ""
            table = {"page": ctx.pages, "chapter": ctx.chapters, "book": ctx.books}.get(kind)
            if kind == "attachment" and number in ctx.attachments:
                return ctx.attachments[number]
            if table is None or number not in table:
                self.problems.append(f"link '{text}' to {href}: not in the export, kept as text")
                return None
            return self.anchored(table[number], fragment, text)
        if href.startswith("#"):
            return self.anchored(ctx.name, href[1:], text, local=True)
        url = _URL.match(href)
        if url and url.group(1).rstrip("/") in ctx.urls:
            return self.anchored(ctx.urls[url.group(1).rstrip("/")], url.group(2) or "", text)
        return href or None

    def anchored(self, name: str, fragment: str, text: str, local: bool = False) -> str | None:
        if not fragment:
            return name
        anchors = self.context.anchors.get(name, {})
        if fragment in anchors:
            anchor = anchors[fragment]
            return f"#{anchor}" if local else f"{name}#{anchor}"
        where = "this page" if local else name
        self.problems.append(
            f"link '{text}' to #{fragment} on {where}: no block of the page has that id, "
            + ("kept as text" if local else "links to the page")
        )
        return None if local else name

    def image(self, src: str) -> str | None:
        token = _TOKEN.match(src)
        if token and token.group(1) == "image":
            path = self.context.images.get(int(token.group(2)))
            if path is None:
                self.problems.append(f"image {src}: not in the export, kept its alt text")
            return path
        return src or None

    # -- blocks ----------------------------------------------------------------------

    def code_block(self, el: Tag) -> str:
        code = el.find("code")
        language = ""
        source = code if isinstance(code, Tag) else el
        if isinstance(code, Tag):
            for cls in code.get("class") or []:
                if str(cls).startswith("language-"):
                    language = str(cls)[len("language-") :]
        text = source.get_text()
        if isinstance(code, Tag) and len(el.find_all(True)) > 1 + len(code.find_all(True)):
            self.problems.append("code block with markup around its code: kept its text")
        # A fence keeps leading blank lines; its final newline is the fence's own.
        text = text.rstrip("\n")
        body = text + "\n" if text.strip() else ""
        runs = [len(m.group(0)) for m in re.finditer(r"`{3,}", body)]
        ticks = "`" * max(3, max(runs, default=0) + 1)
        return f"{ticks}{language or 'text'}\n{body}{ticks}"

    def inline_md(self, el: Tag | BeautifulSoup) -> str:
        """The inline content of *el* (a list stays a list)."""
        if el.name not in ("ul", "ol", "p", "[document]"):
            # Headings, cells, captions, terms: only their content, not their own syntax.
            name = el.name
            el.name = "span"
            try:
                text = str(self.inline.process_tag(el, set())).strip()
            finally:
                el.name = name
            return self._includes_inline(text)
        text = str(self.inline.process_tag(el, set())).strip()
        return self._includes_inline(text)

    def _includes_inline(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            html = self._include_html(match)
            if html is None:
                return match.group(0)
            soup = BeautifulSoup(html, "html.parser")
            return " ".join(soup.get_text(" ").split())

        return _INCLUDE.sub(replace, text)

    def _include_html(self, match: re.Match[str]) -> str | None:
        include = self.context.include
        html = include(int(match.group(1)), match.group(2)) if include else None
        if html is None:
            self.problems.append(f"include {match.group(0)}: not in the export, kept as text")
        return html

    def raw_block(self, el: Tag, why: str) -> str:
        self.problems.append(f"<{el.name}> {why}: kept as raw HTML")
        return _fence(str(el), "{raw} html")

    def heading(self, el: Tag) -> str:
        # Levels are kept: the page's name is its title (# Name), so an <h1> in the body is
        # a section beside the title's, which is what a Markdown page with several
        # "# " headings gives (BookStack's editor offers h2 to h5).
        return "#" * _HEADINGS[el.name] + " " + self.inline_md(el)

    def callout_parts(self, el: Tag) -> tuple[str | None, str]:
        """The callout's label (its leading bold text, or None) and its body as MyST."""
        children = [
            c for c in el.children if not (isinstance(c, NavigableString) and not c.strip())
        ]
        label: str | None = None
        opener = ""
        if children and isinstance(children[0], Tag) and children[0].name == "strong":
            label = children[0].get_text().strip()
            children[0].extract()
            first = next(iter(el.children), None)
            if isinstance(first, Tag) and first.name == "br":
                first.extract()
        elif children and isinstance(children[0], Tag) and children[0].name == "span":
            version = _VERSION.match(children[0].get_text())
            if version:
                children[0].extract()
                opener = f"{_VERSION_DIRECTIVES[version.group(1)]}\0{version.group(2)}"
        # Each line of a callout (between <br>) is a paragraph of the admonition.
        lines: list[list[Any]] = [[]]
        for child in list(el.children):
            if isinstance(child, Tag) and child.name == "br":
                lines.append([])
            else:
                lines[-1].append(child)
        paragraphs = []
        for line in lines:
            holder = BeautifulSoup("<p></p>", "html.parser")
            p = holder.p
            assert p is not None
            for node in line:
                p.append(node.extract() if isinstance(node, Tag) else NavigableString(str(node)))
            md = self.inline_md(p)
            if md:
                paragraphs.append(md)
        body = "\n\n".join(paragraphs)
        if opener:
            return opener, body
        return label, body

    def table(self, el: Tag) -> str:
        rows = el.find_all("tr")
        caption = el.find("caption")
        spans = any(c.get("rowspan") or c.get("colspan") for c in el.find_all(["td", "th"]))
        if spans or not rows:
            return self.raw_block(el, "table with merged cells")
        cells = [r.find_all(["td", "th"], recursive=False) for r in rows]
        width = max(len(r) for r in cells)
        if any(len(r) != width for r in cells):
            return self.raw_block(el, "table with rows of different lengths")
        header = 0
        for row in cells:
            if all(c.name == "th" for c in row) and header == len([r for r in cells[:header] if r]):
                header += 1
            else:
                break
        simple = (
            caption is None
            and header == 1
            and el.find("colgroup") is None
            and all(self._one_line(c) for row in cells for c in row)
        )
        if simple:
            lines = []
            for i, row in enumerate(cells):
                texts = [self.inline_md(c).replace("|", "\\|").replace("\n", " ") for c in row]
                lines.append("| " + " | ".join(texts) + " |")
                if i == 0:
                    lines.append("|" + "".join(_column_rule(c) for c in row))
            return "\n".join(lines)
        options = []
        if header:
            options.append(f":header-rows: {header}")
        widths = [
            re.search(r"width:\s*([\d.]+)%", str(col.get("style") or ""))
            for col in el.find_all("col")
        ]
        if widths and all(widths) and len(widths) == width:
            options.append(
                ":widths: " + " ".join(str(round(float(w.group(1)))) for w in widths if w)
            )
        title = f" {self.inline_md(caption)}" if isinstance(caption, Tag) else ""
        items = []
        for row in cells:
            entries = []
            for i, cell in enumerate(row):
                body = self.container(cell.children) or " "
                lead = "* - " if i == 0 else "  - "
                indent = "    "
                lines = body.splitlines() or [""]
                entries.append(
                    lead + lines[0] + "".join("\n" + (indent + x if x else "") for x in lines[1:])
                )
            items.append("\n".join(entries))
        head = "\n".join(options) + "\n\n" if options else ""
        return _fence(head + "\n".join(items), "{list-table}" + title)

    def _one_line(self, cell: Tag) -> bool:
        blocks = [c for c in cell.find_all(True, recursive=False)]
        if any(b.name not in ("p",) and b.name in _BLOCK_TAGS for b in blocks):
            return False
        if len([b for b in blocks if b.name == "p"]) > 1:
            return False
        return cell.find("br") is None

    def details(self, el: Tag) -> str:
        summary = el.find("summary", recursive=False)
        title = self.inline_md(summary) if isinstance(summary, Tag) else ""
        if isinstance(summary, Tag):
            summary.extract()
        body = self.container(el.children)
        is_open = el.has_attr("open")
        if self.context.design:
            options = ":open:\n\n" if is_open else ""
            return _fence(options + body, "{dropdown}" + (f" {title}" if title else ""))
        classes = "dropdown" if not is_open else "dropdown, open"
        options = f":class: {classes}\n\n"
        return _fence(options + body, "{admonition} " + (title or "Details"))

    def definition_list(self, el: Tag) -> str:
        out: list[str] = []
        for child in el.find_all(["dt", "dd"], recursive=False):
            if child.name == "dt":
                out.append(("\n" if out else "") + self.inline_md(child))
            else:
                body = self.container(child.children)
                lines = body.splitlines() or [""]
                out.append(
                    ": " + lines[0] + "".join("\n" + ("  " + x if x else "") for x in lines[1:])
                )
        return "\n".join(out)

    def blockquote(self, el: Tag) -> str:
        body = self.container(el.children)
        return "\n".join(("> " + line) if line else ">" for line in body.splitlines())

    def paragraph(self, el: Tag) -> list[str]:
        """A paragraph; one holding only an include tag becomes the included blocks, one
        holding only an image with a size an ``{image}`` directive."""
        text = el.get_text().strip()
        only = el.find_all(True)
        if not text and len(only) == 1 and only[0].name == "img":
            image = only[0]
            src = self.image(str(image.get("src") or ""))
            alt, needs_options = _image_alt(image)
            if src is not None and needs_options:
                # Options as YAML, the alt text quoted (a diagram's source holds ": ").
                options = [f"alt: {json.dumps(alt, ensure_ascii=False)}"] if alt else []
                options += [f"{k}: {image.get(k)}" for k in ("width", "height") if image.get(k)]
                body = "---\n" + "\n".join(options) + "\n---"
                return [_fence(body, f"{{image}} {src}")]
        match = _INCLUDE.fullmatch(text)
        if match and el.find(True) is None:
            html = self._include_html(match)
            if html is None:
                return [text]
            else:
                if self.depth >= 3:
                    self.problems.append(f"include {text}: nested deeper than 3, kept as text")
                    return [self.inline_md(el)]
                inner = _Page(self.context, self.depth + 1)
                conversion = inner.convert(html)
                self.problems.extend(inner.problems)
                return [b.markdown for b in conversion]
        # A line of the paragraph starting with ": " would make it a definition list.
        return [re.sub(r"^: ", r"\\: ", self.inline_md(el), flags=re.MULTILINE)]

    def one(self, el: Tag | NavigableString) -> list[str]:
        """MyST for one block-level node (a list: includes can give several)."""
        if isinstance(el, Comment):
            return []
        if isinstance(el, NavigableString):
            text = str(el).strip()
            if not text:
                return []
            holder = BeautifulSoup("<p></p>", "html.parser")
            assert holder.p is not None
            holder.p.append(NavigableString(text))
            return self.paragraph(holder.p)
        name = el.name
        if name in _HEADINGS:
            return [self.heading(el)]
        if name == "p":
            return self.paragraph(el)
        if name == "pre":
            return [self.code_block(el)]
        if name in ("ul", "ol"):
            return [self.inline_md(el)]
        if name == "table":
            return [self.table(el)]
        if name == "details":
            return [self.details(el)]
        if name == "blockquote":
            return [self.blockquote(el)]
        if name == "dl":
            return [self.definition_list(el)]
        if name == "hr":
            return ["---"]
        if name in ("div", "section") and not el.attrs:
            return [self.container(el.children)]
        if name in _BLOCK_TAGS:
            return [self.raw_block(el, "not convertible")]
        # Inline content at block level: a paragraph of it.
        holder = BeautifulSoup("<p></p>", "html.parser")
        assert holder.p is not None
        holder.p.append(el.extract())
        return self.paragraph(holder.p)

    def container(self, children: Iterable[Any]) -> str:
        """The canonical MyST of a run of block-level nodes (a directive's body).

        Callouts inside are admonitions, as at the top level."""
        blocks = self.blocks(list(children))
        return canonical("\n\n".join(b.markdown for b in blocks if b.markdown)).rstrip("\n")

    def blocks(self, nodes: list[Any]) -> list[Block]:
        """Group top-level nodes into blocks: a callout with the blocks up to its
        label-less continuation of the same kind is one admonition."""
        elements = [
            n
            for n in nodes
            if isinstance(n, Tag) or (str(n).strip() and not isinstance(n, Comment))
        ]
        out: list[Block] = []
        i = 0
        while i < len(elements):
            el = elements[i]
            kind = _callout_kind(el)
            if kind is None:
                md = self.one(el)
                out.append(self.labelled(Block(_ids(el), str(el), "\n\n".join(x for x in md if x))))
                i += 1
                continue
            # Find how far this admonition goes: continuations of the same kind.  A
            # callout holding its label alone holds the blocks after it (the builder
            # writes an admonition holding a table that way).
            label_here = _has_label(el)
            bare = label_here is not None and _label_only(el)
            end = i
            j = i + 1
            while j < len(elements) and label_here is not None:
                nxt = elements[j]
                nkind = _callout_kind(nxt)
                if nkind is not None:
                    if nkind == kind and not _has_label(nxt):
                        end = j
                        j += 1
                        continue
                    break
                if isinstance(nxt, Tag) and nxt.name in _HEADINGS:
                    break
                if bare:
                    end = j
                j += 1
            group = elements[i : end + 1]
            out.append(self.labelled(self.admonition(kind, group)))
            i = end + 1
        return out

    def labelled(self, block: Block) -> Block:
        """*block* with a MyST target before it when a link points at one of its ids."""
        labels = [self.context.labels[i] for i in block.ids if i in self.context.labels]
        if not labels or self.depth:
            return block
        targets = "\n".join(f"({label})=" for label in labels)
        return Block(block.ids, block.html, f"{targets}\n{block.markdown}")

    def admonition(self, kind: str, group: list[Any]) -> Block:
        html = "\n".join(str(el) for el in group)
        ids = tuple(i for el in group for i in _ids(el))
        parts: list[str] = []
        label: str | None = None
        for n, el in enumerate(group):
            if _callout_kind(el) is not None:
                this_label, body = self.callout_parts(copy.copy(el))
                if n == 0:
                    label = this_label
                if body:
                    parts.append(body)
            else:
                parts.extend(x for x in self.one(el) if x)
        body = canonical("\n\n".join(parts)).rstrip("\n")
        if label and "\0" in label:
            directive, version = label.split("\0", 1)
            return Block(ids, html, _fence(body, f"{{{directive}}} {version}"))
        if label is None:
            directive = CALLOUT_DIRECTIVES.get(kind, "note")
            return Block(ids, html, _fence(body, f"{{{directive}}}"))
        if label in LABEL_DIRECTIVES:
            return Block(ids, html, _fence(body, f"{{{LABEL_DIRECTIVES[label]}}}"))
        return Block(ids, html, _fence(body, f"{{admonition}} {label}"))

    def convert(self, html: str, soup: BeautifulSoup | None = None) -> list[Block]:
        soup = soup if soup is not None else BeautifulSoup(html, "html.parser")
        # Each block's MyST is formatted with the page (PageConversion.markdown); directive
        # bodies are formatted already.
        return self.blocks(list(soup.children))


def _callout_kind(el: Any) -> str | None:
    if isinstance(el, Tag) and el.name == "p":
        classes = [str(c) for c in el.get("class") or []]
        if "callout" in classes:
            for cls in classes:
                if cls in CALLOUT_DIRECTIVES:
                    return cls
            return "info"
    return None


def _has_label(el: Tag) -> str | None:
    first = next(
        (c for c in el.children if not (isinstance(c, NavigableString) and not c.strip())), None
    )
    if isinstance(first, Tag) and first.name == "strong":
        return first.get_text().strip()
    if isinstance(first, Tag) and first.name == "span" and _VERSION.match(first.get_text()):
        return first.get_text()
    return None


def _label_only(el: Tag) -> bool:
    children = [c for c in el.children if not (isinstance(c, NavigableString) and not c.strip())]
    return len(children) == 1 or (len(children) == 2 and getattr(children[1], "name", "") == "br")


def _ids(el: Any) -> tuple[str, ...]:
    if isinstance(el, Tag) and el.get("id"):
        return (str(el.get("id")),)
    return ()


def convert_page(
    html: str,
    context: PageContext | None = None,
    soup: BeautifulSoup | None = None,
    formatted_blocks: bool = True,
) -> PageConversion:
    """*html* (a BookStack page body) as MyST blocks, with what did not convert.

    *soup* is *html* already parsed (with ``html.parser``), if the caller has it; the
    conversion changes it.  With *formatted_blocks* each block's MyST is in its canonical
    spelling (what a merge compares block by block); without it only
    :attr:`PageConversion.markdown` is, which is all an import needs (one formatting pass
    per page instead of one per block)."""
    context = context or PageContext()
    if context.name not in context.anchors:
        # Links within the page reach its headings by their MyST slugs.
        own = {i: heading_slug(text) for i, text in page_headings(html).items()}
        context = replace(context, anchors={**context.anchors, context.name: own})
    page = _Page(context)
    blocks = page.convert(html, soup)
    if formatted_blocks:
        blocks = [Block(b.ids, b.html, canonical(b.markdown).rstrip("\n")) for b in blocks]
    return PageConversion(blocks, page.problems)


def page_headings(html: str) -> dict[str, str]:
    """The ids of the headings in a page body (links may point at them), with their text."""
    soup = BeautifulSoup(html, "html.parser")
    return {
        str(h.get("id")): " ".join(h.get_text().split())
        for h in soup.find_all(list(_HEADINGS), recursive=False)
        if h.get("id")
    }
