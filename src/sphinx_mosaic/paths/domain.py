"""The ``path`` domain: where path definitions live during a build.

A domain gives us, in one place, per-document storage that survives
incremental and parallel builds (``clear_doc`` and ``merge_domaindata`` keep
only the documents concerned) and reference resolution with the builder at
hand, so every link a path renders is made the way the builder wants it
(``#document-x`` in singlehtml, ``%x`` in LaTeX, relative URIs in HTML).

Roles: ``{path:ref}`new-users``` links to a path by its id, with its title.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Set
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Domain, ObjType
from sphinx.errors import NoUri
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from sphinx_mosaic.paths.model import AudiencePath
from sphinx_mosaic.suggest import did_you_mean
from sphinx_mosaic.warnings import MosaicWarning, warn

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


class PathDomain(Domain):
    """Path definitions per document, and the links paths render."""

    name = "path"
    label = "Reading paths"
    object_types: ClassVar[dict[str, ObjType]] = {"path": ObjType("reading path", "ref")}
    roles: ClassVar[dict[str, Any]] = {"ref": XRefRole(innernodeclass=nodes.inline)}
    initial_data: ClassVar[dict[str, Any]] = {
        "paths": {},  # docname -> [AudiencePath] in document order
        "users": {},  # docname -> True: documents that show data of every path
    }

    @property
    def definitions(self) -> dict[str, list[AudiencePath]]:
        return cast("dict[str, list[AudiencePath]]", self.data["paths"])

    @property
    def users(self) -> dict[str, bool]:
        return cast("dict[str, bool]", self.data["users"])

    def add_path(self, path: AudiencePath) -> None:
        self.definitions.setdefault(path.docname, []).append(path)

    def add_user(self, docname: str) -> None:
        self.users[docname] = True

    def all_paths(self, order: Iterable[str] = ()) -> Iterator[AudiencePath]:
        """Every definition: documents in *order* first (reading order), then by name."""
        rank = {docname: index for index, docname in enumerate(order)}
        for docname in sorted(self.definitions, key=lambda d: (rank.get(d, len(rank)), d)):
            yield from self.definitions[docname]

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        # A page with a {path:ref} link shows a path's title: rewrite it when paths change.
        for xref in document.findall(addnodes.pending_xref):
            if xref.get("refdomain") == "path":
                self.add_user(docname)
                return

    def clear_doc(self, docname: str) -> None:
        self.definitions.pop(docname, None)
        self.users.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        # The other environment also holds copies of documents it did not read.
        for docname, paths in otherdata["paths"].items():
            if docname in docnames:
                self.definitions[docname] = list(paths)
        for docname in otherdata["users"]:
            if docname in docnames:
                self.users[docname] = True

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        if typ == "doc":
            # Made by our own renderers, for documents known to exist.
            if target not in env.all_docs:
                return None
            return make_refnode(builder, fromdocname, target, None, contnode)
        if typ == "ref":
            path = next((p for p in self.all_paths() if p.id == target), None)
            if path is None:
                known = ", ".join(sorted({p.id for p in self.all_paths()})) or "none"
                warn(
                    MosaicWarning.PATH,
                    f"unknown path id {target!r}"
                    f"{did_you_mean(target, (p.id for p in self.all_paths()))} (paths: {known})",
                    location=node,
                )
                # Shown as text; NoUri keeps Sphinx from warning about it a second time.
                raise NoUri(target, typ)
            if not node.get("refexplicit"):
                contnode = nodes.inline(path.title, path.title, classes=["mosaic-path-ref"])
            reference = make_refnode(
                builder, fromdocname, path.docname, path.anchor, contnode, path.title
            )
            refuri = reference.get("refuri", "")
            if refuri.count("#") > 1:
                # singlehtml's document URI is itself an anchor ("#document-x"), and
                # Sphinx 9 no longer fixes the double anchor: keep the path's own.
                reference["refuri"] = refuri[refuri.rindex("#") :]
            return reference
        return None

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        # Asked for every unresolved "any" or MyST link ("#some-anchor"): answer
        # only for a known path id, and never warn (the link may be anybody's).
        if not any(path.id == target for path in self.all_paths()):
            return []
        try:
            found = self.resolve_xref(env, fromdocname, builder, "ref", target, node, contnode)
        except NoUri:  # the path's page is not in this output (a LaTeX document's subset)
            return []
        return [("path:ref", found)] if found is not None else []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for path in self.all_paths():
            yield (path.id, path.title, "path", path.docname, path.anchor, 1)


def get_domain(env: BuildEnvironment) -> PathDomain:
    return cast("PathDomain", env.domains["path"])


def doc_xref(docname: str, refdoc: str, content: nodes.Node) -> addnodes.pending_xref:
    """A link to *docname*, resolved later by :class:`PathDomain` with the builder.

    *refdoc* is the document the link is written in: in assembled doctrees
    (LaTeX, singlehtml, texinfo) it differs from the root being resolved.
    """
    xref = addnodes.pending_xref(
        "",
        refdomain="path",
        reftype="doc",
        reftarget=docname,
        refdoc=refdoc,
        refexplicit=True,
        refwarn=False,
    )
    xref += content
    return xref


def path_xref(path_id: str, refdoc: str, content: nodes.Node) -> addnodes.pending_xref:
    """A link to the definition of path *path_id*."""
    xref = addnodes.pending_xref(
        "",
        refdomain="path",
        reftype="ref",
        reftarget=path_id,
        refdoc=refdoc,
        refexplicit=True,
        refwarn=False,
    )
    xref += content
    return xref
