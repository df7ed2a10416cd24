"""Two bookstack builds compared block by block: the round trip's measure.

A tree built to BookStack, imported back and built again should give the same
pages.  Each page's top-level blocks are compared with what may differ on its
own removed: ``id`` attributes (ids of blocks are made from their text, and a
re-import may renumber duplicates), which image file an image token names (the
files' bytes are compared instead), and the "Last updated" line.  Pages are
matched by book, chapter and name; blocks by a longest-common-subsequence
alignment (difflib), so one changed block counts once.

Run ``python -m sphinx_mosaic.wiki.compare BUILD_A BUILD_B`` for the share of
identical blocks and a count per construct.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import sys
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Tag

_IMAGE = re.compile(r"\[\[bsexport:image:(\d+)\]\]")
#: Whitespace before a block-level tag is not content.
_BETWEEN_BLOCKS = re.compile(
    r"\s+(</?(?:p|pre|ul|ol|li|dl|dt|dd|details|summary|table|thead|tbody|tr|td|th|"
    r"caption|colgroup|col|div|blockquote)\b)"
)
#: Whitespace after a line break starts the next line: not shown.
_AFTER_BREAK = re.compile(r"<br/>\s+")
_PAGE = re.compile(r"\[\[bsexport:(page|chapter|book):(\d+)\]\]")


@dataclass
class Comparison:
    blocks: int = 0
    identical: int = 0
    #: construct -> [blocks, identical]
    constructs: dict[str, list[int]] = field(default_factory=dict)
    missing_pages: list[str] = field(default_factory=list)
    differences: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.identical / self.blocks if self.blocks else 1.0


def construct(html: str) -> str:
    """The kind of a top-level block, for the per-construct table."""
    soup = BeautifulSoup(html, "html.parser")
    el = soup.find(True)
    if not isinstance(el, Tag):
        return "text"
    if el.name == "p" and "callout" in (el.get("class") or []):
        return "callout"
    if el.name == "p" and el.find("img") is not None:
        return "image"
    if el.name in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return "heading"
    if el.name == "pre":
        return "code"
    if el.name in ("ul", "ol"):
        return "list"
    if el.name == "p" and el.find("a") is not None:
        return "paragraph with links"
    return {"p": "paragraph", "table": "table", "details": "details", "dl": "definition list"}.get(
        str(el.name), str(el.name)
    )


def _books(build: Path) -> dict[str, dict[str, Any]]:
    """Every page of a bookstack build: (book, chapter, page name) -> its normalised blocks."""
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    pages: dict[str, dict[str, Any]] = {}
    for entry in manifest.get("books", []):
        with zipfile.ZipFile(build / entry["zip"]) as archive:
            data = json.loads(archive.read("data.json"))["book"]
            files = {n: archive.read(n) for n in archive.namelist() if n.startswith("files/")}
        images: dict[str, str] = {}
        names: dict[str, str] = {f"book:{data.get('id')}": data["name"]}
        everything = [(None, p) for p in data.get("pages", [])]
        for chapter in data.get("chapters", []):
            names[f"chapter:{chapter.get('id')}"] = chapter["name"]
            everything += [(chapter["name"], p) for p in chapter.get("pages", [])]
        for _chapter, page in everything:
            names[f"page:{page.get('id')}"] = page["name"]
            for image in page.get("images", []):
                content = files.get(f"files/{image['file']}", b"")
                images[str(image["id"])] = hashlib.sha256(content).hexdigest()[:12]
        for chapter_name, page in everything:
            key = f"{data['name']} / {chapter_name or '-'} / {page['name']}"
            pages[key] = {"blocks": _blocks(page.get("html") or "", images, names)}
    return pages


def _blocks(html: str, images: dict[str, str], names: dict[str, str]) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    out = []
    for el in soup.find_all(True, recursive=False):
        for tag in [el, *el.find_all(True)]:
            tag.attrs.pop("id", None)
        # Attribute-less spans change nothing readers see (BookStack's editor unwraps them).
        for span in el.find_all("span"):
            if not span.attrs:
                span.unwrap()
        # Browsers read a table's rows as in a tbody whether it is written or not.
        for body in el.find_all("tbody"):
            body.unwrap()
        for code in el.find_all("code"):
            # A code block's final newline (MyST fences keep it, reST drops it).
            last = code.contents[-1] if code.contents else None
            if last is not None and isinstance(last, str) and not isinstance(last, Tag):
                last.replace_with(str(last).rstrip("\n"))
        text = str(el)
        text = _IMAGE.sub(lambda m: f"image:{images.get(m.group(1), '?')}", text)
        text = _PAGE.sub(
            lambda m: f"{m.group(1)}:{names.get(f'{m.group(1)}:{m.group(2)}', '?')}", text
        )
        text = re.sub(r"\s+", " ", text).strip()
        text = _BETWEEN_BLOCKS.sub(r"\1", text)
        text = _AFTER_BREAK.sub("<br/>", text)
        if el.name == "p" and el.get_text().startswith("Last updated: "):
            continue
        out.append(text)
    return out


def compare(first: Path, second: Path) -> Comparison:
    """How many of *first*'s blocks *second* has unchanged, page by page."""
    a, b = _books(first), _books(second)
    result = Comparison()
    for key, page in a.items():
        blocks = page["blocks"]
        other = b.get(key, {}).get("blocks")
        if other is None:
            result.missing_pages.append(key)
            other = []
        same = [False] * len(blocks)
        matcher = difflib.SequenceMatcher(a=blocks, b=other, autojunk=False)
        for match in matcher.get_matching_blocks():
            for i in range(match.size):
                same[match.a + i] = True
        for html, ok in zip(blocks, same, strict=True):
            kind = construct(html)
            counts = result.constructs.setdefault(kind, [0, 0])
            counts[0] += 1
            result.blocks += 1
            if ok:
                counts[1] += 1
                result.identical += 1
            else:
                result.differences.append((key, kind, html))
    return result


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2:
        print("usage: python -m sphinx_mosaic.wiki.compare BUILD_A BUILD_B [-v]", file=sys.stderr)
        return 2
    result = compare(Path(args[0]), Path(args[1]))
    print(f"{result.identical} of {result.blocks} blocks identical ({100 * result.share:.1f}%)")
    for kind, (total, same) in sorted(result.constructs.items()):
        print(f"  {kind}: {same}/{total}")
    for key in result.missing_pages:
        print(f"  missing page: {key}")
    if "-v" in args:
        counter = Counter(kind for _, kind, _ in result.differences)
        print(dict(counter))
        for key, kind, html in result.differences:
            print(f"--- {key} [{kind}]\n{html[:400]}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
