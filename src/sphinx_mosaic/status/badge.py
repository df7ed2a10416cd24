"""The status badge node, how every output renders it, and the ``{status}`` role.

The badge subclasses :class:`docutils.nodes.inline`, so a builder we have no
visitor for (a third-party one) still renders its label through its own
``visit_inline``: Sphinx's translators walk a node's classes and use the first
visitor they have, while an unregistered ``nodes.Element`` stops LaTeX, text and
man builds with ``NotImplementedError``.  It carries
everything a translator needs as attributes (``status``, ``colour``,
``shape``, ``emoji``), so every output renders it from the node alone.

* HTML: a ``<span>`` with a coloured shape, the label and a visually hidden
  "Status:" prefix; colours come from the stylesheet (``status.css``).
* LaTeX: ``\\sphinxmosaicstatus{RRGGBB}{label}``, a coloured box defined in
  ``sphinxmosaicstatus.sty`` that pdflatex typesets (no emoji).
* text, man, texinfo: ``[Label]``.
* BookStack: the emoji and the label in bold (the page filter keeps no CSS of ours).
"""

from __future__ import annotations

from html import escape
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxRole

from sphinx_mosaic.status.vocabulary import StatusKind, vocabulary_of
from sphinx_mosaic.warnings import MosaicWarning, warn

#: The gettext domain of our labels (``status/locale/<lang>/LC_MESSAGES``).
CATALOG = "sphinx_mosaic_status"
_ = get_translation(CATALOG)


class status_badge(nodes.inline):  # docutils node classes are lower case
    """A status shown as a badge; the text child is the (translated) label."""


def badge_for(kind: StatusKind, *, classes: tuple[str, ...] = ()) -> status_badge:
    """A fresh badge node for a status of the vocabulary."""
    label = str(_(kind.label))
    node = status_badge(
        "",
        label,
        classes=[
            "mosaic-status",
            f"mosaic-status-{kind.key}",
            f"mosaic-shape-{kind.shape}",
            *classes,
        ],
    )
    node["status"] = kind.key
    node["colour"] = kind.hex_colour
    node["shape"] = kind.shape
    node["emoji"] = kind.emoji
    return node


def make_badge(env: BuildEnvironment, key: str) -> nodes.Element:
    """A fresh badge node for status *key*, rendering in every builder.

    A key the vocabulary does not know gives a neutral badge labelled with the
    key itself (callers normally pass a value from
    :func:`~sphinx_mosaic.status.collector.page_status`).
    """
    vocabulary = vocabulary_of(env.config)
    if key in vocabulary:
        return badge_for(vocabulary[key])
    return badge_for(StatusKind(key, key, "grey", shape="none"))


def status_title(node: nodes.Element) -> str:
    return f"{_('Status')}: {node.astext()}"


# -- HTML ---------------------------------------------------------------------


def visit_badge_html(self: Any, node: status_badge) -> None:
    self.body.append(
        self.starttag(
            node,
            "span",
            "",
            title=status_title(node),
            style=f"--mosaic-status-hue: {node['colour']}",
        )
    )
    self.body.append('<span class="mosaic-status-shape" aria-hidden="true"></span>')
    # Screen readers hear "Status: Partial"; the colour and shape are decoration.
    self.body.append(f'<span class="mosaic-visually-hidden">{self.encode(_("Status"))}: </span>')


def depart_badge_html(self: Any, node: status_badge) -> None:
    self.body.append("</span>")


# -- LaTeX --------------------------------------------------------------------


def visit_badge_latex(self: Any, node: status_badge) -> None:
    hue = node["colour"].lstrip("#").upper()
    self.body.append(rf"\sphinxmosaicstatus{{{hue}}}{{")


def depart_badge_latex(self: Any, node: status_badge) -> None:
    self.body.append("}")


# -- text, man, texinfo: [Label] --------------------------------------------


def visit_badge_text(self: Any, node: status_badge) -> None:
    self.add_text("[")


def depart_badge_text(self: Any, node: status_badge) -> None:
    self.add_text("]")


def visit_badge_body(self: Any, node: status_badge) -> None:
    self.body.append("[")


def depart_badge_body(self: Any, node: status_badge) -> None:
    self.body.append("]")


class StatusRole(SphinxRole):
    """``{status}`partial``` : a status badge inline in text."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        vocabulary = vocabulary_of(self.config)
        key = vocabulary.resolve(self.text)
        if key is None:
            warn(
                MosaicWarning.STATUS,
                f"unknown status {self.text!r}{vocabulary.suggest(self.text)}; valid values: "
                f"{vocabulary.spellings()}",
                location=self.location(),
            )
            return [nodes.inline(self.rawtext, self.text)], []
        badge = badge_for(vocabulary[key])
        self.set_source_info(badge)
        return [badge], []

    def location(self) -> str | tuple[str, int]:
        """Where the role is, for warnings.

        After an ``{eval-rst}`` block MyST's reporter no longer knows the source,
        and ``get_location()`` is empty: fall back to the document and line.
        """
        found = self.get_location()
        if found and not found.startswith(("<unknown>", ":")):
            return found
        return (self.env.docname, self.lineno)


def visit_badge_bookstack(self: Any, node: status_badge) -> None:
    """The badge in BookStack: its emoji and label in bold.  BookStack's page filter keeps
    neither our classes' CSS nor a ``style`` with a custom property, so the coloured shape
    the HTML badge draws cannot be shown there."""
    emoji = node.get("emoji", "")
    self.body.append(f"<strong>{escape(emoji, quote=False)} " if emoji else "<strong>")


def depart_badge_bookstack(self: Any, node: status_badge) -> None:
    self.body.append("</strong>")


def setup_badge(app: Sphinx) -> None:
    app.add_node(
        status_badge,
        html=(visit_badge_html, depart_badge_html),
        bookstack=(visit_badge_bookstack, depart_badge_bookstack),
        latex=(visit_badge_latex, depart_badge_latex),
        text=(visit_badge_text, depart_badge_text),
        man=(visit_badge_body, depart_badge_body),
        texinfo=(visit_badge_body, depart_badge_body),
    )
    app.add_role("status", StatusRole())
