"""Audience reading paths as plain data: what a ``path`` directive records.

A path is recorded at read time as an :class:`AudiencePath` (raw step text,
source lines) and resolved late against the documents of the build into a
:class:`ResolvedPath`, because the pages a step names may be added, renamed or
removed without the defining page being read again.

Step grammar (one step a line; a leading ``1.``, ``-`` or ``*`` is ignored)::

    getting-started/quick-start                 a page: docname, source path or number-free name
                                                (read by the one name resolver, layout/resolve.py)
    Local setup <getting-started/local-setup>   the same with a label
    ... -- a note                               a note after " -- "
    planned: Authentication Flow                a planned step (text only)
    Authentication Flow (to be added)           the same, as teams write it by hand
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LIST_MARKER = re.compile(r"^\s*(?:\d+[.)]|[-*+])\s+")
_EXPLICIT = re.compile(r"^(.+?)\s*<([^<>]+)>$")
_PLANNED_PREFIX = re.compile(r"^(?:planned|to be added|tba)\s*:\s*", re.IGNORECASE)
_PLANNED_SUFFIX = re.compile(r"\s*\((?:planned|to be added|tba)\)$", re.IGNORECASE)
NOTE_SEPARATOR = " -- "
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Step:
    """One step as written: a page reference, or a planned step (text only)."""

    target: str | None  # None for a planned step
    label: str | None
    note: str | None
    line: int

    @property
    def planned(self) -> bool:
        return self.target is None


@dataclass(frozen=True)
class AudiencePath:
    """One ``path`` directive: recorded at read time, in the defining document."""

    id: str
    title: str
    description: str
    audiences: tuple[str, ...]
    steps: tuple[Step, ...]
    docname: str
    line: int
    anchor: str


@dataclass(frozen=True)
class ResolvedStep:
    """A step with its target resolved: ``docname`` is None for planned or unknown pages."""

    number: int
    docname: str | None
    label: str
    note: str | None
    planned: bool
    status: str | None = None


@dataclass(frozen=True)
class ResolvedPath:
    """A path with resolved steps, as every page of the build shows it."""

    id: str
    title: str
    description: str
    audiences: tuple[str, ...]
    docname: str
    anchor: str
    steps: tuple[ResolvedStep, ...]

    def position(self, docname: str) -> int | None:
        """The index of the first step on *docname* (None when it is not in the path)."""
        for index, step in enumerate(self.steps):
            if step.docname == docname:
                return index
        return None

    def neighbours(self, index: int) -> tuple[ResolvedStep | None, ResolvedStep | None]:
        """The previous and next linked steps.

        Planned and unknown steps are skipped (they have no page), and so are
        repeats of the current page (a link to itself leads nowhere).
        """
        here = self.steps[index].docname

        def linked(step: ResolvedStep) -> bool:
            return step.docname is not None and step.docname != here

        before = [s for s in self.steps[:index] if linked(s)]
        after = [s for s in self.steps[index + 1 :] if linked(s)]
        return (before[-1] if before else None, after[0] if after else None)

    @property
    def members(self) -> frozenset[str]:
        return frozenset(s.docname for s in self.steps if s.docname is not None)


def parse_step(text: str, line: int) -> Step | None:
    """Parse one line of a path's content; blank lines give None."""
    text = _LIST_MARKER.sub("", text, count=1).strip()
    if not text:
        return None
    note: str | None = None
    if NOTE_SEPARATOR in text:
        text, note = (part.strip() for part in text.split(NOTE_SEPARATOR, 1))
        note = note or None
    if _PLANNED_PREFIX.match(text) or _PLANNED_SUFFIX.search(text):
        label = _PLANNED_SUFFIX.sub("", _PLANNED_PREFIX.sub("", text, count=1)).strip()
        return Step(target=None, label=label or text, note=note, line=line)
    explicit = _EXPLICIT.match(text)
    if explicit:
        return Step(
            target=explicit.group(2).strip(), label=explicit.group(1).strip(), note=note, line=line
        )
    return Step(target=text, label=None, note=note, line=line)


def printable(text: str) -> str:
    """*text* with lone UTF-16 surrogates replaced by U+FFFD.

    YAML (front matter, a MyST directive's options) decodes ``"\\ud800"`` to a
    lone surrogate, which no builder can write: the build would stop.
    """
    return _SURROGATE.sub("\ufffd", text)


def normalize_audience(value: str) -> str:
    """``"New Users"``, ``new_users`` and ``new-users`` name one audience."""
    return re.sub(r"[\s_]+", "-", printable(value).strip().casefold())
