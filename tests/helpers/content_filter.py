"""The tests' emulation of BookStack's page content filter (v25.12.4 and later).

Since v25.12.4 BookStack filters page HTML when it shows a page
(``APP_CONTENT_FILTERING``, default ``jhfa``):

* ``j``: ``script`` elements, elements whose ``href`` is a ``javascript:`` URL
  or whose ``src`` is a ``data:`` or ``javascript:`` URL, ``srcdoc``, every
  ``on*`` attribute;
* ``f``: form elements, except checkbox inputs;
* ``h``: ``link``, ``style``, ``meta``, ``title``, ``template``;
* ``a``: HTML Purifier with an HTML5 allow-list (xemlock/htmlpurifier-html5),
  configured by BookStack: ids (HTML5 rules) and classes kept, ``object``,
  ``embed`` and checkbox ``input`` added, ``a[target]`` only ``_blank``,
  ``iframe`` only with an ``http(s)`` or ``//`` source.  It removes every
  ``data-*`` attribute (but ``data-mention-user-id`` on links), inline ``svg``
  and MathML, ``rel``, elements and attributes it does not know, CSS
  properties outside its list (no ``position``, no custom properties), a
  duplicate ``id`` (the later one), and it puts a ``details``' ``summary``
  first and gives an ``img`` without ``alt`` its file name as ``alt``.

The filter does not change what is stored, but BookStack's editor is filled
with the filtered HTML for anyone but the page's author: a colleague's save
stores the filtered page.  So a construct the filter changes is lost for good.

:func:`content_filter` applies these rules to a page's HTML with selectolax and
says, in words, what they removed or changed; ``removed == []`` means the page
survives as it is.  HTML Purifier's content-model repairs are emulated only
for what our output could meet: a block element inside an inline one (it
moves or drops it) is reported, not rebuilt.  It keeps its own copy of the
rules rather than importing the builder's, so a wrong rule on one side shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

#: Removed together with their content (filter rules ``j``, ``f`` and ``h``, and
#: HTML Purifier's treatment of foreign content).
REMOVED_WITH_CONTENT = frozenset(
    {
        "script",
        "noscript",
        "style",
        "link",
        "meta",
        "title",
        "template",
        "head",
        "svg",
        "math",
        "form",
        "textarea",
        "select",
        "option",
        "optgroup",
        "button",
        "datalist",
        "applet",
        "frameset",
        "frame",
        "base",
    }
)

#: Elements HTML Purifier's HTML5 definition keeps, with BookStack's additions.
ALLOWED_ELEMENTS = frozenset(
    {
        "a", "abbr", "acronym", "address", "article", "aside", "audio", "b", "bdi", "bdo",
        "big", "blockquote", "br", "caption", "center", "cite", "code", "col", "colgroup",
        "dd", "del", "details", "dfn", "dir", "div", "dl", "dt", "em", "embed", "figcaption",
        "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup",
        "hr", "i", "iframe", "img", "input", "ins", "kbd", "li", "main", "mark", "menu",
        "nav", "object", "ol", "p", "param", "picture", "pre", "q", "rp", "rt", "ruby", "s",
        "samp", "section", "small", "source", "span", "strike", "strong", "sub", "summary",
        "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "track", "tt",
        "u", "ul", "var", "video", "wbr",
    }
)  # fmt: skip

#: Attributes every kept element may have (HTML5 ``Common``: Core, I18N, Style).
GLOBAL_ATTRIBUTES = frozenset(
    {"id", "class", "style", "title", "lang", "xml:lang", "dir", "tabindex", "inputmode"}
)

#: Further attributes per element.
ELEMENT_ATTRIBUTES: dict[str, frozenset[str]] = {
    name: frozenset(values.split())
    for name, values in {
        "a": "href target name hreflang type data-mention-user-id",
        "img": "src alt width height srcset sizes longdesc name align border hspace vspace",
        "table": "border width cellpadding cellspacing summary align bgcolor frame rules",
        "td": "colspan rowspan abbr headers align valign width height bgcolor nowrap",
        "th": "colspan rowspan abbr headers scope align valign width height bgcolor nowrap",
        "tr": "align valign bgcolor",
        "thead": "align valign",
        "tbody": "align valign",
        "tfoot": "align valign",
        "col": "span width align valign",
        "colgroup": "span width align valign",
        "caption": "align",
        "ol": "start reversed type compact",
        "ul": "type compact",
        "li": "value type",
        "dl": "compact",
        "details": "open",
        "blockquote": "cite",
        "q": "cite",
        "del": "cite datetime",
        "ins": "cite datetime",
        "time": "datetime",
        "div": "align drawio-diagram",
        "p": "align",
        "h1": "align",
        "h2": "align",
        "h3": "align",
        "h4": "align",
        "h5": "align",
        "h6": "align",
        "hr": "align noshade size width",
        "br": "clear",
        "pre": "width",
        "font": "color face size",
        "iframe": "src width height name",
        "video": "src controls width height poster preload",
        "audio": "src controls preload",
        "source": "src type srcset sizes media",
        "track": "src kind srclang label default",
        "object": "data type width height",
        "embed": "src type width height",
        "param": "name value",
        "input": "checked disabled name readonly type value",
    }.items()
}

#: Attributes holding a URL, checked against :data:`URL_SCHEMES`.
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "data", "poster", "longdesc"})
#: Schemes BookStack's URL filter lets through (``file:`` on links only).
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "ftp", "sftp", "nntp", "news"})

#: CSS properties HTML Purifier keeps (its CSS definition, with ``CSS.AllowTricky``).
CSS_PROPERTIES = frozenset(
    {
        "background", "background-attachment", "background-color", "background-image",
        "background-position", "background-repeat", "border", "border-bottom",
        "border-bottom-color", "border-bottom-style", "border-bottom-width",
        "border-collapse", "border-color", "border-left", "border-left-color",
        "border-left-style", "border-left-width", "border-right", "border-right-color",
        "border-right-style", "border-right-width", "border-spacing", "border-style",
        "border-top", "border-top-color", "border-top-style", "border-top-width",
        "border-width", "caption-side", "clear", "color", "display", "float", "font",
        "font-family", "font-size", "font-style", "font-variant", "font-weight", "height",
        "letter-spacing", "line-height", "list-style", "list-style-image",
        "list-style-position", "list-style-type", "margin", "margin-bottom", "margin-left",
        "margin-right", "margin-top", "max-height", "max-width", "min-height", "min-width",
        "overflow", "padding", "padding-bottom", "padding-left", "padding-right",
        "padding-top", "table-layout", "text-align", "text-decoration", "text-indent",
        "text-transform", "vertical-align", "visibility", "white-space", "width",
        "word-spacing",
    }
)  # fmt: skip

#: Inline elements: a block inside one is moved or dropped by HTML Purifier.
INLINE = frozenset(
    {
        "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "dfn", "em", "font",
        "i", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub",
        "sup", "time", "tt", "u", "var", "summary", "caption", "dt",
    }
)  # fmt: skip
BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "details", "div", "dl",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main",
        "menu", "nav", "ol", "p", "pre", "section", "table", "ul",
    }
)  # fmt: skip

#: Elements HTML Purifier removes anywhere inside another (its ``excludes``).
EXCLUDED_INSIDE: dict[str, frozenset[str]] = {
    "pre": frozenset({"img", "big", "small", "object", "applet", "font", "basefont"}),
}

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_IGNORED_IN_URL = re.compile(r"[\t\n\r]")
_LEADING = "".join(chr(code) for code in range(0x21))


@dataclass
class Filtered:
    """A page as BookStack shows it, and what the filter took from it."""

    #: The page's HTML parsed and written again, unfiltered (what :attr:`html` is compared to).
    original: str
    #: The filtered HTML: what readers see, and what a colleague's save stores.
    html: str
    removed: list[str] = field(default_factory=list)


def _scheme(url: str) -> str | None:
    cleaned = _IGNORED_IN_URL.sub("", url).lstrip(_LEADING)
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def _url_allowed(element: str, attribute: str, url: str) -> bool:
    scheme = _scheme(url)
    if element == "iframe" and attribute == "src":
        return url.strip().lower().startswith(("http://", "https://", "//"))
    if scheme is None:
        return True
    return scheme in URL_SCHEMES or (scheme == "file" and element == "a")


def _short(value: str, limit: int = 40) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _declarations(style: str) -> Iterator[tuple[str, str, str]]:
    """(property, value, the declaration's text) of a ``style`` attribute."""
    for declaration in style.split(";"):
        name, colon, value = declaration.partition(":")
        if declaration.strip():
            yield name.strip().lower(), value.strip() if colon else "", declaration.strip()


def _css_allowed(name: str, value: str) -> bool:
    lowered = value.lower()
    return (
        name in CSS_PROPERTIES
        and bool(value)
        and "var(" not in lowered
        and "expression(" not in lowered
        and ("url(" not in lowered or name.startswith(("background", "list-style")))
    )


Lose = Callable[[str, LexborNode], None]


def _elements(root: LexborNode) -> list[LexborNode]:
    return [node for node in root.traverse() if node.tag and not node.tag.startswith("-")]


def content_filter(html: str) -> Filtered:
    """*html* through the emulated filter, with what it lost."""
    original = LexborHTMLParser(f"<body>{html}").body
    tree = LexborHTMLParser(f"<body>{html}")
    body = tree.body
    assert original is not None and body is not None
    removed: list[str] = []
    seen_ids: set[str] = set()

    def lose(what: str, node: LexborNode) -> None:
        element_id = node.attributes.get("id")
        where = f' (in <{node.tag} id="{element_id}">)' if element_id else ""
        removed.append(f"{what}{where}")

    def visit(parent: LexborNode) -> None:
        # Children first listed, then judged in document order: a node is only
        # touched while it is still in the tree.
        for node in list(parent.iter(include_text=False)):
            tag = node.tag or ""
            if tag == "-comment":  # HTML Purifier keeps no comment
                lose("an HTML comment", node)
                node.decompose()
            elif tag in REMOVED_WITH_CONTENT or (
                tag == "input" and _input_type(node) != "checkbox"
            ):
                lose(f"<{tag}> and its content", node)
                node.decompose()
            elif tag not in ALLOWED_ELEMENTS:
                lose(f"<{tag}> (its content kept)", node)
                visit(node)
                node.unwrap()
            elif _dangerous_url(node):
                lose(f"<{tag}> with a script or data URL, and its content", node)
                node.decompose()
            else:
                _filter_attributes(node, lose, seen_ids)
                if tag == "img" and "alt" not in node.attributes:
                    # HTML Purifier's required attributes: an image's file name as its alt.
                    src = (node.attributes.get("src") or "").split("?")[0].rstrip("/")
                    lose("an <img> without alt (its file name added as alt)", node)
                    node.attrs["alt"] = src.rsplit("/", 1)[-1]
                if tag in INLINE:
                    inner = next((n for n in _elements(node)[1:] if n.tag in BLOCKS), None)
                    if inner is not None:
                        lose(f"<{inner.tag}> inside the inline <{tag}> (moved or dropped)", node)
                excluded = EXCLUDED_INSIDE.get(tag, frozenset())
                while excluded:  # one at a time: a removed element takes its children along
                    inner = next((n for n in _elements(node)[1:] if n.tag in excluded), None)
                    if inner is None:
                        break
                    lose(f"<{inner.tag}> inside <{tag}> (removed)", node)
                    inner.decompose()
                visit(node)
                if tag == "details":
                    _summary_first(node, lose)

    visit(body)
    return Filtered(original.html or "", body.html or "", removed)


def _input_type(node: LexborNode) -> str:
    return (node.attributes.get("type") or "text").strip().lower()


def _dangerous_url(node: LexborNode) -> bool:
    attributes = node.attributes
    href = _scheme(attributes.get("href") or "")
    src = _scheme(attributes.get("src") or "")
    return href == "javascript" or src in ("javascript", "data") or "srcdoc" in attributes


def _filter_attributes(node: LexborNode, lose: Lose, seen_ids: set[str]) -> None:
    tag = node.tag or ""
    allowed = GLOBAL_ATTRIBUTES | ELEMENT_ATTRIBUTES.get(tag, frozenset())
    for name, value in list(node.attributes.items()):
        text = value or ""
        reason = None
        if name not in allowed:
            reason = "data attribute" if name.startswith("data-") else "not on the allow-list"
        elif name == "target" and text != "_blank":
            reason = "only _blank"
        elif name == "type" and tag == "input" and text.lower() != "checkbox":
            reason = "only checkbox"
        elif name in URL_ATTRIBUTES and not _url_allowed(tag, name, text):
            reason = "URL scheme not allowed"
        elif name == "id":
            if text in seen_ids:
                reason = "duplicate id"
            seen_ids.add(text)
        elif name == "style":
            declarations = list(_declarations(text))
            kept = [whole for prop, css, whole in declarations if _css_allowed(prop, css)]
            if len(kept) < len(declarations):
                gone = [whole for prop, css, whole in declarations if not _css_allowed(prop, css)]
                lose(f"CSS {'; '.join(gone)!r} from <{tag}>", node)
                if kept:
                    node.attrs["style"] = "; ".join(kept)
                else:
                    del node.attrs["style"]
            continue
        if reason:
            shown = f'{name}="{_short(text)}"' if text else name
            lose(f"{shown} on <{tag}> ({reason})", node)
            del node.attrs[name]


def _summary_first(details: LexborNode, lose: Lose) -> None:
    """HTML Purifier's ``details`` content model: one ``summary``, first."""
    children = list(details.iter(include_text=True))
    first = next(
        (child for child in children if child.tag != "-text" or (child.text() or "").strip()),
        None,
    )
    summaries = [child for child in children if child.tag == "summary"]
    if not summaries:
        lose("<details> without a <summary> (an empty one is added)", details)
        return
    if first is not None and first.mem_id != summaries[0].mem_id:
        lose("<summary> not first in <details> (moved first)", details)
        first.insert_before(summaries[0])
        summaries[0].decompose()
    for extra in summaries[1:]:
        lose("a second <summary> in <details> (its content kept)", details)
        extra.unwrap()
