"""Warnings about other extensions' ``html`` visitors that failed.

The translator runs another extension's ``html`` visitor for a node it has no
visitor of its own for.  When that visitor raises (it wanted something of
Sphinx's HTML builders that ours does not offer), the translator keeps the
node's children instead and records the failure in the page's fragment
(:meth:`~sphinx_mosaic.bookstack.translate.fragment.Fragment.add_foreign_failure`).
The builder warns here, in the main process after all pages are written, so a
parallel build (``-j``) gives one warning per node class like a serial one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sphinx_mosaic.bookstack.translate.fragment import Fragment
from sphinx_mosaic.warnings import MosaicWarning, warn


def report_failures(fragments: Mapping[str, Fragment], written: Iterable[str]) -> None:
    """One ``mosaic.foreign-node`` warning per node class, at its first page and line.

    Only pages translated in this build count: a page whose fragment was kept
    warned when it was written.
    """
    seen: set[str] = set()
    for docname in sorted(written):
        fragment = fragments.get(docname)
        if fragment is None:
            continue
        for cls, line, reason in fragment.foreign_failures:
            if cls in seen:
                continue
            seen.add(cls)
            warn(
                MosaicWarning.FOREIGN_NODE,
                f"the html visitor of {cls} failed in the BookStack build ({reason}); "
                "the page keeps the node's text, without the HTML the visitor failed to write",
                location=(docname, line or None),
            )


__all__ = ["report_failures"]
