"""HTML that reaches BookStack only through the rules BookStack renders with.

BookStack stores page HTML as it is sent and filters it when it renders it
(``app/Util/HtmlContentFilter.php``, unless ``ALLOW_CONTENT_SCRIPTS`` is set):
no scripts, no ``on*`` attributes, no ``javascript:`` or ``data:`` URLs, no
forms, ``style`` blocks or inline SVG, ``iframe`` only with an ``http(s)``
source.  Raw HTML in a page (and the HTML of other extensions' visitors) is
cleaned with the same rules before it goes into a ZIP, so nothing unsafe is
ever stored, and the build says what it removed instead of BookStack dropping
it silently later.

The cleaning is done by ammonia (the ``nh3`` bindings), a maintained
HTML5-parser-based sanitizer, not by regular expressions.  What is kept is
what BookStack keeps: semantic blocks, tables, ``details``/``summary``,
callout and ``language-*`` classes, ids (``bkmrk-`` anchors), images
(including our ``[[bsexport:image:N]]`` references), ``drawio-diagram``
divs, checkbox inputs of task lists, ``iframe``/``video``/``audio`` media.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import nh3

#: URL schemes BookStack's filter lets through (UrlFilter); ``file:`` is left out
#: because ammonia cannot limit it to anchors as BookStack does.
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "ftp", "nntp", "news"})

#: Elements removed together with their content (BookStack removes them whole).
REMOVED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "svg",
        "math",
        "template",
        "noscript",
        "object",
        "embed",
        "applet",
        "form",
        "textarea",
        "select",
        "button",
        "title",
        "frameset",
        "frame",
        "head",
    }
)

# ``data`` and ``rtc`` are not in HTML Purifier's HTML5 list: their text is kept, the tags go.
TAGS = (frozenset(nh3.ALLOWED_TAGS) | {"iframe", "video", "audio", "source", "input"}) - {
    "map",
    "area",
    "data",
    "rtc",
}

_COMMON = {"id", "class", "title", "lang", "dir", "style"}
ATTRIBUTES: dict[str, set[str]] = {
    "*": _COMMON,
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span", "width"},
    "colgroup": {"span", "width"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "details": {"open"},
    "div": {"drawio-diagram"},
    # HTML Purifier's HTML5 iframe: no allowfullscreen, frameborder or allow (BookStack
    # does not turn HTML.IframeAllowFullscreen on).
    "iframe": {"src", "width", "height", "name"},
    # HTML Purifier's HTML5 media: no loop, muted or autoplay.
    "video": {"src", "controls", "width", "height", "poster", "preload"},
    "audio": {"src", "controls", "preload"},
    "source": {"src", "type"},
    "input": {"checked", "disabled"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "time": {"datetime"},
    "abbr": {"title"},
}
#: The class BookStack's editor gives a table cell it aligns (its ``alignleft``,
#: ``aligncenter`` and ``alignright`` formats), by side; its stylesheet aligns by it.
CELL_ALIGNMENT = {"left": "align-left", "center": "align-center", "right": "align-right"}
#: Attributes with a fixed set of values (BookStack: ``a[target]`` only ``_blank``).
ATTRIBUTE_VALUES = {"a": {"target": {"_blank"}}}
#: BookStack keeps ``input`` only as a checkbox (task lists): every input becomes a
#: disabled checkbox rather than a text box or button in the page.
FORCED_VALUES = {"input": {"type": "checkbox", "disabled": "disabled"}}

#: CSS properties kept in ``style`` (BookStack runs styles through a CSS filter too).
STYLE_PROPERTIES = frozenset(
    {
        "color",
        "background-color",
        "text-align",
        "vertical-align",
        "font-weight",
        "font-style",
        "text-decoration",
        "width",
        "height",
        "max-width",
        "border",
        "border-color",
        "border-style",
        "border-width",
        "border-collapse",
        "padding",
        "margin",
        "float",
    }
)

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_IGNORED_IN_URL = re.compile(r"[\t\n\r]")
_LEADING = "".join(chr(code) for code in range(0x21))  # C0 controls and space


def url_scheme(url: str) -> str | None:
    """The scheme of *url* as a browser reads it (lower case), or None for a relative URL.

    Browsers drop leading spaces and control characters and every tab and newline
    before reading the scheme, so ``" java\\tscript:"`` is ``javascript``.
    """
    cleaned = _IGNORED_IN_URL.sub("", url).lstrip(_LEADING)
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def is_safe_url(url: str) -> bool:
    """Whether BookStack would keep *url* in an ``href`` or ``src``."""
    scheme = url_scheme(url)
    return scheme is None or scheme in URL_SCHEMES


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if element == "iframe" and attribute == "src":
        # BookStack: iframes only from http(s) or protocol-relative sources.
        return value if value.strip().lower().startswith(("http://", "https://", "//")) else None
    return value


#: BookStack's render rules as one ammonia sanitizer, built once: building it (the tag and
#: attribute sets handed to Rust) costs about 30 times what cleaning a raw HTML snippet does,
#: and a page of another extension's HTML is cleaned once per node it writes.
_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(REMOVED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
    attribute_filter=_attribute_filter,
    strip_comments=True,
    link_rel=None,  # BookStack strips rel; adding one would change every save
    tag_attribute_values={
        tag: {name: set(values) for name, values in allowed.items()}
        for tag, allowed in ATTRIBUTE_VALUES.items()
    },
    set_tag_attribute_values={tag: dict(values) for tag, values in FORCED_VALUES.items()},
    url_schemes=set(URL_SCHEMES),
    filter_style_properties=set(STYLE_PROPERTIES),
)


def clean_html(html: str) -> str:
    """*html* with everything BookStack's render filter would remove taken out."""
    return _CLEANER.clean(html)


#: Attributes whose presence is their meaning: ``disabled="disabled"`` kept as
#: ``disabled=""`` is not a removal.
_BOOLEAN = frozenset(
    {"checked", "disabled", "open", "allowfullscreen", "controls", "loop", "muted", "reversed"}
)


class _Inventory(HTMLParser):
    """Start tags and their attributes, counted (what a removal is measured against)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attributes: Counter[tuple[str, str, str]] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        for name, value in attrs:
            self.attributes[(tag, name, "" if name in _BOOLEAN else value or "")] += 1


def _inventory(html: str) -> _Inventory:
    parser = _Inventory()
    parser.feed(html)
    parser.close()
    return parser


def _short(value: str, limit: int = 40) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


#: What Python's HTML parser reads as a start tag: "<" and an ASCII letter.
_START_TAG = re.compile(r"<[a-zA-Z]")


def removed_parts(html: str, cleaned: str) -> list[str]:
    """What cleaning took out of *html*, in words (empty when nothing was removed).

    Compares the start tags and attributes of both: normalisations (closing
    tags added, ``<br/>`` written ``<br>``) are not removals.
    """
    if not _START_TAG.search(html):
        return []  # no start tag to lose (a depart's closing tags): nothing to parse
    before, after = _inventory(html), _inventory(cleaned)
    parts = [f"<{tag}>" for tag in sorted((before.tags - after.tags).elements())]
    for tag, name, value in sorted((before.attributes - after.attributes).elements()):
        shown = f'{name}="{_short(value)}"' if value else name
        parts.append(f"{shown} on <{tag}>")
    return list(dict.fromkeys(parts))


def clean_reporting(html: str) -> tuple[str, list[str]]:
    """(cleaned *html*, what was removed) for a raw HTML block."""
    cleaned = clean_html(html)
    return cleaned, removed_parts(html, cleaned)


__all__ = [
    "URL_SCHEMES",
    "clean_html",
    "clean_reporting",
    "is_safe_url",
    "removed_parts",
    "url_scheme",
]
