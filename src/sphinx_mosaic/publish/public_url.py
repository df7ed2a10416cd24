"""The wiki's public URL: the address every link written into a page starts with.

The publisher reaches the server through ``--url``; readers reach it through the URL
the server knows itself by (BookStack's ``APP_URL``).  The two differ when a CI job
talks to the wiki by an internal address (``http://bookstack:8080``, ``localhost``
through a tunnel): links built from ``--url`` would send every reader there, while the
image URLs BookStack gives in its upload answers use ``APP_URL``.  So page links use,
in this order:

1. ``--public-url`` (``mosaic_publish_public_url``), when given;
2. what the server says about itself: ``base_url`` of ``/api/system`` (v25.05+), else
   the ``url`` of the entities its tag search returned (any version; a first publish
   finds none);
3. ``--url``.

A warning says when the URL used differs from ``--url`` or from the server's own, and,
during the run, when image upload answers show that the server calls itself something
else than the links say (older servers, first publish: nothing told it before).
"""

from __future__ import annotations

import re
import urllib.parse

#: An entity URL as BookStack gives it: ``{APP_URL}/books/{slug}[/page|chapter/{slug}]``
#: or ``{APP_URL}/shelves/{slug}``.
_ENTITY_URL = re.compile(
    r"^(?P<base>https?://.+?)/(?:books|shelves)/[^/]+(?:/(?:page|chapter)/[^/]+)?/?$"
)
#: An uploaded image: ``{APP_URL}/uploads/images/...``.
_UPLOAD_URL = re.compile(r"^(?P<base>https?://.+?)/uploads/images/")


def base_of_entity(url: str) -> str | None:
    """``APP_URL`` as seen in the URL of a book, chapter, page or shelf."""
    found = _ENTITY_URL.match(url)
    return found.group("base") if found else None


def base_of_upload(url: str) -> str | None:
    """``APP_URL`` as seen in the URL of an uploaded image."""
    found = _UPLOAD_URL.match(url)
    return found.group("base") if found else None


def same_url(a: str, b: str) -> bool:
    """Do two base URLs name the same place (scheme and host case, default port, slash)?"""

    def key(url: str) -> tuple[str, str, str]:
        parts = urllib.parse.urlsplit(url.strip())
        default = {"http": 80, "https": 443}.get(parts.scheme.lower())
        port = parts.port if parts.port not in (None, default) else None
        host = (parts.hostname or "") + (f":{port}" if port else "")
        return parts.scheme.lower(), host.lower(), parts.path.rstrip("/")

    return key(a) == key(b)


def choose_public_url(
    explicit: str, reached: str, own: str | None, source: str
) -> tuple[str, list[str]]:
    """The base URL for links in pages, and the warnings to print.

    *explicit* is ``--public-url`` ("" when not given), *reached* ``--url``, *own* the
    server's own URL (None when it said nothing), *source* where *own* was read.
    """
    explicit, reached = explicit.strip().rstrip("/"), reached.rstrip("/")
    warnings: list[str] = []
    if explicit:
        if own is not None and not same_url(own, explicit):
            warnings.append(
                f"links in pages use the public URL {explicit} (--public-url), but the server "
                f"calls itself {own} ({source}); image addresses and pages BookStack imports "
                "itself use the server's own URL"
            )
        return explicit, warnings
    if own is not None:
        own = own.rstrip("/")
        if not same_url(own, reached):
            warnings.append(
                f"the server is reached through {reached} (--url) but calls itself {own} "
                f"({source}): links in pages use {own}; set --public-url (or "
                "mosaic_publish_public_url) to choose another address"
            )
        return own, warnings
    return reached, warnings


def upload_mismatch(public: str, image_url: str) -> str | None:
    """The warning when an image's URL shows a server URL other than *public*, else None."""
    own = base_of_upload(image_url)
    if own is None or same_url(own, public):
        return None
    return (
        f"the server gives uploaded images the address {own}, but links in pages use "
        f"{public}: if readers reach the wiki at {own}, publish with --public-url {own} "
        "(or mosaic_publish_public_url) and --force to rewrite the links"
    )
