"""Per-page translation results, cached between builds.

The translator writes one :class:`Fragment` per document (JSON, in the doctree
folder).  A fragment holds the page HTML with *tokens* in place of anything
whose final form depends on other pages: ``[[mosaic:link:N]]``,
``[[mosaic:image:N]]`` and ``[[mosaic:attachment:N]]`` index the fragment's
``links``, ``images`` and ``attachments`` lists.  ZIP ids, priorities and the
names of other pages are only decided when the books are assembled, so an
edit to one page re-translates that page alone.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util.logging import get_node_location

if TYPE_CHECKING:
    from docutils.nodes import Node

#: Prefix of the URIs the BookStack builder gives documents: a link to a document is
#: recorded in its page's fragment and resolved when the books are assembled.
INTERNAL_URI = "mosaic-doc:"

TOKEN = re.compile(r"\[\[mosaic:(link|image|attachment):(\d+)\]\]")

#: Bump when the shape or meaning of a fragment changes: older fragments are re-made.
FRAGMENT_VERSION = 3


def token(kind: str, index: int) -> str:
    return f"[[mosaic:{kind}:{index}]]"


@dataclass
class Fragment:
    docname: str
    #: Page body HTML (title left out) with tokens.
    html: str = ""
    #: Whether the body holds anything once the description is taken out.
    has_body: bool = True
    #: The first paragraph, for index pages, in BookStack's description allow-list.
    description_html: str = ""
    #: docutils id -> element id in the page ("" = the page itself).
    anchors: dict[str, str] = field(default_factory=dict)
    #: (target docname, docutils id or "") per link token.
    links: list[tuple[str, str]] = field(default_factory=list)
    #: Source paths (relative to the source folder) per image token.
    images: list[str] = field(default_factory=list)
    #: Source line of each image's first use (0 when docutils gives none), for warnings.
    image_lines: list[int] = field(default_factory=list)
    #: Source paths per attachment token.
    attachments: list[str] = field(default_factory=list)
    #: (node class, line or 0, error) per node whose foreign ``html`` visitor raised;
    #: the builder warns about them in the main process, once per class
    #: (:func:`~sphinx_mosaic.bookstack.translate.report_failures`).
    foreign_failures: list[tuple[str, int, str]] = field(default_factory=list)
    #: (node class, where) of the first node of each class nothing renders (its text is
    #: kept); the builder warns once per class
    #: (:func:`~sphinx_mosaic.bookstack.translate.report_unrendered`).
    unrendered: list[tuple[str, str]] = field(default_factory=list)
    version: int = FRAGMENT_VERSION

    def add_link(self, docname: str, anchor: str) -> str:
        return token("link", self._index(self.links, (docname, anchor)))

    def add_image(self, source: str, line: int | None = None) -> str:
        index = self._index(self.images, source)
        if index == len(self.image_lines):
            self.image_lines.append(line or 0)
        return token("image", index)

    def image_location(self, index: int) -> str | tuple[str, int]:
        """Where image *index* is used: ``(docname, line)``, or the docname alone."""
        line = self.image_lines[index] if index < len(self.image_lines) else 0
        return (self.docname, line) if line else self.docname

    def add_attachment(self, source: str) -> str:
        return token("attachment", self._index(self.attachments, source))

    def add_unrendered(self, node: Node) -> None:
        """Note that nothing renders *node*'s class (called for its first node on the page)."""
        cls = type(node)
        self.unrendered.append((f"{cls.__module__}.{cls.__name__}", get_node_location(node) or ""))

    def add_foreign_failure(self, node: Node, error: Exception) -> None:
        cls = type(node)
        line, holder = 0, node
        while holder is not None and not line:  # the nearest line docutils recorded
            line = getattr(holder, "line", None) or 0
            holder = holder.parent
        reason = f"{type(error).__name__}: {error}"
        self.foreign_failures.append((f"{cls.__module__}.{cls.__name__}", line, reason))

    @staticmethod
    def _index(items: list, item: object) -> int:  # type: ignore[type-arg]
        if item in items:
            return items.index(item)
        items.append(item)
        return len(items) - 1

    def dump(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)
        path.write_text(text, encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Fragment | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("version") != FRAGMENT_VERSION:
            return None
        data["links"] = [tuple(link) for link in data.get("links", [])]
        data["foreign_failures"] = [tuple(item) for item in data.get("foreign_failures", [])]
        data["unrendered"] = [tuple(item) for item in data.get("unrendered", [])]
        return cls(**data)


def fragment_folder(cache: Path) -> Path:
    """Where the fragments of this :data:`FRAGMENT_VERSION` live, in the cache folder.

    The version is in the folder's name: a fragment is current when it is newer than its
    sources, and a fragment of another version would pass that test, be refused by
    :meth:`Fragment.load` and leave its page empty (the environment's own version
    bump does not help when an ``html`` build re-read the sources first, as
    ``sphinx-build -M`` builds sharing one doctree folder do).  In a folder of its
    own, a fragment of another version is simply missing, and its page is translated.
    """
    return cache / f"fragments-v{FRAGMENT_VERSION}"


def remove_other_versions(cache: Path) -> None:
    """Remove the fragment folders of other versions (``fragments``, ``fragments-v2``...)."""
    current = fragment_folder(cache)
    for folder in cache.glob("fragments*"):
        if folder.is_dir() and folder != current:
            shutil.rmtree(folder, ignore_errors=True)


def fragment_path(cache: Path, docname: str) -> Path:
    return fragment_folder(cache) / f"{docname}.json"
