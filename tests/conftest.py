"""Shared test set-up: Sphinx's testing fixtures with our test roots."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

collect_ignore = ["roots"]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """``@pytest.mark.sphinx(testroot="x")`` uses ``tests/roots/test-x``."""
    return Path(__file__).parent / "roots"
