"""The BookStack ZIP checks of the test suite (``tests/helpers/zip_checker.py``)."""

from __future__ import annotations

from benchmarks.subjects import import_test_helpers

import_test_helpers()

from helpers.zip_checker import check_package  # noqa: E402

__all__ = ["check_package"]
