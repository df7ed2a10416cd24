"""A tiny class tree for the inheritance diagram."""


class Shape:
    """Any shape."""


class Polygon(Shape):
    """A shape with straight sides."""


class Square(Polygon):
    """Four equal sides."""
