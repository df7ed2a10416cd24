"""Portable ZIP files, written byte for byte the same from the same content.

Entries are sorted (``data.json`` first, then ``files/...``), every entry has
the same fixed timestamp and permissions, and images that are compressed
already are stored rather than deflated.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from sphinx_mosaic.bookstack.format.files import check_reference

#: ZIP's earliest date: fixed, so the same content gives the same bytes.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_STORED_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".zip", ".gz")


def data_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def package_digest(data: bytes, files: dict[str, bytes]) -> str:
    digest = hashlib.sha256(data)
    for ref in sorted(files):
        digest.update(f"\0{ref}\0".encode())
        digest.update(hashlib.sha256(files[ref]).digest())
    return digest.hexdigest()


def zip_bytes(data: bytes, files: dict[str, bytes]) -> bytes:
    entries = [
        ("data.json", data),
        *sorted((f"files/{check_reference(ref)}", body) for ref, body in files.items()),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.create_system = 3  # Unix, whatever the host
            info.external_attr = 0o644 << 16
            if name.lower().endswith(_STORED_SUFFIXES):
                info.compress_type = zipfile.ZIP_STORED
                archive.writestr(info, body)
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, body, compresslevel=6)
    return buffer.getvalue()


def write_if_changed(path: Path, content: bytes) -> bool:
    """Write *content* unless *path* holds it already; True if written."""
    try:
        if path.stat().st_size == len(content) and path.read_bytes() == content:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True
