"""A module for autodoc."""


def spin(speed: int) -> None:
    """Spin the widget at *speed*."""
