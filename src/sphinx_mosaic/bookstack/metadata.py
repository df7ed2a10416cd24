"""Tags every BookStack page carries: status, audience and source path.

Status and audience come from the status component when it is there
(``sphinx_mosaic.status.page_status``), else straight from the page's front
matter.  MyST stringifies front-matter values, so a list of audiences arrives
as a JSON string (directive-anchors.md section 8.6).
"""

from __future__ import annotations

import importlib
import json
import re
from typing import Any

from sphinx_mosaic.bookstack.format.manifest import TAG_VALUE_LIMIT
from sphinx_mosaic.warnings import MosaicWarning, warn

Tags = list[dict[str, str]]

_SURROGATE = re.compile("[\ud800-\udfff]")


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


def page_status(env: Any, docname: str) -> str | None:
    # The status component may not be there (or not yet): import at call time.
    module = importlib.import_module("sphinx_mosaic.status")
    status_of = getattr(module, "page_status", None)
    if status_of is not None:
        value = status_of(env, docname)
    else:
        value = env.metadata.get(docname, {}).get("status")
    if value is None:
        return None
    text = str(getattr(value, "key", value)).strip()
    return text or None


def page_audiences(env: Any, docname: str) -> list[str]:
    value = env.metadata.get(docname, {}).get("audience")
    if value is None:
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [part for part in value.split(",")]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        value = [value]
    # A lone surrogate (YAML's "\\ud800") cannot be written: U+FFFD instead.
    texts = (_SURROGATE.sub("\ufffd", str(item)).strip() for item in value)
    return [text for text in texts if text]


def page_tags(env: Any, docname: str, source: str) -> Tags:
    tags: Tags = []
    status = page_status(env, docname)
    if status:
        tags.append(tag("mosaic-status", status, docname))
    for audience in page_audiences(env, docname):
        tags.append(tag("mosaic-audience", audience, docname))
    tags.append(tag("mosaic-source", source, docname))
    return tags
