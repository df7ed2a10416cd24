"""The sidebar navigation, resolved and rendered once per build instead of once per page.

Sphinx's ``toctree()`` template function resolves the whole global toctree and
renders it with the docutils writer for every page; Furo then re-parses that
HTML with BeautifulSoup on every page to add its expand checkboxes.  Both are
linear in the number of pages, so an ``html`` build is quadratic (Furo's own
tracker: pradyunsg/furo#674).  What differs from one page to the next is
small: which entries carry ``current`` (the branch leading to the page), which
branches are kept when ``collapse`` is on, which ``<li>`` Furo marks
``current-page`` and checks the checkbox of, and the relative URLs.

So the tree is resolved and rendered once, for a document that is in no
toctree, with marker classes and marker URLs on every list, item and link
(and, for Furo, passed once through Furo's own ``get_navigation_tree``).  The
result is cut into a template of literal pieces and slots; each page's HTML
is the template with its slots filled, byte for byte what Sphinx and Furo
write themselves (tests compare the two on a tree of a few hundred pages).

This relies on how Sphinx marks and collapses toctrees
(``_toctree_add_classes``, ``_toctree_copy``) and how Furo adds its checkboxes,
so it is used only with the Sphinx and Furo releases it is tested with, on the
``html`` and ``dirhtml`` builders; anything else takes Sphinx's and Furo's own
path, silently.
"""

from __future__ import annotations

import inspect
import posixpath
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sphinx
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.dirhtml import DirectoryHTMLBuilder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment.adapters.toctree import global_toctree_for_doc
from sphinx.util.osutil import relative_uri

from sphinx_mosaic.config import Option, declare, option_value

NAVIGATION_ONCE = Option(
    "navigation_once",
    True,
    "Resolve and render the sidebar navigation once per build and derive each page's "
    "copy from it (Sphinx's ``toctree()`` sidebars and Furo's navigation tree), instead of "
    "once per page.  The pages are byte-identical either way; set it to ``False`` to take "
    "Sphinx's and Furo's own path.",
    rebuild="",
    types=(bool,),
)

#: This module's options: :func:`setup_sidebar` declares them, importing the module does not.
OPTIONS = (NAVIGATION_ONCE,)

#: Furo releases whose navigation code (``_compute_navigation_tree`` and
#: ``furo.navigation.get_navigation_tree``) this module is tested against.
#: 2025.9.25 and 2025.12.19 have the same code.
FURO_RELEASES = frozenset({"2025.9.25", "2025.12.19"})

#: Sphinx majors whose toctree marking and collapsing this module reproduces.
SPHINX_MAJORS = frozenset({8, 9})

#: The arguments Furo's ``_compute_navigation_tree`` passes to ``toctree()``.
FURO_TOCTREE_ARGS = {"collapse": False, "titles_only": True, "maxdepth": -1, "includehidden": True}

#: A document name that no toctree lists, for the page-neutral rendering.
_NEUTRAL = "\x00mosaic-neutral"
_MARK = "mosaicnavq"
_CLASS_RE = re.compile(rf' class="([^"]*?)\b{_MARK}c(\d+)z\b ?([^"]*)"')
_HREF_RE = re.compile(rf'href="{_MARK}h(\d+)z([^"]*)"')
_UL_RE = re.compile(r"<ul\b|</ul>\n?")
_INPUT_RE = re.compile(r"<input\b[^>]*>")
#: Characters the docutils writer and BeautifulSoup escape differently in URLs.
_UNSAFE_URI = re.compile(r"[&<>\"'@\s]")


@dataclass
class _Node:
    """A ``<ul>``, ``<li>`` or ``<a>`` of the rendered navigation."""

    kind: str  # "ul", "li" or "a"
    parent: int  # index of the enclosing ul/li, -1 at the top
    depth: int = 0  # for "ul": 1 at the top, 2 inside an item, ...


@dataclass
class _Template:
    """The rendered navigation, cut into literal pieces and slots."""

    nodes: list[_Node]
    #: Each piece is a literal string or a slot tuple: ("c", node, before, after)
    #: a class attribute, ("h", ref, anchor) an href, ("k", li) Furo's checked
    #: flag, ("u", ul, end) the start of a list that collapsing may skip to
    #: piece *end*.
    pieces: list[Any]
    refs: list[tuple[int, str, str]]  # (node of the <a>, target docname, anchor)
    refs_of: dict[str, list[int]] = field(default_factory=dict)
    collapse: bool = False
    furo: bool = False
    _hrefs: OrderedDict[str, dict[int, str]] = field(default_factory=OrderedDict)
    _targets: list[str] | None = None

    def render(self, builder: StandaloneHTMLBuilder, pagename: str) -> str:
        current: set[int] = set()
        on_path: set[int] = set()
        for ref in self.refs_of.get(pagename, ()):
            node, _, anchor = self.refs[ref]
            walk = self._ancestry(node)
            on_path.update(walk)
            if not anchor:
                current.update(walk)
        current_page = -1
        if self.furo:
            items = [n for n in current if self.nodes[n].kind == "li"]
            current_page = max(items, default=-1)
        hrefs = self._hrefs_for(builder, pagename)
        out: list[str] = []
        append = out.append
        pieces = self.pieces
        i, end = 0, len(pieces)
        while i < end:
            piece = pieces[i]
            i += 1
            if type(piece) is str:
                append(piece)
                continue
            kind = piece[0]
            if kind == "c":
                _, node, before, after = piece
                tokens = before
                if node in current:
                    tokens = f"{tokens} current" if tokens else "current"
                if after:
                    tokens = f"{tokens} {after}" if tokens else after
                if node == current_page:
                    tokens = f"{tokens} current-page" if tokens else "current-page"
                if tokens:
                    append(f' class="{tokens}"')
            elif kind == "h":
                value = hrefs(piece[1]) + piece[2]
                append(value or "#")
            elif kind == "k":
                if piece[1] in current:
                    append(' checked=""')
            elif kind == "u":
                ul = piece[1]
                if self.collapse and self.nodes[ul].depth > 1:
                    parent = self.nodes[ul].parent
                    if parent not in on_path and ul not in on_path:
                        i = piece[2]
        return "".join(out)

    def _ancestry(self, node: int) -> list[int]:
        walk = []
        while node >= 0:
            walk.append(node)
            node = self.nodes[node].parent
        return walk

    def _hrefs_for(self, builder: StandaloneHTMLBuilder, pagename: str) -> Callable[[int], str]:
        """The relative URL of each link from *pagename*, by its index in ``refs``.

        Computed only for the links the page shows: with ``collapse`` on (the
        basic themes' sidebars), a page shows the top of the tree and its own
        branch, and computing every link of the tree for each folder made a
        build quadratic (3.2 million ``relative_uri`` calls for 5,503 pages).
        Relative URLs depend only on the page's folder, except the link to the
        page itself (``''``), so they are kept for the last few folders (pages
        are written in name order, folder by folder)."""
        folder = posixpath.dirname(builder.get_target_uri(pagename))
        known = self._hrefs.get(folder)
        if known is None:
            known = self._hrefs[folder] = {}
            if len(self._hrefs) > 8:
                self._hrefs.popitem(last=False)
        else:
            self._hrefs.move_to_end(folder)
        # Any file name in the folder gives the same URLs to the other pages.
        base = posixpath.join(folder, "\x00")
        mine = frozenset(self.refs_of.get(pagename, ()))
        targets = self._target_uris(builder)

        def href(ref: int) -> str:
            if ref in mine:
                return ""
            value = known.get(ref)
            if value is None:
                value = known[ref] = relative_uri(base, targets[ref])
            return value

        return href

    def _target_uris(self, builder: StandaloneHTMLBuilder) -> list[str]:
        """The target URI of each link, once per build (they do not depend on the page)."""
        if self._targets is None:
            self._targets = [builder.get_target_uri(target) for _, target, _ in self.refs]
        return self._targets


class _MarkingBuilder:
    """The real builder, except that relative URLs are left as docnames."""

    def __init__(self, builder: StandaloneHTMLBuilder) -> None:
        self._builder = builder

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        return to

    def __getattr__(self, name: str) -> Any:
        return getattr(self._builder, name)


def _resolve_neutral(builder: StandaloneHTMLBuilder, **kwargs: Any) -> nodes.Element | None:
    """The global toctree as Sphinx resolves it for a page that is in no toctree."""
    env = builder.env
    assert env is not None
    marking: Any = _MarkingBuilder(builder)
    if "tags" in inspect.signature(global_toctree_for_doc).parameters:
        kwargs["tags"] = builder.tags
    return global_toctree_for_doc(env, _NEUTRAL, marking, **kwargs)


def build_template(
    builder: StandaloneHTMLBuilder, kwargs: dict[str, Any], *, furo: bool = False
) -> _Template | None:
    """Resolve and render the navigation once; None when this build needs the slow path."""
    args = dict(kwargs)
    collapse = bool(args.pop("collapse", True))
    args.setdefault("includehidden", False)
    if args.get("maxdepth") == "":
        args.pop("maxdepth")
    tree = _resolve_neutral(builder, collapse=False, **args)
    if tree is None:
        return _Template(nodes=[], pieces=[""], refs=[], collapse=collapse, furo=furo)
    graph: list[_Node] = []
    refs: list[tuple[int, str, str]] = []
    index: dict[int, int] = {}

    def enclosing(node: nodes.Node) -> int:
        parent = node.parent
        while parent is not None and id(parent) not in index:
            parent = parent.parent
        return -1 if parent is None else index[id(parent)]

    for node in tree.findall(nodes.Element):
        if isinstance(node, nodes.bullet_list):
            kind = "ul"
        elif isinstance(node, nodes.list_item):
            kind = "li"
        elif isinstance(node, nodes.reference):
            kind = "a"
        else:
            continue
        parent = enclosing(node)
        entry = _Node(kind, parent)
        if kind == "ul":
            above = parent
            while above >= 0 and graph[above].kind != "ul":
                above = graph[above].parent
            entry.depth = 1 if above < 0 else graph[above].depth + 1
        index[id(node)] = len(graph)
        node["classes"].append(f"{_MARK}c{len(graph)}z")
        if kind == "a" and node.get("internal") and "refuri" in node:
            anchor = node.get("anchorname", "")
            target = (
                node["refuri"][: len(node["refuri"]) - len(anchor)] if anchor else node["refuri"]
            )
            if _UNSAFE_URI.search(target) or _UNSAFE_URI.search(anchor):
                return None
            node["refuri"] = f"{_MARK}h{len(refs)}z{anchor}"
            refs.append((len(graph), target, anchor))
        graph.append(entry)
    html = builder.render_partial(tree)["fragment"]
    if furo:
        from furo.navigation import get_navigation_tree  # type: ignore[import-untyped]

        html = get_navigation_tree(html)
    template = _cut(html, graph, refs, furo=furo)
    if template is not None:
        template.collapse = collapse
    return template


def _cut(
    html: str, graph: list[_Node], refs: list[tuple[int, str, str]], *, furo: bool
) -> _Template | None:
    """Split the rendered HTML at every marker; None if a marker is not where expected."""
    spans: list[tuple[int, int, Any]] = []
    class_at: dict[int, int] = {}  # offset of a class slot -> its node
    for match in _CLASS_RE.finditer(html):
        node = int(match.group(2))
        spans.append(
            (
                match.start(),
                match.end(),
                ("c", node, match.group(1).strip(), match.group(3).strip()),
            )
        )
        class_at[match.start()] = node
    if len(class_at) != len(graph):
        return None
    for match in _HREF_RE.finditer(html):
        spans.append(
            (match.start() + 6, match.end() - 1, ("h", int(match.group(1)), match.group(2)))
        )

    def slot_of_tag(start: int) -> int | None:
        close = html.find(">", start)
        attribute = html.find(' class="', start, close)
        return class_at.get(attribute)

    if furo:
        # Furo's checkbox follows the link of its item; "checked" sorts before "class".
        for match in _INPUT_RE.finditer(html):
            at = match.group(0).find(' class="')
            item = slot_of_tag(html.rfind("<li", 0, match.start()))
            if at < 0 or item is None:
                return None
            spans.append((match.start() + at, match.start() + at, ("k", item)))
    # Lists that collapsing may skip: from "<ul" to the end of its "</ul>\n".
    stack: list[int] = []
    boundaries: list[tuple[int, int]] = []  # (offset of the list's end, piece to patch)
    lists: list[tuple[int, int, int]] = []
    for match in _UL_RE.finditer(html):
        if match.group(0) == "<ul":
            stack.append(match.start())
            continue
        if not stack:
            return None
        start = stack.pop()
        ul = slot_of_tag(start)
        if ul is None or graph[ul].kind != "ul":
            return None
        lists.append((start, ul, match.end()))
    if stack:
        return None
    for start, ul, end in lists:
        spans.append((start, start, ("u", ul, end)))
        spans.append((end, end, ("x",)))
    spans.sort(key=lambda span: (span[0], span[1], span[2][0] != "x"))
    pieces: list[Any] = []
    first_at: dict[int, int] = {}
    position = 0
    for start, end, slot in spans:
        if start < position:
            return None
        if start > position:
            pieces.append(html[position:start])
        first_at.setdefault(start, len(pieces))
        if slot[0] == "u":
            boundaries.append((len(pieces), slot[2]))
        if slot[0] != "x":
            pieces.append(slot)
        position = end
    pieces.append(html[position:])
    for at, end in boundaries:
        pieces[at] = ("u", pieces[at][1], first_at[end])
    refs_of: dict[str, list[int]] = {}
    for ref, (_, target, _) in enumerate(refs):
        refs_of.setdefault(target, []).append(ref)
    return _Template(nodes=graph, pieces=pieces, refs=refs, refs_of=refs_of, furo=furo)


# -- hooking into the html builders -------------------------------------------------------


def _fast_path_applies(builder: Any) -> bool:
    """The html and dirhtml builders (and subclasses that keep their toctree code)."""
    if not isinstance(builder, StandaloneHTMLBuilder):
        return False
    kind = (
        DirectoryHTMLBuilder if isinstance(builder, DirectoryHTMLBuilder) else StandaloneHTMLBuilder
    )
    cls = type(builder)
    return (
        sphinx.version_info[0] in SPHINX_MAJORS
        and option_value(builder.config, NAVIGATION_ONCE)
        and cls._get_local_toctree is StandaloneHTMLBuilder._get_local_toctree
        and cls.get_relative_uri is kind.get_relative_uri
        and cls.render_partial is StandaloneHTMLBuilder.render_partial
    )


def _sphinx_toctree(function: object) -> bool:
    """Sphinx's own ``toctree()`` of the page context, not one another extension put there."""
    name = getattr(function, "__qualname__", "")
    return name.startswith("StandaloneHTMLBuilder.") and name.endswith("<lambda>")


def _furo_applies(app: Sphinx) -> bool:
    if app.config.html_theme != "furo":
        return False
    try:
        import furo  # type: ignore[import-untyped]
    except ImportError:
        return False
    return getattr(furo, "__version__", None) in FURO_RELEASES and any(
        getattr(listener.handler, "__module__", "") == "furo"
        and getattr(listener.handler, "__name__", "") == "_html_page_context"
        for listener in app.events.listeners.get("html-page-context", [])
    )


class SharedNavigation:
    """The navigation templates of one write phase, one per set of ``toctree()`` arguments."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self.templates: dict[tuple[tuple[str, Any], ...], _Template | None] = {}
        self.furo = _furo_applies(app)

    def template(self, kwargs: dict[str, Any], *, furo: bool = False) -> _Template | None:
        key = (("furo", furo), *sorted(kwargs.items()))
        if key not in self.templates:
            builder: Any = self.app.builder
            self.templates[key] = build_template(builder, kwargs, furo=furo)
        return self.templates[key]

    def toctree(self, pagename: str, original: Callable[..., str]) -> Callable[..., str]:
        """A ``toctree()`` for the page's template context, same output, shared work."""

        def toctree(**kwargs: Any) -> str:
            try:
                template = self.template(kwargs)
            except TypeError:  # an argument Sphinx's toctree() would reject too
                return original(**kwargs)
            if template is None:
                return original(**kwargs)
            return template.render(self.app.builder, pagename)  # type: ignore[arg-type]

        return toctree


def _shared(app: Sphinx) -> SharedNavigation:
    shared: SharedNavigation | None = getattr(app.builder, "_mosaic_navigation", None)
    if shared is None:
        shared = SharedNavigation(app)
        app.builder._mosaic_navigation = shared  # type: ignore[attr-defined]
    return shared


def _reset(app: Sphinx, builder: Any) -> None:
    """A new write phase: the toctrees and titles may have changed."""
    builder._mosaic_navigation = None


_FURO_PENDING = "_mosaic_furo_navigation"


def _before_theme(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Runs before Furo's handler: give the page a shared ``toctree()``.

    For Furo, the call Furo makes for its navigation tree returns an empty
    string (so Furo's per-page BeautifulSoup pass has nothing to parse) and
    :func:`_after_theme` fills ``furo_navigation_tree`` from the shared template.
    """
    original = context.get("toctree")
    if original is None or not _sphinx_toctree(original) or not _fast_path_applies(app.builder):
        return
    shared = _shared(app)
    fast = shared.toctree(pagename, original)
    if shared.furo:
        template = shared.template(FURO_TOCTREE_ARGS, furo=True)
        if template is not None:

            def for_furo(**kwargs: Any) -> str:
                if kwargs == FURO_TOCTREE_ARGS and _FURO_PENDING in context:
                    context[_FURO_PENDING] = True
                    return ""
                return fast(**kwargs)

            context[_FURO_PENDING] = False
            context["toctree"] = for_furo
            context["_mosaic_toctree"] = fast
            return
    context["toctree"] = fast


def _after_theme(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Runs after Furo's handler: the page's navigation tree from the shared template."""
    if _FURO_PENDING not in context:
        return
    asked = context.pop(_FURO_PENDING)
    context["toctree"] = context.pop("_mosaic_toctree")
    if asked:
        template = _shared(app).template(FURO_TOCTREE_ARGS, furo=True)
        assert template is not None
        context["furo_navigation_tree"] = template.render(app.builder, pagename)  # type: ignore[arg-type]


def setup_sidebar(app: Sphinx) -> None:
    declare(*OPTIONS)
    app.connect("write-started", _reset)
    # Furo's html-page-context handler has the default priority, 500.
    app.connect("html-page-context", _before_theme, priority=400)
    app.connect("html-page-context", _after_theme, priority=600)
