"""What a rebuild translates and writes again, and the skeleton computed once per build.

Each document is translated into a fragment (in the doctree folder,
``bookstack/fragments-v<version>/``); a document is translated again when it was read
again, when its fragment is older than its source or a dependency, or when it
became, or stopped being, a book or chapter (its description is held apart).
The finished ZIPs are rewritten only when their content digest changed
(:class:`BuildRecord` keeps the digests and the described documents in the
cache folder).

Navigation-only pages: Sphinx writes a page again when a page in its toctree changed
(``env.files_to_rebuild``), and an HTML build writes every page when the
navigation changed.  A BookStack page does not show the toctree, so such a
page need not be translated again when it was not read again, its fragment is
current, and it holds only docutils and Sphinx nodes and hidden toctrees (a
node of another component, ours included, may show an aggregate that changed).

The verdict is taken once per page at ``doctree-read``, late, on the doctree
Sphinx stores (our placeholders are still in it; post-transforms replace them
when the page is written), so neither ``-b bookstack`` nor alongside mode reads
a page back to decide.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Set
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from sphinx_mosaic import envdata
from sphinx_mosaic.bookstack.format.model import Shelf
from sphinx_mosaic.bookstack.mapping import shelf_skeleton
from sphinx_mosaic.bookstack.mapping.toctree import Issue
from sphinx_mosaic.bookstack.translate.fragment import fragment_path
from sphinx_mosaic.paths.directives import path_placeholder

_STANDARD_NODE_MODULES = frozenset({"docutils.nodes", "sphinx.addnodes"})


def navigation_only(env: BuildEnvironment, docname: str) -> bool:
    """Whether *docname*, as read, shows nothing another page can change."""
    return docname in envdata.navigation_only(env)


def _shows_only_itself(doctree: nodes.document) -> bool:
    for node in doctree.findall(nodes.Element):
        if isinstance(node, addnodes.toctree) and not node.get("hidden"):
            return False
        if type(node).__module__ not in _STANDARD_NODE_MODULES and not _path_navigation(node):
            return False
    return True


def _path_navigation(node: nodes.Element) -> bool:
    """The reading-path boxes on every page: they depend on the path definitions only,
    and the paths component rewrites the pages of a path that changed."""
    return isinstance(node, path_placeholder) and node.get("kind") == "navigation"


def _record(app: Sphinx, doctree: nodes.document) -> None:
    pages, docname = envdata.navigation_only(app.env), app.env.docname
    if _shows_only_itself(doctree):
        pages.add(docname)
    else:
        pages.discard(docname)


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    envdata.navigation_only(env).discard(docname)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment) -> None:
    envdata.navigation_only(env).update(envdata.navigation_only(other) & set(docnames))


def setup_navigation_only(app: Sphinx) -> None:
    # Late, after the components that add nodes to the page when it is read.
    app.connect("doctree-read", _record, priority=900)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)


class BuildRecord:
    """What the builder keeps between builds (in *cache_dir*) and within one build.

    The skeleton (:func:`~sphinx_mosaic.bookstack.mapping.shelf_skeleton`) is
    computed once after the read phase and kept until the build finishes; only
    a rebuild's first question, before reading (which documents are out of
    date), asks the environment of the build before.
    """

    def __init__(self, env: BuildEnvironment, cache_dir: Path) -> None:
        self.env = env
        self.cache_dir = cache_dir
        #: Documents read in this build.
        self.read: set[str] = set()
        self._skeleton: tuple[Shelf, list[Issue]] | None = None

    def note_read(self, app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
        """At ``env-before-read-docs``: the environment changes, the skeleton with it."""
        self.read = set(docnames)
        self._skeleton = None

    def skeleton(self) -> tuple[Shelf, list[Issue]]:
        """The shelf's books, chapters and pages (not yet filled) and the mapping issues."""
        if self._skeleton is None:
            self._skeleton = shelf_skeleton(self.env)
        return self._skeleton

    def forget(self) -> None:
        """Drop the skeleton: the build is over (the assembly filled it in place)."""
        self._skeleton = None

    # -- described documents --------------------------------------------------

    def described_docnames(self) -> set[str]:
        """The documents whose first paragraph is a description (shelf, book, chapter).

        Their fragment holds the paragraph apart from the page body, so a
        document that becomes, or stops being, a book or chapter (a toctree
        moved it) is translated again (:meth:`described_changed`).
        """
        shelf = self.skeleton()[0]
        described = {self.env.config.root_doc} | shelf.container_docnames()
        layout = envdata.layout(self.env)
        if shelf.source == "layout" and layout is not None:
            described |= {f.index.docname for f in layout.folders() if f.index}
        return described

    @property
    def _described_path(self) -> Path:
        return self.cache_dir / "described.json"

    def described_changed(self) -> set[str]:
        """Documents described now but not when their fragment was written, or the reverse."""
        try:
            before = set(json.loads(self._described_path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return set()  # no record: every fragment was written with the current rules
        return (before ^ self.described_docnames()) & set(self.env.found_docs)

    def save_described(self, described: Set[str]) -> None:
        self._described_path.write_text(json.dumps(sorted(described)), encoding="utf-8")

    # -- what to translate ----------------------------------------------------

    def outdated(self) -> Iterator[str]:
        """Documents whose fragment is missing, older than a source, or described anew."""
        env = self.env
        changed = self.described_changed() if env.all_docs else set()
        for docname in sorted(env.found_docs):
            if docname in changed:
                yield docname
                continue
            if docname not in env.all_docs:
                yield docname
                continue
            try:
                made = fragment_path(self.cache_dir, docname).stat().st_mtime_ns
            except OSError:
                yield docname
                continue
            sources: list[Path] = [Path(env.doc2path(docname))]
            sources += [Path(env.srcdir) / dep for dep in env.dependencies.get(docname, ())]
            for source in sources:
                try:
                    if Path(source).stat().st_mtime_ns > made:
                        yield docname
                        break
                except OSError:
                    continue

    def to_translate(self, docnames: Set[str]) -> set[str]:
        """Of the documents Sphinx would write, those whose page can have changed.

        Sphinx also rewrites every document whose toctree includes a changed
        one (``env.files_to_rebuild``); such a parent is skipped when it was
        not read again, its fragment is current, and it shows nothing another
        page can change (:func:`navigation_only`): an edit to one page
        re-translates that page.
        """
        env = self.env
        wanted = set(docnames) | self.described_changed()
        parents = {parent for docname in wanted for parent in env.files_to_rebuild.get(docname, ())}
        candidates = {name for name in (wanted & parents) - self.read if navigation_only(env, name)}
        if candidates:  # the stat of every source is only needed for these
            wanted -= candidates - set(self.outdated())
        return wanted

    # -- ZIP digests ----------------------------------------------------------

    def _digests_path(self, outdir: Path) -> Path:
        # One record per output folder: alongside mode and -b bookstack share the cache.
        slug = hashlib.sha256(str(outdir.resolve()).encode()).hexdigest()[:12]
        return self.cache_dir / f"zips-{slug}.json"

    def zip_digests(self, outdir: Path) -> dict[str, str]:
        """ZIP (relative to *outdir*) -> the content digest it was last written with."""
        try:
            data = json.loads(self._digests_path(outdir).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def save_zip_digests(self, outdir: Path, digests: dict[str, str]) -> None:
        path = self._digests_path(outdir)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(digests, sort_keys=True, indent=1), encoding="utf-8")
