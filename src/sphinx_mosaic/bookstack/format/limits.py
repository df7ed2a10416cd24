"""BookStack's size limits: names, image names, descriptions, tag values, uploads.

Each is what BookStack's own validation refuses beyond (its API controllers'
rules, the database columns behind them, and ``FILE_UPLOAD_SIZE_LIMIT``).  The
builder shortens what is longer, with a ``mosaic.bookstack-limit`` warning
naming the page, so an import or publish never fails on one of them.
"""

from __future__ import annotations

#: Book, chapter, page, attachment and tag names: ``max:255`` in BookStack's API rules
#: (``varchar(255)`` columns).
NAME_LIMIT = 255
#: Image names: ``max:180`` in BookStack's image gallery API rules.
IMAGE_NAME_LIMIT = 180
#: ``description_html`` of shelves, books and chapters: ``max:2000`` in BookStack's API rules.
DESCRIPTION_LIMIT = 2000
#: Tag values: BookStack keeps tag names and values in ``varchar(255)`` columns.
TAG_VALUE_LIMIT = 255
#: BookStack's default ``FILE_UPLOAD_SIZE_LIMIT`` (50 MB), which it applies to an imported
#: ZIP, its ``data.json`` and each file in it.
UPLOAD_LIMIT = 50_000_000
