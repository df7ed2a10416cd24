"""Read what the layout needs from a source file: front matter and first heading.

Plain Python (no Sphinx import) so the command line and the publisher can use
it.  Only the top of a file matters, but a file is read whole because a title
may follow a long front matter block.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.colon_fence import colon_fence_plugin

from sphinx_mosaic.suggest import closest

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RST_ADORNMENT = re.compile(r"""^([!-/:-@\[-`{-~])\1{2,}\s*$""")
_SURROGATE = re.compile("[\ud800-\udfff]")
_TOCTREE = re.compile(r"^\s*(?:\.\.\s+toctree::|(?:`{3,}|~{3,}|:{3,})\s*\{toctree\})", re.MULTILINE)


@dataclass
class SourceInfo:
    """What the layout model reads from one source file."""

    heading: str | None = None
    front_matter: dict[str, Any] = field(default_factory=dict)
    #: A problem with the front matter: (line, message).
    front_matter_error: tuple[int, str] | None = None
    #: Whether the file writes a toctree directive (reST, MyST fence or ::: block).
    has_toctree: bool = False
    #: Front matter keys that look like a mistyped key of ours: (line, message).
    front_matter_typos: list[tuple[int, str]] = field(default_factory=list)


#: The front matter keys sphinx-mosaic reads.
OUR_KEYS = ("title", "status", "status_badge", "last_updated", "page_footer", "audience")
#: Keys other tools read (Sphinx's file-wide metadata, MyST, Jupytext, common blog fields):
#: never reported, even when they are close to one of ours.
OTHER_KEYS = frozenset(
    {
        "orphan", "nocomments", "nosearch", "tocdepth", "html_meta", "myst", "substitutions",
        "jupytext", "kernelspec", "author", "authors", "date", "tags", "description",
        "keywords", "summary", "subtitle", "slug", "category", "categories", "draft",
    }
)  # fmt: skip
_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
_YAML_KEY = re.compile(r"^\s*[\w-]+\s*:(\s|$)")


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split ``---`` front matter off *text*; returns (yaml, body, body's first line)."""
    if not text.startswith("---"):
        return None, text, 1
    lines = text.splitlines(keepends=True)
    if lines[0].rstrip() != "---":
        return None, text, 1
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "".join(lines[1:number]), "".join(lines[number + 1 :]), number + 2
    return None, text, 1


def parse_front_matter(block: str) -> tuple[dict[str, Any], tuple[int, str] | None]:
    """Parse a front matter block; a malformed block gives an error and no data."""
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        # The context mark points at the construct that was left open (an
        # unclosed bracket), the problem mark at where the parser gave up.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = (mark.line + 2) if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return {}, (line, f"malformed front matter: {problem}")
    # The errors below carry no position: point at the block's first line.
    except ValueError as exc:
        # YAML reads what looks like a date or a number and Python refuses it:
        # 2024-02-30, an integer of 5,000 digits (the same errors MyST catches).
        reason = str(exc).split(";")[0]
        return {}, (
            2,
            f"malformed front matter: a value YAML reads as a date or number is not one "
            f"({reason}); quote it to keep it as text",
        )
    except RecursionError:
        return {}, (2, "malformed front matter: brackets or indentation nested too deeply")
    except (AttributeError, IndexError, KeyError, TypeError) as exc:
        # PyYAML's constructors fail this way on explicit tags with values they
        # cannot read: !!timestamp abc, !!bool x, !!int _ (one page's front
        # matter must never stop the build).
        return {}, (
            2,
            f"malformed front matter: a tagged value YAML cannot read ({type(exc).__name__}: "
            f"{exc}); remove the !! tag",
        )
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        return {}, (1, "front matter must be a mapping of keys to values")
    try:
        # Titles and the other fields are used as text: an integer too long for
        # Python to print (0xfff... of 4,000 digits) must fail here, not later.
        str(data)
    except ValueError as exc:
        return {}, (2, f"malformed front matter: {str(exc).split(';')[0]}; quote the value")
    if _holds_surrogate(data, set()):
        # YAML decodes "\ud800" to a lone surrogate, which no output can encode:
        # as a title it would stop the build when Sphinx writes its inventory.
        return {}, (
            2,
            "malformed front matter: a \\u escape names a lone UTF-16 surrogate "
            "(\\ud800 to \\udfff), which is not a character; write the character itself",
        )
    return {str(key): value for key, value in data.items()}, None


def _holds_surrogate(value: Any, seen: set[int]) -> bool:
    """Whether a loaded YAML value holds a lone surrogate (YAML anchors can make
    a list contain itself, hence *seen*)."""
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if id(value) in seen or not isinstance(value, (dict, list)):
        return False
    seen.add(id(value))
    items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
    return any(_holds_surrogate(item, seen) for item in items)


def _candidate_line(body: str) -> int | None:
    """The index of the line after the first line that may make a heading (an ATX
    heading, or a setext underline), outside code fences: a quick scan, which
    markdown-it-py then confirms."""
    fence: str | None = None
    previous = ""
    for index, line in enumerate(body.splitlines()):
        match = _FENCE.match(line)
        if match:
            marker = match.group(1)
            if fence is None:
                fence = marker[0] * len(marker)
            elif marker.startswith(fence):
                fence = None
            previous = ""
            continue
        if fence is not None:
            continue
        atx = _ATX.match(line)
        if (atx and atx.group(2)) or (_SETEXT.match(line) and previous.strip()):
            return index + 1
        previous = line
    return None


@functools.cache
def _markdown() -> MarkdownIt:
    # CommonMark with MyST's ::: fences, whose content is a directive's, not the page's.
    return MarkdownIt("commonmark").use(colon_fence_plugin)


def _first_heading(body: str) -> str | None:
    tokens = _markdown().parse(body)
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0:
            inline = tokens[index + 1]
            parts = [
                child.content
                for child in inline.children or []
                if child.type in ("text", "code_inline", "softbreak")
            ]
            return " ".join("".join(parts).split()) or None
    return None


def markdown_heading(body: str) -> str | None:
    """The text of the first top-level heading (ATX or setext) of a Markdown body, as
    markdown-it-py (MyST's parser) reads it, without inline markup.

    Only the lines up to the first candidate heading (and the one after it, which may
    make it a setext heading) are parsed, so a long page costs a short parse; when
    they hold no heading after all (the candidate sat in an HTML block, say), the
    whole body is."""
    end = _candidate_line(body)
    if end is None:
        return None
    lines = body.splitlines(keepends=True)
    return _first_heading("".join(lines[: end + 1])) or _first_heading(body)


def rst_heading(body: str) -> str | None:
    """The first section title of a reStructuredText body."""
    lines = body.splitlines()
    for index, line in enumerate(lines[:-1]):
        text = line.strip()
        if not text or _RST_ADORNMENT.match(line) or line[:1].isspace():
            continue
        below = lines[index + 1]
        if _RST_ADORNMENT.match(below) and len(below.rstrip()) >= len(text):
            return text
    return None


def read_source(path: Path) -> SourceInfo:
    """Read *path* and return its front matter and first heading.

    Undecodable bytes are replaced, never raised: a broken file still gets a
    place in the layout (Sphinx reports the encoding problem itself).
    """
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return SourceInfo()
    text = text.lstrip("\ufeff")
    info = SourceInfo(has_toctree=_TOCTREE.search(text) is not None)
    if path.suffix == ".rst":
        info.heading = rst_heading(text)
        return info
    block, body, _ = split_front_matter(text)
    if block is not None:
        info.front_matter, info.front_matter_error = parse_front_matter(block)
        info.front_matter_typos = _typos(block, info.front_matter)
    elif _unclosed_front_matter(text):
        info.front_matter_error = (
            1,
            "front matter is not closed: the '---' on line 1 opens it but no '---' line ends "
            "it, so its lines are shown as text; add a '---' line after the last key",
        )
    info.heading = markdown_heading(body)
    return info


def _unclosed_front_matter(text: str) -> bool:
    """A first line ``---`` followed by ``key: value`` and no closing line: front matter
    left open (a ``---`` rule followed by prose is a thematic break, not this)."""
    lines = text.splitlines()
    if not lines or lines[0].rstrip() != "---":
        return False
    following = next((line for line in lines[1:] if line.strip()), "")
    return _YAML_KEY.match(following) is not None


def _typos(block: str, data: dict[str, Any]) -> list[tuple[int, str]]:
    """Keys no tool reads that are one typo away from a key of ours (``stauts``)."""
    found = []
    for number, line in enumerate(block.splitlines(), start=2):
        match = _KEY_LINE.match(line)
        if match is None:
            continue
        key = match.group(1)
        if key not in data or key in OUR_KEYS or key.casefold() in OTHER_KEYS:
            continue
        meant = closest(key, OUR_KEYS)
        if meant is not None:
            found.append(
                (
                    number,
                    f"unknown front matter key {key!r} (did you mean {meant!r}?); it is "
                    f"ignored, so the page has no {meant.replace('_', ' ')} from it",
                )
            )
    return found
