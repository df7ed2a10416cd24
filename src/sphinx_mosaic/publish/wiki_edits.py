"""Trample protection: a page edited in the wiki since the last publish is not overwritten.

Before a page's content is written again, the publisher reads the page
(``GET /api/pages/{id}``, one request per page about to change) and compares it
with what the last publish wrote, recorded in two tags on the page:

``mosaic-revision``
    the ``revision_count`` the page had right after our last write.  BookStack
    adds one on *every* update, even an identical one, so an equal count proves
    nobody saved the page since.
``mosaic-body``
    a fingerprint of the name and of what a reader sees of the body we sent.  When
    the count moved on (someone saved the page, the publisher's own move, or a
    retried request counted twice), the page's stored body (``raw_html``, or
    ``markdown``) is fingerprinted the same way and compared: a save that changes
    only markup readers never see (an editor's rewrite, the render filter's
    removals) is no edit; a changed word, link, image, code line or structure is.

A page without these tags (imported through a ZIP, or written by an older
sphinx-mosaic) counts as edited when its last editor is not the user who created
it.  An edited page is reported (name, who, when, link) and left alone, unless
``--overwrite-wiki-edits`` says otherwise.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import urllib.parse
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from sphinx_mosaic.bookstack.format.model import Page
from sphinx_mosaic.publish.client import BookStackClient
from sphinx_mosaic.publish.errors import RequestRejected
from sphinx_mosaic.publish.plan import Action, Kind, Plan
from sphinx_mosaic.publish.state import TAG_BODY, TAG_REVISION, ServerState

#: Plan kinds that write a page's content (a move or reorder alone does not touch it).
CONTENT_WRITES = (Kind.UPDATE, Kind.RELINK)


#: The ``mosaic-body`` format this version writes: ``2-`` and 20 hex digits.  Format 1 (the
#: bare 20 hex digits of sphinx-mosaic 0.1) is still read, and compared the way it was made.
BODY_FORMAT = "2"
#: The format of pages created by BookStack's importer (``2i-``): written before the
#: importer turns each ZIP reference into a URL we cannot predict, so addresses into the
#: wiki are left out of it (see :func:`import_fingerprint`).
IMPORT_FORMAT = "2i"
#: A ZIP reference in an attribute (URL-decoded already).
_ZIP_REFERENCE = re.compile(r"\[\[bsexport:[a-z]+:\d+\]\]")
#: What BookStack's importer writes for a ZIP reference: a book, chapter or page URL, an
#: uploaded image, an attachment (the fragment after it is kept).
_WIKI_ADDRESS = re.compile(
    r"^https?://[^#]*?/(?:books/[^/#]+(?:/(?:page|chapter)/[^/#]+)?|uploads/images/[^#]+"
    r"|attachments/\d+|link/\d+)(?=#|$)"
)

#: Elements whose whole content readers never see in BookStack: removed from the page when it
#: is shown (scripts; ``style``, ``link``, ``meta``, ``title``, ``template``; inline SVG and
#: MathML from v25.12.4) or not rendered at all.
_DROPPED_SUBTREES = frozenset({"script", "style", "template", "title", "svg", "math", "noscript"})
_DROPPED_VOID = frozenset({"link", "meta", "base"})
#: Tags that never have an end tag (an ``<img/>`` and an ``<img>`` are the same element).
_VOID = frozenset(
    {"area", "br", "col", "embed", "hr", "img", "input", "source", "track", "wbr"} | _DROPPED_VOID
)
#: Same element for readers: TinyMCE writes ``strong``/``em`` for ``b``/``i``.
_ALIASES = {"b": "strong", "i": "em"}
#: Attributes the editors or the v25.12.4 render filter add, drop or rewrite without a
#: reader seeing it: ids (``bkmrk-`` prefixes, made-up ids on top-level blocks, a duplicate
#: id dropped) and ``rel`` (removed).
_IGNORED_ATTRIBUTES = frozenset({"id", "rel"})
#: The CSS properties HTML Purifier keeps in a ``style`` attribute (its CSS definition with
#: the "tricky" set); anything else (``position``, custom properties...) is removed when the
#: page is shown, and a colleague's save stores the page without it.
_KEPT_CSS = frozenset(
    """
    background background-attachment background-color background-image background-position
    background-repeat border border-bottom border-bottom-color border-bottom-style
    border-bottom-width border-collapse border-color border-left border-left-color
    border-left-style border-left-width border-radius border-right border-right-color
    border-right-style border-right-width border-spacing border-style border-top
    border-top-color border-top-style border-top-width border-width caption-side clear color
    display empty-cells float font font-family font-size font-style font-variant font-weight
    height letter-spacing line-height list-style list-style-image list-style-position
    list-style-type margin margin-bottom margin-left margin-right margin-top max-height
    max-width min-height min-width opacity overflow padding padding-bottom padding-left
    padding-right padding-top table-layout text-align text-decoration text-indent
    text-transform vertical-align visibility white-space width word-spacing
    """.split()  # noqa: SIM905 - a list of 73 names reads better as words
)


def _style(value: str) -> str:
    """A ``style`` value as the reader gets it: kept properties, spacing and case normalised."""
    kept = []
    for declaration in value.split(";"):
        prop, colon, rest = declaration.partition(":")
        prop = prop.strip().lower()
        if colon and prop in _KEPT_CSS:
            kept.append(f"{prop}:{' '.join(rest.split())}")
    return ";".join(kept)


class _ReaderView(HTMLParser):
    """HTML reduced to what a reader of the BookStack page sees (fingerprint format 2).

    BookStack's editors and filters rewrite a page without changing what readers see:
    TinyMCE unwraps attribute-less ``<span>``s, orders and quotes attributes its own way,
    writes entities and URL escapes differently (``&#x27;`` and ``'``, ``%5B`` and ``[``),
    stores ``<img/>`` as ``<img>`` and drops the trailing newline; the v25.12.4 render filter
    removes every ``data-*`` attribute, ``<style>``, ``<link>``, ``rel``, inline SVG and
    MathML, CSS properties outside its list and a duplicate ``id``, and a colleague's save
    stores the filtered page.  None of that is kept here.  Kept: every other element in
    order (headings, lists, tables, code, links, images), every other attribute's value
    (link targets, image sources, classes, alt text), and the text, with runs of white
    space collapsed (white space inside ``<pre>`` counts, but for line ends).
    """

    def __init__(self, addresses: bool = True) -> None:
        super().__init__(convert_charrefs=True)
        #: False: links and images into the wiki count by their fragment only.
        self.addresses = addresses
        self.parts: list[str] = []
        self._text: list[str] = []
        self._skip: list[str] = []  # the dropped element being skipped, once per nesting
        self._spans: list[bool] = []  # per open <span>: whether it is kept
        self._pre = 0

    def _flush(self) -> None:
        text = "".join(self._text)
        self._text.clear()
        if self._pre:
            lines = text.replace("\r\n", "\n").split("\n")
            text = "\n".join([line.rstrip(" \t") for line in lines[:-1]] + lines[-1:])
            if text:
                self.parts.append(text)
            return
        text = " ".join(text.split())
        if text:
            self.parts.append(text)

    def _attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
        kept: dict[str, str] = {}
        for name, raw in attrs:
            if name in _IGNORED_ATTRIBUTES or name.startswith(("data-", "on")) or name in kept:
                continue
            value = urllib.parse.unquote(raw or "")
            if value == name:  # checked="checked" is checked
                value = ""
            if not self.addresses and name in ("href", "src"):
                value = _WIKI_ADDRESS.sub("\x00", _ZIP_REFERENCE.sub("\x00", value))
            if name == "style":
                value = _style(value)
                if not value:
                    continue
            elif name == "class":
                value = " ".join(value.split())
            elif name == "target" and value != "_blank":
                continue  # the filter keeps target=_blank only
            kept[name] = value
        if tag == "img" and "alt" not in kept and kept.get("src"):
            # HTML Purifier gives an image without alt text its file name as alt text.
            kept["alt"] = kept["src"].split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        return sorted(kept.items())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip:
            if tag == self._skip[0]:
                self._skip.append(tag)
            return
        if tag in _DROPPED_SUBTREES:
            self._skip.append(tag)
            return
        if tag in _DROPPED_VOID:
            return
        if tag == "br" and self._pre:
            self._text.append("\n")
            return
        kept = self._attributes(tag, attrs)
        if tag == "span":
            self._spans.append(bool(kept))
            if not kept:
                return  # TinyMCE unwraps a span without attributes
        self._flush()
        tag = _ALIASES.get(tag, tag)
        self.parts.append(f"<{tag} {kept}>" if kept else f"<{tag}>")
        if tag == "pre":
            self._pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            if tag == self._skip[0]:
                self._skip.pop()
            return
        if tag in _VOID:
            return
        if tag == "span" and not (self._spans and self._spans.pop()):
            return
        self._flush()
        if tag == "pre" and self._pre:
            self._pre -= 1
        self.parts.append(f"</{_ALIASES.get(tag, tag)}>")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            if self._pre and not self._text and self.parts and self.parts[-1].startswith("<pre"):
                data = data.removeprefix("\r\n").removeprefix("\n")  # as an HTML parser does
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


class _LegacyFingerprint(HTMLParser):
    """Fingerprint format 1 (sphinx-mosaic 0.1): elements, attributes but ``id``, text.

    Kept to judge pages whose ``mosaic-body`` tag a 0.1 publish wrote, so a new algorithm
    never makes them look edited.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kept = sorted((name, value or "") for name, value in attrs if name != "id")
        self.parts.append(f"<{tag} {kept}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text:
            self.parts.append(text)


def _digest(name: str, content: str) -> str:
    payload = f"{' '.join(name.split())}\x1e{content}"
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


def _markdown(body: str) -> str:
    return "\n".join(line.rstrip() for line in body.strip().splitlines())


def fingerprint(name: str, body: str, markdown: bool) -> str:
    """What ``mosaic-body`` holds for a page named *name* with *body* (format 2).

    Why a new format is safe for pages published before it: the tag value says its
    format, and :func:`body_matches` compares a page with a format-1 value the old way,
    so no page counts as edited because the algorithm changed.  Nor does the change
    rewrite pages: whether a page is written at all is decided by its ``mosaic-hash``
    (the build's content hash), never by this fingerprint, so a page gets a format-2
    value the next time its source changes and is written anyway.
    """
    if markdown:
        content = _markdown(body)
    else:
        parser = _ReaderView()
        parser.feed(body)
        parser.close()
        content = "\x1f".join(parser.parts)
    return f"{BODY_FORMAT}-{_digest(name, content)}"


def import_fingerprint(name: str, body: str) -> str:
    """The ``mosaic-body`` value (format ``2i``) of a page BookStack's importer creates.

    The importer replaces each ``[[bsexport:...]]`` reference with a URL only the server
    knows, so the fingerprint leaves out every address into the wiki (the reference here,
    the URL in the stored page) and keeps everything else, fragments included: a person's
    unchanged save of an imported page is no edit, a changed word is.  (A link re-pointed
    to another page of the wiki goes unnoticed until the page is next written by the
    publisher, which then records a full format-2 fingerprint.)
    """
    parser = _ReaderView(addresses=False)
    parser.feed(body)
    parser.close()
    return f"{IMPORT_FORMAT}-{_digest(name, chr(0x1F).join(parser.parts))}"


def legacy_fingerprint(name: str, body: str, markdown: bool) -> str:
    """The format-1 ``mosaic-body`` value (sphinx-mosaic 0.1) of a page."""
    if markdown:
        return _digest(name, _markdown(body))
    parser = _LegacyFingerprint()
    parser.feed(body)
    parser.close()
    return _digest(name, "\x1f".join(parser.parts))


def body_matches(value: str, name: str, body: str, markdown: bool) -> bool:
    """Does a page named *name* holding *body* look as it did when *value* was written?"""
    if value.startswith(f"{BODY_FORMAT}-"):
        return fingerprint(name, body, markdown) == value
    if value.startswith(f"{IMPORT_FORMAT}-"):
        return not markdown and import_fingerprint(name, body) == value
    return legacy_fingerprint(name, body, markdown) == value


#: The build's "Last updated" line: its date follows the source file, so the page built from
#: a source that took in a wiki edit carries a newer date than the wiki's copy.
_LAST_UPDATED = re.compile(r"<p\b[^>]*>\s*(?:<span>)?Last updated: [^<]*.*?</p>", re.S)
#: A root-relative address into the wiki (a link the builder predicted for another book).
_ROOT_RELATIVE = re.compile(r"""((?:href|src)=["'])(?=/(?:books|link|uploads|attachments)/)""")


def _reader_view(html: str) -> list[str]:
    html = _ROOT_RELATIVE.sub(r"\1https://wiki", _LAST_UPDATED.sub("", html))
    parser = _ReaderView(addresses=False)
    parser.feed(html)
    parser.close()
    return parser.parts


def wiki_body_is(detail: dict[str, Any], page: Page) -> bool:
    """Does the wiki's copy of a page (*detail*) read as the build's *page* does?

    True once a wiki edit has been brought into the source (``sphinx-mosaic pull``)
    and the source rebuilt: writing the page then tramples nothing.  Compared as a
    reader sees it, addresses into the wiki set aside (we send ``[[bsexport:...]]``
    references and predicted paths, BookStack stores URLs) and the "Last updated"
    line left out (the merge gives the source a newer date).  The names must be the
    same: a page renamed in the wiki is an edit the write would undo.
    """
    if " ".join(str(detail.get("name") or "").split()) != " ".join(page.name.split()):
        return False
    if page.markdown or detail.get("markdown"):
        return _markdown(str(detail.get("markdown") or "")) == _markdown(page.markdown)
    return _reader_view(str(detail.get("raw_html") or "")) == _reader_view(page.html)


def _user(value: Any) -> tuple[int | None, str]:
    """BookStack gives ``created_by``/``updated_by`` as an id or as ``{id, name, slug}``."""
    if isinstance(value, dict):
        raw = value.get("id")
        return (int(raw) if raw is not None else None), str(value.get("name") or "")
    if isinstance(value, int):
        return value, f"user #{value}"
    return None, "someone"


@dataclass(frozen=True)
class WikiEdit:
    """A page changed in the wiki since the last publish."""

    key: str
    name: str
    page_id: int
    who: str
    when: str
    url: str

    def describe(self) -> str:
        return f"edited in the wiki by {self.who} on {self.when}: {self.url}"


def edited(detail: dict[str, Any], tags: dict[str, str]) -> bool:
    """Does the page as the server holds it (*detail*) differ from what we last wrote?"""
    revision = tags.get(TAG_REVISION)
    if revision is not None and str(detail.get("revision_count")) == revision:
        return False
    body = tags.get(TAG_BODY)
    if body is not None:
        markdown = bool(detail.get("markdown"))
        stored = (
            str(detail.get("markdown") or "") if markdown else str(detail.get("raw_html") or "")
        )
        return not body_matches(body, str(detail.get("name") or ""), stored, markdown)
    creator, _ = _user(detail.get("created_by"))
    editor, _ = _user(detail.get("updated_by"))
    return creator is not None and editor is not None and creator != editor


def read_pages(
    client: BookStackClient, state: ServerState, plan: Plan
) -> dict[str, dict[str, Any]]:
    """The current server copy of every owned page whose content the plan rewrites."""
    wanted = [a for a in plan.pages if a.kind in CONTENT_WRITES and a.remote_id is not None]

    def read(action: Action) -> tuple[str, dict[str, Any] | None]:
        try:
            detail: dict[str, Any] = client.get(f"/api/pages/{action.remote_id}")
        except RequestRejected as exc:
            if exc.status != 404:
                raise
            return action.key, None  # deleted meanwhile: the write reports it
        return action.key, detail

    if not wanted:
        return {}
    with ThreadPoolExecutor(max_workers=client.settings.concurrency) as pool:
        return {key: detail for key, detail in pool.map(read, wanted) if detail is not None}


def find_wiki_edits(
    state: ServerState,
    plan: Plan,
    details: dict[str, dict[str, Any]],
    pages: Mapping[str, Page] | None = None,
) -> list[WikiEdit]:
    """The planned content writes that would overwrite an edit made in the wiki.

    With the build's *pages*, an edited page whose wiki copy already reads as the page
    about to be written (the edit was pulled into the source) is no edit to protect.
    """
    found = []
    for action in plan.pages:
        detail = details.get(action.key)
        remote = state.pages.get(action.key)
        if detail is None or remote is None:
            continue
        tags = {str(t.get("name")): str(t.get("value") or "") for t in remote.tags}
        if not edited(detail, tags):
            continue
        page = pages.get(action.key) if pages is not None else None
        if page is not None and wiki_body_is(detail, page):
            continue
        _, who = _user(detail.get("updated_by"))
        found.append(
            WikiEdit(
                key=action.key,
                name=str(detail.get("name") or remote.name),
                page_id=remote.id,
                who=who or "someone",
                when=str(detail.get("updated_at") or "an unknown time"),
                url=f"{state.base_url}/link/{remote.id}",
            )
        )
    return found


def guard(plan: Plan, edits: list[WikiEdit], overwrite: bool) -> Plan:
    """The plan with each edited page kept (or, with *overwrite*, marked as overwriting)."""
    by_key = {edit.key: edit for edit in edits}
    pages = []
    for action in plan.pages:
        edit = by_key.get(action.key)
        if edit is None:
            pages.append(action)
        elif overwrite:
            reasons = (*action.reasons, f"overwrites an edit by {edit.who} on {edit.when}")
            pages.append(dataclasses.replace(action, reasons=reasons))
        else:
            pages.append(dataclasses.replace(action, kind=Kind.EDITED, reasons=(edit.describe(),)))
    return dataclasses.replace(plan, pages=pages)
