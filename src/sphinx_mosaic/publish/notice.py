"""An optional notice on every published page: "this page is generated from Git: edit ...".

The template (``--page-notice`` or ``mosaic_publish_page_notice``) is HTML with
placeholders, put at the top of each page's body.  It is part of what a page's
hash covers, so changing the template rewrites every page once.
"""

from __future__ import annotations

import hashlib
import html
import string

from sphinx_mosaic.bookstack.format.model import Page
from sphinx_mosaic.publish.bundle import Bundle
from sphinx_mosaic.publish.errors import SettingsError

#: The placeholders a template may use, and what each stands for.
PLACEHOLDERS = {
    "source": "the page's source file, relative to the source folder (1-guide/2-setup.md)",
    "docname": "the page's Sphinx document name (1-guide/2-setup)",
    "key": "the page's number-free name (guide/setup)",
    "name": "the page's title",
}


def check_template(template: str) -> None:
    """Refuse a template with an unknown placeholder or broken braces, before anything is sent."""
    try:
        fields = [field for _, field, _, _ in string.Formatter().parse(template) if field]
    except ValueError as exc:
        raise SettingsError(
            f"the page notice template is not valid ({exc}); write a literal brace as {{{{ or }}}}"
        ) from None
    unknown = sorted({f for f in fields if f not in PLACEHOLDERS})
    if unknown:
        raise SettingsError(
            f"the page notice template uses {', '.join('{' + f + '}' for f in unknown)}; "
            f"it may use {', '.join('{' + f + '}' for f in PLACEHOLDERS)}"
        )


def render_notice(template: str, page: Page) -> str:
    values = {
        "source": page.source or page.docname,
        "docname": page.docname,
        "key": page.key,
        "name": page.name,
    }
    return template.format_map({k: html.escape(v, quote=True) for k, v in values.items()})


def add_notices(bundle: Bundle, template: str) -> None:
    """Put the notice at the top of every page of *bundle* and fold it into the page hash."""
    if not template:
        return
    check_template(template)
    for page in bundle.pages():
        notice = render_notice(template, page)
        if page.markdown:
            page.markdown = f"{notice}\n\n{page.markdown}"
        else:
            page.html = f"{notice}\n{page.html}"
        page.hash = hashlib.sha256(f"{page.hash}\n{notice}".encode()).hexdigest()
