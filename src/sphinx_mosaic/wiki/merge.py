"""A three-way merge of one page, block by block, written back into its source file.

*base* is the page HTML we last published, *theirs* the page as the wiki holds it
now, *ours* the page HTML built from the source as it is now.  All three are cut
into top-level blocks by the converter (:func:`~sphinx_mosaic.wiki.convert.convert_page`),
each keeping the ``bkmrk-`` ids of its elements: BookStack's editors keep an
element's id when a person edits its text, so base and theirs blocks pair up by
id, and ours blocks by id too.

What changed from base to theirs is then brought into the source:

- a block changed in the wiki and not in Git is patched in place: the words that
  changed between the base block's MyST and the wiki block's MyST are found in the
  block's lines of the source (with as much surrounding text as makes the place
  unique, white space matching any white space) and replaced there, so the
  source keeps its own syntax (reST too) and ``git diff`` shows the changed words;
  when that is not possible and the source block is spelled exactly as the
  converter spells it, the block is replaced whole;
- a block removed in the wiki is removed from the source; a block added in the
  wiki is written (as MyST) after the block it follows;
- anything else, a block changed in Git and in the wiki, a block the merge cannot
  find in the source, a new block in a reST source, a block holding HTML that
  MyST cannot say, is a :class:`Conflict`: the caller writes it to a side file,
  so nothing is lost.

A source block is found by aligning the source's top-level blocks (markdown-it's
line map for MyST, runs of non-blank lines for reST) with ours blocks on their
words, in order.
"""

from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup

from sphinx_mosaic.wiki.convert import Block, convert_page
from sphinx_mosaic.wiki.fmt import canonical

#: A word, a run of white space, or one other character: the unit of an in-place patch.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_WORD = re.compile(r"\w+")
#: Below this share of common words a source block is not taken for a page block.
_MIN_SIMILARITY = 0.5
#: At most this many tokens of context on each side of a change to place it.
_MAX_CONTEXT = 12
#: The converter's fence for HTML MyST cannot say.
_RAW = "{raw} html"


@dataclass(frozen=True)
class Conflict:
    """A wiki change not brought into the source, with what is needed to do it by hand."""

    why: str
    #: The block as the wiki holds it now, in MyST ("" when the wiki removed it).
    theirs: str
    #: The block as we last published it, in MyST ("" when the wiki added it).
    base: str = ""
    #: The block as the source builds now, in MyST ("" when Git removed it).
    ours: str = ""


@dataclass
class MergeResult:
    """The merged source text, the changes it took in and the ones it could not."""

    text: str
    applied: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.applied)


def _key(block: Block) -> str:
    return "id:" + " ".join(block.ids) if block.ids else "md:" + block.markdown


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _html_words(html: str) -> list[str]:
    return _words(BeautifulSoup(html, "html.parser").get_text(" "))


@dataclass(frozen=True)
class SourceBlock:
    """Lines ``start`` to ``end`` (exclusive, 0-based) of the source: one top-level block."""

    start: int
    end: int
    words: tuple[str, ...]


def source_blocks(text: str, markdown: bool) -> list[SourceBlock]:
    """The top-level blocks of a source file, front matter left out."""
    lines = text.splitlines()
    spans: list[tuple[int, int]] = []
    if markdown:
        from markdown_it.renderer import RendererHTML
        from myst_parser.config.main import MdParserConfig
        from myst_parser.parsers.mdit import create_md_parser

        config = MdParserConfig(
            enable_extensions={"colon_fence", "deflist", "fieldlist", "dollarmath", "tasklist"}
        )
        parser = create_md_parser(config, RendererHTML)
        for token in parser.parse(text):
            if token.level == 0 and token.map and token.nesting >= 0:
                if token.type == "front_matter":
                    continue
                spans.append((token.map[0], token.map[1]))
    else:
        start: int | None = None
        for n, line in enumerate([*lines, ""]):
            if line.strip() and start is None:
                start = n
            elif not line.strip() and start is not None:
                spans.append((start, n))
                start = None
    return [SourceBlock(s, e, tuple(_words("\n".join(lines[s:e])))) for s, e in spans]


def _similarity(a: tuple[str, ...] | list[str], b: tuple[str, ...] | list[str]) -> float:
    if not a or not b:
        return 1.0 if a == b else 0.0
    if not set(a) & set(b):
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def align(blocks: list[Block], sources: list[SourceBlock]) -> dict[int, SourceBlock]:
    """Page block index -> the source block it came from, in order (a weighted LCS)."""
    words = [_html_words(b.html) for b in blocks]
    n, m = len(blocks), len(sources)
    sim = [[_similarity(words[i], sources[j].words) for j in range(m)] for i in range(n)]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = sim[i][j] + best[i + 1][j + 1] if sim[i][j] >= _MIN_SIMILARITY else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    found: dict[int, SourceBlock] = {}
    i = j = 0
    while i < n and j < m:
        if sim[i][j] >= _MIN_SIMILARITY and best[i][j] == sim[i][j] + best[i + 1][j + 1]:
            found[i] = sources[j]
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return found


def _pattern(tokens: list[str]) -> str:
    return "".join(r"\s+" if t.isspace() else re.escape(t) for t in tokens)


def patch(segment: str, old: str, new: str) -> str | None:
    """*segment* with the changes from *old* to *new* made in place, or None if any
    change cannot be placed in it exactly once.

    Each change is looked for with 0, 1, 2... tokens of *old* around it until the pattern
    occurs exactly once in *segment* and exactly once in *old*."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    spans: list[tuple[int, int, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        replacement = "".join(b[j1:j2])
        for k in range(_MAX_CONTEXT + 1):
            if k == 0 and i1 == i2:
                continue
            left, right = a[max(0, i1 - k) : i1], a[i2 : i2 + k]
            regex = f"{_pattern(left)}(?P<old>{_pattern(a[i1:i2])}){_pattern(right)}"
            matches = list(re.finditer(regex, segment))
            if not matches:
                return None
            # Unique in the source and in the old block: a change of "2" in "nested 2" is
            # not placed on the "2." of the next list item.
            if len(matches) == 1 and len(re.findall(regex, old)) == 1:
                spans.append((matches[0].start("old"), matches[0].end("old"), replacement))
                break
            if i1 - k <= 0 and i2 + k >= len(a):
                return None  # the whole block is there twice
        else:
            return None
    spans.sort()
    for first, second in itertools.pairwise(spans):
        if second[0] < first[1]:
            return None
    for start, end, replacement in reversed(spans):
        segment = segment[:start] + replacement + segment[end:]
    return segment


def _pair(base: list[Block], theirs: list[Block]) -> list[tuple[Block | None, Block | None, int]]:
    """(base block, theirs block, index of the base block it follows) for each change."""
    changes: list[tuple[Block | None, Block | None, int]] = []
    a, b = [_key(x) for x in base], [_key(x) for x in theirs]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                if base[i].markdown != theirs[j].markdown:
                    changes.append((base[i], theirs[j], i))
            continue
        changes.extend((base[i], None, i) for i in range(i1, i2))
        changes.extend((None, theirs[j], i1 - 1) for j in range(j1, j2))
    return changes


def merge(
    base_html: str,
    theirs_html: str,
    ours_html: str,
    source: str,
    markdown: bool,
    unwritable: str = "",
) -> MergeResult:
    """Bring the wiki's changes (base to theirs) into *source* (which builds *ours_html*).

    A wiki block that holds *unwritable* (a placeholder the caller put where the source
    cannot say what the wiki says) more often than the base block is a conflict.
    """

    def sayable(new: Block, old: Block | None) -> bool:
        before = old.markdown if old is not None else ""
        if new.markdown.count(_RAW) > before.count(_RAW):
            return False
        return not unwritable or new.markdown.count(unwritable) <= before.count(unwritable)

    base = convert_page(base_html).blocks
    theirs = convert_page(theirs_html).blocks
    ours = convert_page(ours_html).blocks
    ours_by_key = {_key(b): (n, b) for n, b in reversed(list(enumerate(ours)))}
    lines = source.splitlines()
    located = align(ours, source_blocks(source, markdown))
    result = MergeResult(source)
    #: (start line, end line, replacement lines), never overlapping.
    edits: list[tuple[int, int, list[str]]] = []

    def where(block: Block | None) -> tuple[Block | None, SourceBlock | None]:
        if block is None:
            return None, None
        n, mine = ours_by_key.get(_key(block), (-1, None))
        return mine, located.get(n) if mine is not None else None

    for old, new, after in _pair(base, theirs):
        if old is not None and new is not None:
            mine, spot = where(old)
            if mine is not None and mine.markdown == new.markdown:
                continue  # Git has made the same change
            if mine is None or mine.markdown != old.markdown:
                result.conflicts.append(
                    Conflict(
                        "changed in Git and in the wiki",
                        new.markdown,
                        old.markdown,
                        mine.markdown if mine else "",
                    )
                )
                continue
            if not sayable(new, old):
                result.conflicts.append(
                    Conflict(
                        "the wiki's HTML or link has no spelling in the source",
                        new.markdown,
                        old.markdown,
                    )
                )
                continue
            if spot is None:
                result.conflicts.append(
                    Conflict("not found in the source", new.markdown, old.markdown)
                )
                continue
            segment = "\n".join(lines[spot.start : spot.end])
            if patch(segment, new.markdown, old.markdown) is not None:
                continue  # the source says the wiki's version already (pulled, not rebuilt)
            patched = patch(segment, old.markdown, new.markdown)
            if patched is None and markdown and canonical(segment).rstrip("\n") == old.markdown:
                patched = new.markdown
            if patched is None:
                result.conflicts.append(
                    Conflict("cannot be written in the source's syntax", new.markdown, old.markdown)
                )
                continue
            edits.append((spot.start, spot.end, patched.split("\n")))
            result.applied.append(f"changed: {_summary(new.markdown, old.markdown)}")
        elif old is not None:
            mine, spot = where(old)
            if mine is None:
                continue  # removed in Git too
            if mine.markdown != old.markdown:
                result.conflicts.append(
                    Conflict("changed in Git, removed in the wiki", "", old.markdown, mine.markdown)
                )
                continue
            if spot is None:
                result.conflicts.append(
                    Conflict("removed in the wiki, not found in the source", "", old.markdown)
                )
                continue
            end = spot.end
            if end < len(lines) and not lines[end].strip():
                end += 1  # and the blank line after it
            edits.append((spot.start, end, []))
            result.applied.append(f"removed: {_summary(old.markdown)}")
        elif new is not None:
            if not markdown:
                result.conflicts.append(
                    Conflict("added in the wiki; a reST source takes it by hand", new.markdown)
                )
                continue
            if not sayable(new, None):
                result.conflicts.append(
                    Conflict(
                        "added in the wiki with HTML or a link the source cannot say",
                        new.markdown,
                    )
                )
                continue
            # After the block it follows; else before the next block the source has (the
            # blocks before it may be written by the build: a status badge, a path box).
            _, spot = where(base[after] if after >= 0 else None)
            if spot is not None:
                edits.append((spot.end, spot.end, ["", *new.markdown.split("\n")]))
            else:
                spot = next(
                    (s for s in (where(b)[1] for b in base[after + 1 :]) if s is not None), None
                )
                if spot is None:
                    result.conflicts.append(
                        Conflict(
                            "added in the wiki; no place for it found in the source", new.markdown
                        )
                    )
                    continue
                edits.append((spot.start, spot.start, [*new.markdown.split("\n"), ""]))
            result.applied.append(f"added: {_summary(new.markdown)}")
    result.text = _apply(source, lines, edits, result)
    return result


def _apply(
    source: str, lines: list[str], edits: list[tuple[int, int, list[str]]], result: MergeResult
) -> str:
    if not edits:
        return source
    # Insertions at one place keep the wiki's order: a stable sort on the start line.
    edits = sorted(edits, key=lambda e: (e[0], e[1]))
    out: list[str] = []
    at = 0
    for start, end, replacement in edits:
        if start < at:  # two changes on one source block: never guess
            result.conflicts.append(
                Conflict("two wiki changes in one source block", "\n".join(replacement))
            )
            continue
        out.extend(lines[at:start])
        out.extend(replacement)
        at = end
    out.extend(lines[at:])
    return "\n".join(out) + ("\n" if source.endswith("\n") else "")


def _summary(markdown: str, before: str = "") -> str:
    """The first line of *markdown* that *before* does not have (or its first line)."""
    old = set(before.splitlines())
    lines = [x.strip() for x in markdown.splitlines() if x.strip()]
    line = next((x for x in lines if x not in old), lines[0] if lines else "")
    return line if len(line) <= 60 else line[:57] + "..."
