"""Which documents each document links to, for placing orphan tables of contents.

An ``:orphan:`` document with a toctree (a table of contents beside the landing
page) is in no toctree, so the toctree says nothing about where it belongs;
the pages that link to it do. Recorded while reading (``:doc:`` and ``:ref:``
cross-references, MyST's ``{doc}`` role and Markdown links to documents), stored
on the environment per docname and merged after parallel reads; labels are
turned into documents when the mapping asks (:func:`linked_documents`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Set as AbstractSet

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector

from sphinx_mosaic import envdata


def _join(docname: str, target: str) -> str:
    """*target* as a document name: absolute with a leading ``/``, else relative to
    *docname*'s folder (as Sphinx resolves ``:doc:``)."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(docname), target))


def _targets(doctree: nodes.document, docname: str) -> list[tuple[str, str]]:
    found: dict[tuple[str, str], None] = {}
    for node in doctree.findall(addnodes.pending_xref):
        domain, kind = node.get("refdomain"), node.get("reftype")
        target = str(node.get("reftarget", ""))
        if not target:
            continue
        if domain == "std" and kind == "doc":
            found[("doc", _join(docname, target))] = None
        elif domain == "std" and kind == "ref":
            found[("ref", target.lower())] = None
        elif kind == "myst" and domain == "doc":
            found[("doc", target.lstrip("/"))] = None
        elif kind == "myst" and domain is None and "://" not in target:
            # A Markdown link to a file: its path, relative to the page, without suffix.
            path = target.split("#", 1)[0]
            if path:
                found[("doc", posixpath.splitext(_join(docname, path))[0])] = None
    return list(found)


def linked_documents(env: BuildEnvironment) -> dict[str, set[str]]:
    """docname -> the documents of the project it links to."""
    labels = env.domaindata.get("std", {}).get("labels", {})
    anonymous = env.domaindata.get("std", {}).get("anonlabels", {})
    result: dict[str, set[str]] = {}
    for docname, links in envdata.links(env).items():
        targets: set[str] = set()
        for kind, target in links:
            if kind == "doc":
                targets.add(target)
            else:
                label = labels.get(target) or anonymous.get(target)
                if label:
                    targets.add(label[0])
        targets &= env.found_docs
        targets.discard(docname)
        if targets:
            result[docname] = targets
    return result


class LinkCollector(EnvironmentCollector):
    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        envdata.links(env).pop(docname, None)

    def merge_other(
        self,
        app: Sphinx,
        env: BuildEnvironment,
        docnames: AbstractSet[str],
        other: BuildEnvironment,
    ) -> None:
        envdata.merge_docs(envdata.links(env), envdata.links(other), docnames)

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        found = _targets(doctree, app.env.docname)
        if found:
            envdata.links(app.env)[app.env.docname] = found


__all__ = ["LinkCollector", "linked_documents"]
