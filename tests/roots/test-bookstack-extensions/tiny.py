"""A tiny module for autodoc."""


class Base:
    """The base class."""


class Shape(Base):
    """A shape.

    Args:
        sides: How many sides.
    """

    def __init__(self, sides: int) -> None:
        self.sides = sides

    def area(self, scale: float = 1.0) -> float:
        """The area.

        Returns:
            Always zero.
        """
        return 0.0 * scale


def double(value: int) -> int:
    """Twice *value*.

    >>> double(2)
    4
    """
    return value * 2
