"""A module for autodoc (named apart from the other roots' modules: Python keeps one)."""


def double(value: int) -> int:
    """Twice *value*."""
    return value * 2
