"""Every configuration option of sphinx-mosaic, declared once.

Each component lists its options in a module-level ``OPTIONS`` tuple and declares
them with :func:`declare` from its ``setup_*`` function, so importing a module
declares nothing; :func:`setup_config`, called after every component's setup,
registers them with Sphinx (typed, with the right ``rebuild`` value) and
validates them on ``config-inited``.  The configuration reference in our docs
is generated from the same registry.

Code reads an option with :func:`option_value`, never as ``config.mosaic_*``: each
option is a module-level constant (``GC_FREEZE = Option("gc_freeze", True, ...)``)
whose type parameter is the type of its value, so ``option_value(config, GC_FREEZE)`` is
a ``bool`` to mypy and a misspelt option is a name error the type check finds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar, cast

from sphinx.application import Sphinx
from sphinx.config import ENUM, Config

from sphinx_mosaic.warnings import MosaicWarning, warn

T = TypeVar("T")


@dataclass(frozen=True)
class Option(Generic[T]):
    """One ``mosaic_*`` configuration value, whose values are of type ``T``.

    ``T`` is inferred from the default; an option that allows more than its default's
    type (``types=(int, float)``, a few fixed strings) says so in an annotation:
    ``Option[int | float]``, ``Option[Literal["top", "bottom"]]``.
    """

    name: str
    default: T
    doc: str
    rebuild: Literal["", "env", "html", "epub", "gettext"] = "env"
    types: tuple[type, ...] = ()
    choices: tuple[T, ...] = ()
    #: Optional validator: returns an error message, or None when the value is fine.
    check: Callable[[Any], str | None] | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return f"mosaic_{self.name}"


_REGISTRY: dict[str, Option[Any]] = {}


def declare(*options: Option[Any]) -> None:
    """Add *options* to the registry (called from each component's ``setup_*``).

    Declaring an option again is a no-op: one process sets up many Sphinx apps (the
    tests do), each running every component's setup.  Another option under a name
    already declared is a programming error.
    """
    for option in options:
        if option.key in _REGISTRY and _REGISTRY[option.key] != option:
            raise ValueError(f"option {option.key} declared twice")
        _REGISTRY[option.key] = option


def all_options() -> Sequence[Option[Any]]:
    """All declared options, sorted by name (for the docs and for validation)."""
    return [_REGISTRY[key] for key in sorted(_REGISTRY)]


def _validate(app: Sphinx, config: Config) -> None:
    for option in all_options():
        value = getattr(config, option.key)
        problem: str | None = None
        if option.choices and value not in option.choices:
            allowed = ", ".join(repr(c) for c in option.choices)
            problem = f"must be one of {allowed}"
        elif option.types and not isinstance(value, option.types):
            allowed = " or ".join(t.__name__ for t in option.types)
            problem = f"must be of type {allowed}, not {type(value).__name__}"
        elif option.check is not None:
            problem = option.check(value)
        if problem:
            warn(
                MosaicWarning.CONFIG,
                f"{option.key} = {value!r} {problem}; using the default {option.default!r}",
            )
            setattr(config, option.key, option.default)


def option_value(config: Config, option: Option[T]) -> T:
    """The value of *option* in *config*: the one ``conf.py`` or ``-D`` set, else the default.

    The one place that reads a ``mosaic_*`` option off a ``Config``.  The value is
    the declared type once ``config-inited`` has run: :func:`_validate` puts the
    default back for a value of another type.
    """
    return cast("T", getattr(config, option.key))


def explicitly_set(config: Config, option: Option[Any]) -> bool:
    """Whether *option* is set in ``conf.py`` or with ``-D``, rather than left at its default.

    Some behaviour is on by default only with the numbered layout (footers with dates,
    the writing checks); a project without it turns it on by setting the option.
    """
    raw: Any = getattr(config, "_raw_config", {})
    return option.key in config.overrides or option.key in raw


def setup_config(app: Sphinx) -> None:
    for option in all_options():
        types: Any = option.types
        if option.choices:
            types = ENUM(*option.choices)
        app.add_config_value(option.key, option.default, option.rebuild, types=types)
    # Before every other handler of ours, so they see valid values.
    app.connect("config-inited", _validate, priority=100)
