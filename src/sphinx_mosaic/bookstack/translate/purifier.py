"""HTML we did not write, shaped as BookStack's content filter leaves it.

Since v25.12.4 BookStack runs page HTML through HTML Purifier (an HTML5
allow-list) when it shows a page, and its editor is filled with that filtered
HTML for anyone but the page's author: a colleague's save stores it.  What the
filter would change is changed here, at build time, so the page stored by the
import is the page readers see, before and after such a save.
:mod:`~sphinx_mosaic.bookstack.format.html` has already removed what the
allow-list lacks (elements, attributes, CSS properties, URLs); this pass does
what HTML Purifier does beyond removals:

* a ``details`` gets its first ``summary`` first (browsers label it with the
  first ``summary`` wherever it stands, so nothing visible moves), a second
  ``summary`` becomes its content, and a ``details`` without one gets
  ``<summary>Details</summary>``, the label browsers show for it;
* an ``id`` already used earlier on the page is removed (HTML Purifier keeps
  the first), with a warning, since links to it land on the first;
* a CSS declaration whose value is a custom property (``var(--x)``) is
  removed: HTML Purifier's value checks refuse it;
* an ``img`` without ``alt`` gets ``alt=""``: HTML Purifier would give it the
  file name of its final URL, which only the server knows, so the filter
  would change the page on every showing.

It runs only on pages holding raw HTML or the HTML of other extensions'
visitors: the translator writes none of these itself.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

#: The label browsers show for a ``details`` without ``summary``.
DEFAULT_SUMMARY = "Details"


def _needs_work(html: str) -> bool:
    lowered = html.lower()
    return any(part in lowered for part in ("<details", " id=", "var(", "<img"))


def purify(html: str) -> tuple[str, list[str]]:
    """(*html* as BookStack's filter leaves it, what was removed, in words)."""
    if not _needs_work(html):
        return html, []
    tree = LexborHTMLParser("<body>" + html)
    body = tree.body
    assert body is not None
    removed: list[str] = []
    changed = False
    seen: set[str] = set()
    for element in body.traverse():
        if not element.is_element_node or element.tag in ("body", "html"):
            continue
        ident = element.attributes.get("id")
        if ident is not None:
            if ident in seen:
                removed.append(f'the second id="{ident}" (on <{element.tag}>)')
                del element.attrs["id"]
                changed = True
            seen.add(ident)
        if element.tag == "img" and "alt" not in element.attributes:
            element.attrs["alt"] = ""
            changed = True
        style = element.attributes.get("style")
        if style and "var(" in style.lower():
            kept = [part for part in style.split(";") if "var(" not in part.lower()]
            gone = [part.strip() for part in style.split(";") if "var(" in part.lower()]
            removed.append(f"CSS {'; '.join(gone)!r} (on <{element.tag}>)")
            if any(part.strip() for part in kept):
                element.attrs["style"] = ";".join(kept).strip()
            else:
                del element.attrs["style"]
            changed = True
    for details in tree.css("details"):
        changed = _summary_first(tree, details) or changed
    if not changed:
        return html, removed
    return body.inner_html or "", removed


def _summary_first(tree: LexborHTMLParser, details: LexborNode) -> bool:
    """HTML Purifier's content model of ``details``: one ``summary``, first."""
    children = list(details.iter(include_text=True))
    summaries = [child for child in children if child.tag == "summary"]
    first = next(
        (child for child in children if not child.is_text_node or (child.text() or "").strip()),
        None,
    )
    if not summaries:
        summary = tree.create_node("summary")
        summary.insert_child(DEFAULT_SUMMARY)
        if first is None:
            details.insert_child(summary, move=True)
        else:
            first.insert_before(summary, move=True)
        return True
    changed = False
    if first is not None and first.mem_id != summaries[0].mem_id:
        first.insert_before(summaries[0], move=True)
        changed = True
    for extra in summaries[1:]:
        extra.unwrap()
        changed = True
    return changed


__all__ = ["DEFAULT_SUMMARY", "purify"]
