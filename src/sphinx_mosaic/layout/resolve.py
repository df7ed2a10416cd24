"""Which document, or which folder, a name written on a page means.

One resolver answers this for every place a writer names a page: ``{doc}``
roles, Markdown links, the steps of a reading path, the folder of
``mosaic-contents`` and the book of ``status-table``.  So the same text
reaches the same page wherever it is written.  The order (documented in the
user guide, "Number-free names and links"):

1. A name that starts with ``/`` is read from the shelf (the source folder)
   only.  Any other name is read relative to the folder of the page it is
   written on first, then from the shelf.
2. Each reading is tried, in turn, as a docname (``1-guide/2-fonts``), then as
   a number-free name of the layout (``guide/fonts``; numbers may also be
   written on some parts and not others).  A folder's name means its index
   page, or its first page when it has none; ``folder/README`` means the same.
3. A source suffix (``.md``, ``.rst``: the project's ``source_suffix``), an
   ``#anchor``, a trailing ``/`` and ``./`` are ignored; ``..`` climbs one
   folder and may not leave the shelf.

A name that two documents claim (``1-a/x`` and ``2-a/x`` are both ``a/x``) is
no number-free name at all: the layout warns about it, and only the full
docname reaches either page.

Plain Python over the layout model's public API (no Sphinx import), so the
command line can use it too.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from sphinx_mosaic import envdata
from sphinx_mosaic.layout.model import INDEX_STEMS, Folder, Layout, Page, plain_path, split_number

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


class NameResolver:
    """Resolve names written on pages against one build's documents and layout.

    *docnames* are the documents of the build (a live collection: it is not
    copied); *layout* is the build's model, or None (or an inactive model) for
    a project without the numbered layout, where only docnames resolve.
    """

    def __init__(
        self,
        docnames: Collection[str],
        layout: Layout | None = None,
        suffixes: Iterable[str] = (".md", ".rst"),
    ) -> None:
        self.docnames = docnames
        self.layout = layout if layout is not None and layout.active else None
        # Longest first, so ".en.md" would win over ".md".
        self.suffixes = tuple(sorted(set(suffixes), key=len, reverse=True))
        self._names = self.layout.plain_names() if self.layout is not None else {}
        self._folders: dict[str, Folder] | None = None

    # -- the candidates ------------------------------------------------------

    def candidates(self, name: str, fromdoc: str) -> list[str]:
        """The paths *name* may mean from *fromdoc*, in the order they are tried."""
        text = name.strip().split("#", 1)[0].strip()
        if not text:
            return []
        absolute = text.startswith("/")
        text = text.strip("/")
        for suffix in self.suffixes:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                break
        bases = [""] if absolute else [str(PurePosixPath(fromdoc).parent), ""]
        found: list[str] = []
        for base in bases:
            candidate = _join(base, text)
            if candidate is not None and candidate not in found:
                found.append(candidate)
        return found

    def names(self) -> list[str]:
        """Every name that reaches a document from the shelf: docnames and number-free names
        (for "did you mean" hints)."""
        return [*self.docnames, *self._names]

    # -- documents -----------------------------------------------------------

    def resolve(self, name: str, fromdoc: str) -> str | None:
        """The docname *name* means on *fromdoc*, or None when it names no document."""
        for candidate in self.candidates(name, fromdoc):
            docname = self._document(candidate)
            if docname is not None:
                return docname
        return None

    def _document(self, path: str) -> str | None:
        if path in self.docnames:
            return path
        if not path:
            return None
        plain = plain_path(path)
        if plain in self._names:
            return self._names[plain]
        found = self._walk(path)
        if isinstance(found, Page):
            return found.docname
        folder = found if isinstance(found, Folder) else self._folder(path)
        return folder.host if folder is not None else None

    # -- folders -------------------------------------------------------------

    def folder(self, name: str, fromdoc: str) -> Folder | None:
        """The layout folder *name* means on *fromdoc* (``""`` or ``/`` is the shelf).

        A name of a document means the folder it is the index page of.
        """
        if self.layout is None:
            return None
        if name.strip().strip("/") == "":
            return self.layout.root
        for candidate in self.candidates(name, fromdoc):
            folder = self._folder(candidate)
            if folder is None:
                docname = self._document(candidate)
                folder = self._indexed_by(docname) if docname is not None else None
            if folder is not None:
                return folder
        return None

    def _folder(self, path: str) -> Folder | None:
        if self.layout is None:
            return None
        if self._folders is None:
            folders: dict[str, Folder] = {}
            clashes: set[str] = set()
            for folder in self.layout.folders():
                folders[folder.path] = folder
            for folder in self.layout.folders():
                plain = plain_path(folder.path)
                if plain in folders and folders[plain] is not folder:
                    if plain != folders[plain].path:
                        clashes.add(plain)  # two numbered folders share a number-free name
                    continue
                folders[plain] = folder
            for plain in clashes:
                folders.pop(plain, None)
            self._folders = folders
        parts = PurePosixPath(path).parts
        if parts and parts[-1] in INDEX_STEMS:
            path = "/".join(parts[:-1])  # "guide/README" is the folder "guide"
        found = self._folders.get(path) or self._folders.get(plain_path(path))
        if found is None:
            walked = self._walk(path)
            found = walked if isinstance(walked, Folder) else None
        return found

    def _walk(self, path: str) -> Folder | Page | None:
        """Follow *path* part by part, each part a child's real or number-free name.

        This reaches ``1-a/x`` when ``a/x`` as a whole is claimed twice (by
        ``1-a/1-x`` and ``2-a/1-x``); a part that fits two children stops it.
        """
        node: Folder | Page | None = self.layout.root if self.layout is not None else None
        for part in PurePosixPath(path).parts:
            if not isinstance(node, Folder):
                return None
            children = node.children
            exact = [c for c in children if _name(c) == part]
            loose = exact or [c for c in children if split_number(_name(c))[1] == part]
            if len(loose) != 1:
                return None
            node = loose[0]
        return node

    def _indexed_by(self, docname: str) -> Folder | None:
        assert self.layout is not None
        folders = self.layout.folders()
        return next((f for f in folders if f.index and f.index.docname == docname), None)


def _name(node: Folder | Page) -> str:
    """The file or folder name of *node*, without the source suffix."""
    return PurePosixPath(node.docname if isinstance(node, Page) else node.path).name


def _join(base: str, text: str) -> str | None:
    """*text* read from the folder *base*; None when ``..`` climbs above the shelf."""
    parts: list[str] = [] if base in ("", ".") else base.split("/")
    for part in text.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


def resolver_for(env: BuildEnvironment) -> NameResolver:
    """The one resolver of a build: its documents and its layout model.

    The documents are those found *and* read (``found_docs`` and ``all_docs``):
    a source Sphinx found but could not read has no page to link to.  Before
    anything is read (``all_docs`` still empty) they are the documents found.
    Every caller (references, ``mosaic-contents``, ``status-table``, reading
    paths and their checks) runs once reading is done, when both sets agree
    except for such sources.
    """
    docs = env.found_docs & set(env.all_docs) if env.all_docs else env.found_docs
    suffixes: Any = env.config.source_suffix
    return NameResolver(docs, envdata.layout(env), suffixes)
