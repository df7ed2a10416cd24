"""Admonitions as BookStack callouts.

BookStack's editors store a callout as one ``<p class="callout KIND">`` with
``<br>`` between lines, and know four kinds: ``info``, ``success``,
``warning`` and ``danger`` (research/bookstack.md section 2.2).  Every
admonition type of docutils and Sphinx maps onto one of them; the type's label
(``Note``, ``Tip``, ...) leads the callout in bold, so the distinction the
four colours cannot carry stays readable.
"""

from __future__ import annotations

CALLOUT_KINDS = ("info", "success", "warning", "danger")

#: Admonition (node class or ``versionmodified`` type) -> callout kind.
CALLOUT_OF: dict[str, str] = {
    "note": "info",
    "seealso": "info",
    "admonition": "info",
    "todo_node": "info",
    "hint": "success",
    "tip": "success",
    "important": "warning",
    "attention": "warning",
    "caution": "warning",
    "warning": "warning",
    "danger": "danger",
    "error": "danger",
    # versionmodified directives
    "versionadded": "success",
    "versionchanged": "info",
    "deprecated": "warning",
    "versionremoved": "danger",
}


def callout_kind(name: str) -> str:
    """The callout kind for an admonition *name*; unknown names are ``info``."""
    return CALLOUT_OF.get(name, "info")
