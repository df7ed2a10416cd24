"""Which books, chapters and pages: the skeleton of the BookStack model, and page tags.

``mosaic_bookstack_source``: ``layout`` maps the numbered folders
(:mod:`~sphinx_mosaic.bookstack.mapping.layout`), ``toctree`` the root
document's toctrees (:mod:`~sphinx_mosaic.bookstack.mapping.toctree`), and
``auto`` (the default) the layout when it finds books, else the toctree.  The
builder and ``sphinx-mosaic tree --bookstack`` both ask here.

Every BookStack page carries tags: status, audience and source path.  The
status is the status component's canonical key
(:func:`sphinx_mosaic.status.page_status`); audiences are those the reading
paths know the page by (:func:`sphinx_mosaic.paths.view.audiences_of`:
normalised, each once).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.environment import BuildEnvironment

from sphinx_mosaic import envdata
from sphinx_mosaic.bookstack.format.limits import TAG_VALUE_LIMIT
from sphinx_mosaic.bookstack.format.model import Book, Chapter, Page, Shelf
from sphinx_mosaic.bookstack.mapping.layout import plan_shelf
from sphinx_mosaic.bookstack.mapping.references import linked_documents
from sphinx_mosaic.bookstack.mapping.toctree import (
    Issue,
    Project,
    RootToctree,
    ToctreeGroup,
    map_toctree,
)
from sphinx_mosaic.bookstack.options import BOOKSTACK_EXTRAS, BOOKSTACK_SOURCE
from sphinx_mosaic.config import option_value
from sphinx_mosaic.paths.view import audiences_of
from sphinx_mosaic.status import page_status
from sphinx_mosaic.warnings import MosaicWarning, warn


def chosen_source(env: BuildEnvironment) -> str:
    """``layout`` or ``toctree``: where this build's books come from."""
    choice = str(option_value(env.config, BOOKSTACK_SOURCE))
    if choice != "auto":
        return choice
    layout = envdata.layout(env)
    return "layout" if layout is not None and layout.active and layout.books else "toctree"


def toctree_groups(env: BuildEnvironment, docname: str) -> list[ToctreeGroup]:
    """The entries of *docname*'s toctrees grouped by caption, else by the heading of the
    section they sit in (None directly under the document's title); a group runs on over
    consecutive toctrees with the same title."""
    doctree = env.get_doctree(docname)
    top = next((child for child in doctree.children if isinstance(child, nodes.section)), None)
    groups: list[ToctreeGroup] = []
    for node in doctree.findall(addnodes.toctree):
        title: str | None = node.get("caption") or None
        parent = node.parent
        while title is None and parent is not None and parent is not top:
            if isinstance(parent, nodes.section) and isinstance(parent[0], nodes.title):
                title = parent[0].astext()
            parent = parent.parent
        entries = [ref for _title, ref in node["entries"] if ref in env.found_docs]
        if groups and groups[-1].title == title:
            groups[-1] = ToctreeGroup(title, [*groups[-1].entries, *entries])
        else:
            groups.append(ToctreeGroup(title, entries))
    return groups


def toctree_project(env: BuildEnvironment) -> Project:
    """What the toctree source needs, read from the environment."""
    config = env.config
    root = config.root_doc
    toctrees: list[RootToctree] = []
    if root in env.found_docs:
        for node in env.get_doctree(root).findall(addnodes.toctree):
            entries = [(title, ref) for title, ref in node["entries"]]
            toctrees.append(RootToctree(node.get("caption"), entries))
    srcdir = Path(env.srcdir)

    def source_of(docname: str) -> str:
        return Path(env.doc2path(docname)).relative_to(srcdir).as_posix()

    return Project(
        root_doc=root,
        project=str(config.project),
        docnames=sorted(env.found_docs),
        titles={name: title.astext() for name, title in env.titles.items()},
        includes=env.toctree_includes,
        root_toctrees=toctrees,
        source_of=source_of,
        links=linked_documents(env),
        groups_of=lambda docname: toctree_groups(env, docname),
    )


def shelf_skeleton(env: BuildEnvironment) -> tuple[Shelf, list[Issue]]:
    """The shelf's books, chapters and pages (not yet filled) and the mapping issues."""
    config = env.config
    if chosen_source(env) == "toctree":
        mapped = map_toctree(toctree_project(env), extras=option_value(config, BOOKSTACK_EXTRAS))
        return mapped.shelf, mapped.issues
    layout = envdata.layout(env)
    if layout is None:
        shelf = Shelf(name=config.project, docname=config.root_doc, project=config.project)
        return shelf, []
    shelf = plan_shelf(
        layout,
        extras=option_value(config, BOOKSTACK_EXTRAS),
        root_doc=config.root_doc,
        project=config.project,
    )
    name_by_titles(shelf, {name: title.astext() for name, title in env.titles.items()})
    return shelf, []


def name_by_titles(shelf: Shelf, titles: Mapping[str, str]) -> None:
    """Name the shelf, books, chapters and pages by the titles Sphinx read (the layout
    settled front matter titles and numbers on them when they were read): the same
    names as the html build's links and ``<title>``."""
    entities: list[Shelf | Book | Chapter | Page] = [shelf]
    for book in shelf.books:
        entities += [book, *book.chapters, *book.iter_pages()]
    for entity in entities:
        title = titles.get(entity.docname or "", "").strip()
        if title:
            entity.name = title


def report(issues: list[Issue]) -> None:
    kinds = {"toctree-depth": MosaicWarning.TOCTREE_DEPTH, "bookstack": MosaicWarning.BOOKSTACK}
    for issue in issues:
        warn(kinds[issue.subtype], issue.message, location=issue.docname)


Tags = list[dict[str, str]]


def tag(name: str, value: str, location: str) -> dict[str, str]:
    """A tag, its value shortened (with a warning naming the page) when too long."""
    value = value.strip()  # BookStack trims tag values
    if len(value) > TAG_VALUE_LIMIT:
        warn(
            MosaicWarning.BOOKSTACK_LIMIT,
            f"the {name} tag value is {len(value)} characters long; BookStack stores at most "
            f"{TAG_VALUE_LIMIT}, so it is shortened (use a shorter value or path)",
            location=location,
        )
        value = value[:TAG_VALUE_LIMIT]
    return {"name": name, "value": value}


def check_key(key: str, location: str | None) -> None:
    """Warn when the publisher's ``mosaic-key`` tag for *key* would not fit BookStack."""
    if len(key) > TAG_VALUE_LIMIT:
        warn(
            MosaicWarning.BOOKSTACK_LIMIT,
            f"the path {key!r} is {len(key)} characters long; the publisher identifies the "
            f"page by it in a tag of at most {TAG_VALUE_LIMIT} characters (shorten the folder "
            "and file names)",
            location=location,
        )


def page_tags(env: Any, docname: str, source: str) -> Tags:
    tags: Tags = []
    status = (page_status(env, docname) or "").strip()
    if status:
        tags.append(tag("mosaic-status", status, docname))
    for audience in audiences_of(env, docname):
        tags.append(tag("mosaic-audience", audience, docname))
    tags.append(tag("mosaic-source", source, docname))
    return tags
