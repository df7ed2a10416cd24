"""Images in raw HTML with a local ``src``: packed into the book, or their alt text.

``.. raw:: html`` holding ``<img src="_static/logo.png">`` shows in Sphinx's HTML
because the file lies beside the pages there (copied from ``html_static_path``
or ``html_extra_path``). A BookStack page has no files beside it: such a
``src`` would be a broken image. So a local ``src`` is looked up where the HTML
build would find the file, and the image goes through the same pipeline as an
``image`` directive's (a ``[[bsexport:image:N]]`` in the ZIP, converted when
BookStack does not take its format). A file found nowhere is warned about and
its ``<img>`` replaced by its alt text. Remote sources (``http:``, ``https:``,
``//host/...``) are kept; other schemes are left to the cleaning of raw HTML.

Only the ``<img>`` tags are rewritten, each as a whole: the raw text around them
is kept as it is, since a raw block may open a tag that a later one closes.
Inline ``<svg>`` drawings are found (:func:`inline_svgs`) and made standalone
SVG files (:func:`standalone`), to be drawn as images.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable, Sequence
from html import escape, unescape
from pathlib import Path
from urllib.parse import unquote

from sphinx_mosaic.bookstack.format.html import url_scheme

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
#: A ``src`` or ``alt`` attribute, quoted either way or not at all.
_ATTRIBUTE = (
    r"""(?P<lead>\s{name}\s*=\s*)(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+))"""
)
_SRC = re.compile(_ATTRIBUTE.format(name="src"), re.IGNORECASE)
_ALT = re.compile(_ATTRIBUTE.format(name="alt"), re.IGNORECASE)

#: The folder Sphinx's HTML builders copy ``html_static_path`` into.
STATIC_FOLDER = "_static"


def _value(match: re.Match[str]) -> str:
    raw = match.group("dq")
    if raw is None:
        raw = match.group("sq")
    if raw is None:
        raw = match.group("bare")
    return unescape(raw or "")


def is_local(src: str) -> bool:
    """Whether *src* names a file of the site (no scheme, not ``//host``, and not one
    of the builder's own image tokens, such as an inline SVG drawn as an image)."""
    src = src.strip()
    return bool(src) and url_scheme(src) is None and not src.startswith(("//", "[[mosaic:"))


class LocalFiles:
    """Where a page's local URLs lead among the project's files."""

    def __init__(
        self,
        srcdir: Path,
        confdir: Path,
        static_paths: Sequence[str],
        extra_paths: Sequence[str],
    ) -> None:
        self.srcdir = srcdir
        # Sphinx copies the entries in order: a later one overwrites an earlier one.
        self.static = [confdir / entry for entry in reversed(static_paths)]
        self.extra = [confdir / entry for entry in reversed(extra_paths)]

    def find(self, src: str, docname: str) -> str | None:
        """The file (relative to the source folder, ``/``-separated) that *src* on the
        page *docname* shows in the HTML output, or None."""
        path = unquote(src.strip().split("#", 1)[0].split("?", 1)[0])
        if not path:
            return None
        if path.startswith("/"):
            site = posixpath.normpath(path.lstrip("/"))
        else:
            site = posixpath.normpath(posixpath.join(posixpath.dirname(docname), path))
        if site == ".." or site.startswith("../") or site == ".":
            return None
        candidates: list[Path] = []
        head, _, rest = site.partition("/")
        if head == STATIC_FOLDER and rest:
            for entry in self.static:
                if entry.is_file():  # a file listed in html_static_path lands in _static/
                    if entry.name == rest:
                        candidates.append(entry)
                else:
                    candidates.append(entry / rest)
        candidates.extend(entry / site for entry in self.extra)
        candidates.append(self.srcdir / site)
        for candidate in candidates:
            if candidate.is_file():
                return Path(os.path.relpath(candidate, self.srcdir)).as_posix()
        return None


def pack_local_images(
    html: str,
    docname: str,
    files: LocalFiles,
    add_image: Callable[[str], str],
    missing: Callable[[str], None],
) -> str:
    """*html* with each local ``<img src>`` replaced by ``add_image(file)``'s token, or,
    for a file found nowhere, by the image's alt text (after ``missing(src)``)."""
    if "<img" not in html.lower():
        return html

    def replace(tag: re.Match[str]) -> str:
        text = tag.group(0)
        src_match = _SRC.search(text)
        if src_match is None:
            return text
        src = _value(src_match)
        if not is_local(src):
            return text
        found = files.find(src, docname)
        if found is None:
            missing(src)
            alt = _ALT.search(text)
            return escape(_value(alt), quote=False) if alt else ""
        token = add_image(found)
        start, end = src_match.span()
        return f'{text[:start]} src="{token}"{text[end:]}'

    return _IMG.sub(replace, html)


__all__ = ["LocalFiles", "is_local", "pack_local_images"]


# -- inline SVG in raw HTML ---------------------------------------------------

_SVG_TAG = re.compile(r"<(/?)svg\b[^>]*>", re.IGNORECASE)
_SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"


def inline_svgs(html: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of each outermost ``<svg>...</svg>`` of *html*.

    BookStack's content filter (v25.12.4 and later) removes inline SVG when it
    shows a page, so raw HTML's drawings are drawn as images instead.  Only the
    ``svg`` tags are matched (an SVG inside an SVG is part of the outer one); an
    SVG left open is not matched and is removed by the cleaning.
    """
    spans: list[tuple[int, int]] = []
    depth = begin = 0
    for match in _SVG_TAG.finditer(html):
        if match.group(1):  # </svg>
            if depth:
                depth -= 1
                if not depth:
                    spans.append((begin, match.end()))
            continue
        if not depth:
            begin = match.start()
        if match.group(0).endswith("/>"):
            if not depth:
                spans.append((begin, match.end()))
            continue
        depth += 1
    return spans


def standalone(markup: str) -> bytes:
    """An inline ``<svg>`` element as an SVG file: with the namespaces that HTML
    leaves implicit (the ``svg`` one, and ``xlink`` when it is used)."""
    head = markup[: markup.index(">")]
    extra = ""
    if not re.search(r"\sxmlns\s*=", head):
        extra += f' xmlns="{_SVG_NAMESPACE}"'
    if "xlink:" in markup and "xmlns:xlink" not in head:
        extra += f' xmlns:xlink="{_XLINK_NAMESPACE}"'
    return (markup[:4] + extra + markup[4:]).encode("utf-8")
