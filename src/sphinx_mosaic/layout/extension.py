"""Sphinx side of the layout: build the model, generate navigation, report structure.

* ``config-inited``: make the root README the root document; drop extras
  when ``mosaic_unnumbered_folders = "drop"``.
* ``env-get-outdated``: build the model from Sphinx's found documents, report
  its structure issues, and re-read index pages whose generated toctree changed.
* :class:`LayoutNavigation` (a transform): insert the generated toctree into
  each hosting page, or check a hand-written one.
* navigation changes are recorded for :mod:`sphinx_mosaic.rewrites`, which
  rewrites every page of an HTML build then, so every sidebar matches a fresh
  build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform

from sphinx_mosaic import envdata
from sphinx_mosaic.config import Option, declare, option_value
from sphinx_mosaic.layout.model import (
    INDEX_STEMS,
    SIDE_SUFFIX,
    Layout,
    build_layout,
    holds_numbered,
    split_number,
    strip_title_number,
)
from sphinx_mosaic.layout.sources import SourceInfo, read_source
from sphinx_mosaic.rewrites import mark_navigation_changed
from sphinx_mosaic.warnings import MosaicWarning, warn

UNNUMBERED_FOLDERS: Option[Literal["after", "hidden", "drop", "books"]] = Option(
    "unnumbered_folders",
    "after",
    "What to do with unnumbered top-level folders (``scratchpads/``): ``after`` lists them "
    "after the books in the navigation, ``hidden`` builds them but leaves them out of the "
    "navigation, ``drop`` excludes them from the build, ``books`` treats them as books and "
    "chapters ordered by name.",
    choices=("after", "hidden", "drop", "books"),
)

UNNUMBERED_BOOKS: Option[Literal["auto", "never"]] = Option(
    "unnumbered_books",
    "auto",
    "Whether an unnumbered top-level folder that holds numbered pages or folders "
    "(``engineering/getting-started/01-setup.md``) is a book: ``auto`` makes it one, with its "
    "sub-folders as chapters (a ``mosaic.unnumbered-book`` warning says so); ``never`` keeps "
    "it an extra, handled as ``mosaic_unnumbered_folders`` says.",
    choices=("auto", "never"),
)

STRIP_TITLE_NUMBERS = Option(
    "strip_title_numbers",
    False,
    "Strip a leading number from page titles in navigation (``01 Gitea`` becomes ``Gitea``).",
    types=(bool,),
)

NAVIGATION = Option(
    "navigation",
    True,
    "Generate the toctree of every index page from the layout.",
    types=(bool,),
)

SHOW_CONTENTS = Option(
    "show_contents",
    False,
    "Show generated toctrees as a contents list on index pages (they are hidden by "
    "default, and only feed the sidebar).",
    types=(bool,),
)

#: This module's options: :func:`setup_layout` declares them, importing the module does not.
OPTIONS = (UNNUMBERED_FOLDERS, UNNUMBERED_BOOKS, STRIP_TITLE_NUMBERS, NAVIGATION, SHOW_CONTENTS)

_WARNING_OF_CODE = {
    "duplicate-number": MosaicWarning.DUPLICATE_NUMBER,
    "unnumbered": MosaicWarning.UNNUMBERED,
    "unnumbered-book": MosaicWarning.UNNUMBERED_BOOK,
    "too-deep": MosaicWarning.TOO_DEEP,
    "empty-book": MosaicWarning.EMPTY_BOOK,
    "outside-book": MosaicWarning.OUTSIDE_BOOK,
    "front-matter": MosaicWarning.FRONT_MATTER,
}


def _set_root_doc(app: Sphinx, config: Config) -> None:
    """Use the root README (or index) as root document unless conf.py names one."""
    srcdir = Path(app.srcdir)
    if config.root_doc != "index" or any(srcdir.glob("index.*")):
        return
    for suffix in (".md", ".rst"):
        if (srcdir / f"README{suffix}").is_file():
            config.root_doc = "README"
            return
    # No shelf page at all: rather than let Sphinx stop, use the first top-level page.
    pages = sorted(p for p in srcdir.iterdir() if p.suffix in (".md", ".rst") and p.is_file())
    if pages:
        config.root_doc = pages[0].stem
        warn(
            MosaicWarning.NO_ROOT,
            f"{srcdir} has no README.md or index.md; using {pages[0].name!r} as the root "
            "document (add a README.md to the shelf folder, or set root_doc in conf.py)",
        )


def _skip_side_files(app: Sphinx, config: Config) -> None:
    """Never read the side files ``sphinx-mosaic pull`` leaves (``<source>.wiki.md``): they
    hold wiki edits waiting for a person, and would otherwise be pages of their own."""
    patterns = [f"*{SIDE_SUFFIX}", f"**/*{SIDE_SUFFIX}"]
    config.exclude_patterns = [*config.exclude_patterns, *patterns]


def _drop_extras(app: Sphinx, config: Config) -> None:
    if option_value(config, UNNUMBERED_FOLDERS) != "drop":
        return
    srcdir = Path(app.srcdir)
    numbered = [
        p
        for p in srcdir.iterdir()
        if p.is_dir() and (split_number(p.name)[0] is not None or _unnumbered_book(config, p))
    ]
    if not numbered:
        return  # the layout is inactive: leave the project alone
    for path in sorted(srcdir.iterdir()):
        if (
            path.is_dir()
            and split_number(path.name)[0] is None
            and not path.name.startswith((".", "_"))
            and not _unnumbered_book(config, path)
        ):
            config.exclude_patterns = [*config.exclude_patterns, f"{path.name}/**"]


def _unnumbered_book(config: Config, folder: Path) -> bool:
    """Whether the layout model makes the unnumbered *folder* a book (so it is kept)."""
    if option_value(config, UNNUMBERED_BOOKS) != "auto":
        return False
    names = (path.stem if path.is_file() else path.name for path in folder.rglob("*"))
    return holds_numbered(name for name in names if name not in INDEX_STEMS)


def _source_reader(env: BuildEnvironment) -> Any:
    srcdir = Path(env.srcdir)

    def read(source: str) -> SourceInfo:
        return read_source(srcdir / source)

    return read


def build_env_layout(env: BuildEnvironment) -> Layout:
    """Build the layout model from the documents Sphinx found."""
    srcdir = Path(env.srcdir)
    sources = [
        Path(env.doc2path(docname)).relative_to(srcdir).as_posix() for docname in env.found_docs
    ]
    config = env.config
    return build_layout(
        sources,
        _source_reader(env),
        unnumbered=option_value(config, UNNUMBERED_FOLDERS),
        strip_title_numbers=option_value(config, STRIP_TITLE_NUMBERS),
        suffix_order=tuple(config.source_suffix),
        root_doc=config.root_doc,
        unnumbered_books=option_value(config, UNNUMBERED_BOOKS),
        # sphinx-external-toc writes the toctrees from _toc.yml, not in the root page.
        folder_books="sphinx_external_toc" not in config.extensions,
    )


def report_issues(layout: Layout) -> None:
    for issue in layout.issues:
        warn(_WARNING_OF_CODE[issue.code], issue.message, location=(issue.docname, issue.line))
    if not layout.active:
        return  # number-free names are the layout's: Sphinx's own link rules apply
    for name, docnames in layout.ambiguous_names().items():
        warn(
            MosaicWarning.AMBIGUOUS_NAME,
            f"number-free name {name!r} fits {', '.join(docnames)}; link to one by its full "
            "docname, or rename one of them",
            location=(docnames[1], None),
        )


def _on_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    previous = envdata.layout(env)
    layout = build_env_layout(env)
    envdata.set_layout(env, layout)
    report_issues(layout)
    old = previous.toctrees() if previous else {}
    new = layout.toctrees()
    old_hidden = previous.hidden_docnames() if previous else set()
    new_hidden = layout.hidden_docnames()
    stale = {host for host in set(old) | set(new) if old.get(host) != new.get(host)}
    stale |= old_hidden ^ new_hidden
    mark_navigation_changed(
        env,
        bool(stale) or (previous is not None and previous.plain_names() != layout.plain_names()),
    )
    return sorted(stale & env.found_docs - added - changed)


def _use_layout_title(app: Sphinx, doctree: nodes.document) -> None:
    """Sphinx owns titles; the layout adds only what it knows better.

    Runs after Sphinx's TitleCollector.  The document keeps the title Sphinx
    and MyST read (with its markup), except that a front matter ``title``
    replaces it, ``mosaic_strip_title_numbers`` drops a leading number, and a
    page without a heading gets the layout's fallback (its file or folder name),
    so ``{doc}`` links, the HTML ``<title>``, the navigation and the BookStack
    names all agree.  The layout model's own reading of the heading serves
    only before the read and on the command line."""
    env = app.env
    layout = envdata.layout(env)
    page = layout.page(env.docname) if layout is not None and layout.active else None
    if page is None or env.docname not in env.titles:
        return
    read = env.titles[env.docname].astext().strip()
    matter = page.front_matter.get("title")
    if matter not in (None, ""):
        wanted = str(matter).strip()
    elif not read:
        wanted = page.title
    elif option_value(app.config, STRIP_TITLE_NUMBERS):
        wanted = strip_title_number(read)
    else:
        return
    if wanted != read:
        env.titles[env.docname] = nodes.title(wanted, wanted)
        env.longtitles[env.docname] = nodes.title(wanted, wanted)


class LayoutNavigation(SphinxTransform):
    """Insert the generated toctree on each hosting page, or check a hand-written one."""

    # Before DoctreeReadEvent (880), whose collectors must see the toctree.
    default_priority = 800

    def apply(self, **kwargs: Any) -> None:
        layout = envdata.layout(self.env)
        if layout is None or not layout.active:
            return
        docname = self.env.docname
        self.ensure_title(layout, docname)
        if docname in layout.hidden_docnames():
            self.env.metadata[docname]["orphan"] = True
        if not option_value(self.config, NAVIGATION):
            return
        entries = layout.toctrees().get(docname)
        if not entries:
            return
        existing = list(self.document.findall(addnodes.toctree))
        if existing:
            entries = self.check_handwritten(existing, entries)
            if not entries:
                return
            hidden = True
        else:
            hidden = not option_value(self.config, SHOW_CONTENTS)
        self.insert(entries, hidden)

    def ensure_title(self, layout: Layout, docname: str) -> None:
        """Give a page without any heading a title section, so it has a title everywhere."""
        page = layout.page(docname)
        if page is None:
            return
        first = next((c for c in self.document.children if isinstance(c, nodes.section)), None)
        if first is not None:
            title = first.next_node(nodes.title)
            if title is not None and not title.astext().strip():
                # An empty "# " heading: texinfo cannot even name such a node.
                title += nodes.Text(page.title)
                warn(
                    MosaicWarning.NO_TITLE,
                    f"{page.source} starts with an empty heading; it is titled {page.title!r}",
                    location=title,
                )
            return
        keep = (nodes.docinfo, nodes.decoration, nodes.comment, nodes.substitution_definition)
        section = nodes.section()
        section += nodes.title(page.title, page.title)
        for child in list(self.document.children):
            if not isinstance(child, keep):
                self.document.remove(child)
                section += child
        section["names"].append(nodes.fully_normalize_name(page.title))
        self.document.note_implicit_target(section, section)
        self.document.append(section)
        warn(
            MosaicWarning.NO_TITLE,
            f"{page.source} has no heading; it is titled {page.title!r} (start it with "
            "'# Title', or set a front matter title)",
            location=(docname, None),
        )

    def check_handwritten(
        self, toctrees: list[addnodes.toctree], entries: list[tuple[str, str]]
    ) -> list[tuple[str, str]]:
        """Warn about layout pages the hand-written toctrees miss or misorder.

        Returns the missing entries, which are added as a hidden toctree so the
        navigation stays complete.
        """
        listed = [ref for toctree in toctrees for _, ref in toctree["entries"]]
        expected = [ref for _, ref in entries]
        missing = [entry for entry in entries if entry[1] not in listed]
        location = toctrees[0]
        if missing:
            names = ", ".join(ref for _, ref in missing)
            warn(
                MosaicWarning.TOCTREE,
                f"the toctree of {self.env.docname!r} misses layout pages: {names}; they are "
                "added after it (list them, or remove the toctree to let sphinx-mosaic "
                "generate it)",
                location=location,
            )
        in_layout = [ref for ref in listed if ref in expected]
        if in_layout != [ref for ref in expected if ref in in_layout]:
            warn(
                MosaicWarning.TOCTREE,
                f"the toctree of {self.env.docname!r} lists layout pages out of number order; "
                f"the layout order is: {', '.join(expected)}",
                location=location,
            )
        return missing

    def insert(self, entries: list[tuple[str, str]], hidden: bool) -> None:
        toctree = addnodes.toctree()
        toctree["parent"] = self.env.docname
        toctree["entries"] = [(title, ref) for title, ref in entries]
        toctree["includefiles"] = [ref for _, ref in entries]
        toctree["maxdepth"] = -1 if hidden else 2
        toctree["caption"] = None
        toctree["glob"] = False
        toctree["hidden"] = hidden
        toctree["includehidden"] = False
        toctree["numbered"] = 0
        toctree["titlesonly"] = True
        toctree["rawentries"] = []
        wrapper = nodes.compound(classes=["toctree-wrapper", "mosaic-toctree"])
        wrapper += toctree
        section = self.document.next_node(nodes.section)
        (section if section is not None else self.document).append(wrapper)


def setup_layout(app: Sphinx) -> None:
    from sphinx_mosaic.layout.collector import DescriptionCollector
    from sphinx_mosaic.layout.contents import setup_contents
    from sphinx_mosaic.layout.names import PlainNameReferences

    declare(*OPTIONS)
    app.connect("config-inited", _set_root_doc)
    app.connect("config-inited", _drop_extras)
    app.connect("config-inited", _skip_side_files)
    app.connect("env-get-outdated", _on_get_outdated)
    app.connect("doctree-read", _use_layout_title, priority=600)
    app.add_transform(LayoutNavigation)
    app.add_post_transform(PlainNameReferences)
    app.add_env_collector(DescriptionCollector)
    setup_contents(app)


__all__ = ["INDEX_STEMS", "setup_layout"]
