"""Tags every BookStack page carries: status, audience and source path.

Status and audience come from the status component when it is there
(``sphinx_mosaic.status.page_status``), else straight from the page's front
matter.  MyST stringifies front-matter values, so a list of audiences arrives
as a JSON string (directive-anchors.md section 8.6).
"""

from __future__ import annotations

import importlib
import json
from typing import Any

Tags = list[dict[str, str]]


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
    return [str(item).strip() for item in value if str(item).strip()]


def page_tags(env: Any, docname: str, source: str) -> Tags:
    tags: Tags = []
    status = page_status(env, docname)
    if status:
        tags.append({"name": "mosaic-status", "value": status[:255]})
    for audience in page_audiences(env, docname):
        tags.append({"name": "mosaic-audience", "value": audience[:255]})
    tags.append({"name": "mosaic-source", "value": source[:255]})
    return tags
