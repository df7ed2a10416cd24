"""The status vocabulary: which statuses exist, how they look and how they roll up.

The default vocabulary is the one teams already write by hand in their shelf
README (🟢 Complete, 🟡 Partial, 🔵 Planned, ⚪ Not started).  A team extends
or changes it with ``mosaic_status_vocabulary``: a mapping of key to a mapping
of fields, merged into the defaults (``None`` removes a default status, except
the three the roll-up needs).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sphinx.config import Config

from sphinx_mosaic.config import Option, option_value
from sphinx_mosaic.suggest import closest

#: The shapes a badge can carry in HTML, so it never relies on colour alone.
SHAPES = ("full", "half", "ring", "dashed", "cross", "none")

#: Named colours (mid-tones: badges mix them into the page background, so one
#: value reads well on Furo's light and dark backgrounds alike).
PALETTE = {
    "green": "#2e9e4f",
    "yellow": "#d4a000",
    "blue": "#2f6fde",
    "grey": "#8a8f98",
    "gray": "#8a8f98",
    "red": "#d1393e",
    "purple": "#8250df",
    "orange": "#e36f1e",
    "teal": "#1a9a9a",
}

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")

#: The statuses the roll-up of a book or chapter can produce.
COMPLETE, PARTIAL, PLANNED, NOT_STARTED = "complete", "partial", "planned", "not-started"
ROLLUP_KEYS = (COMPLETE, PARTIAL, NOT_STARTED)


@dataclass(frozen=True)
class StatusKind:
    """One status of the vocabulary."""

    key: str
    label: str
    colour: str
    emoji: str = ""
    #: How much of a page this status counts as done (0 to 1) in a roll-up.
    weight: float = 0.0
    shape: str = "full"
    aliases: tuple[str, ...] = ()

    @property
    def hex_colour(self) -> str:
        """The colour as ``#rrggbb`` (palette names resolved)."""
        return PALETTE.get(self.colour, self.colour).lower()


DEFAULT_KINDS = (
    StatusKind(
        COMPLETE, "Complete", "green", "🟢", 1.0, "full", ("done", "completed", "published")
    ),
    StatusKind(PARTIAL, "Partial", "yellow", "🟡", 0.5, "half", ("in-progress", "wip", "draft")),
    StatusKind(PLANNED, "Planned", "blue", "🔵", 0.0, "ring", ("todo", "to-do")),
    StatusKind(NOT_STARTED, "Not started", "grey", "⚪", 0.0, "dashed", ("none", "empty")),
)


def normalize(value: str) -> str:
    """Fold a status spelling: case, spaces, underscores and emoji variants.

    ``"Not Started"``, ``"not_started"`` and ``"not-started"`` all give
    ``"not-started"``.
    """
    value = unicodedata.normalize("NFC", value).replace("\ufe0f", "")
    return re.sub(r"[\s_-]+", "-", value.strip().casefold()).strip("-")


@dataclass(frozen=True)
class Vocabulary:
    kinds: tuple[StatusKind, ...] = DEFAULT_KINDS
    _lookup: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for kind in self.kinds:
            for spelling in (kind.key, kind.label, kind.emoji, *kind.aliases):
                # A spelling that folds to nothing ("-", a lone emoji variation
                # selector) would make an empty status mean this one.
                if folded := normalize(spelling):
                    self._lookup.setdefault(folded, kind.key)

    def __iter__(self) -> Iterator[StatusKind]:
        return iter(self.kinds)

    def __contains__(self, key: object) -> bool:
        return any(kind.key == key for kind in self.kinds)

    def __getitem__(self, key: str) -> StatusKind:
        for kind in self.kinds:
            if kind.key == key:
                return kind
        raise KeyError(key)

    def resolve(self, value: str) -> str | None:
        """The key a written status means, or None when it means none.

        Accepts the key, the label, an alias or the emoji, in any case, with
        spaces, hyphens or underscores, and an emoji before a label
        (``"🟡 Partial"``) when both name the same status.
        """
        folded = normalize(value)
        if folded in self._lookup:
            return self._lookup[folded]
        for kind in self.kinds:
            emoji = normalize(kind.emoji) if kind.emoji else ""
            if emoji and folded.startswith(emoji):
                rest = folded[len(emoji) :].strip("-")
                if self._lookup.get(rest) == kind.key:
                    return kind.key
        return None

    def suggest(self, value: str) -> str:
        """``" (did you mean 'complete'?)"`` for a mistyped status, or ``""``."""
        match = closest(normalize(value), self._lookup)
        return f" (did you mean {self._lookup[match]!r}?)" if match is not None else ""

    def spellings(self) -> str:
        """The valid values, for warning messages."""
        return ", ".join(kind.key for kind in self.kinds)


def _kind_from(key: str, fields: Mapping[str, Any], base: StatusKind | None) -> StatusKind:
    known = {"label", "colour", "color", "emoji", "weight", "shape", "aliases"}
    unknown = set(fields) - known
    if unknown:
        raise ValueError(
            f"status {key!r} has unknown fields {sorted(unknown)}; use {sorted(known)}"
        )
    kind = base or StatusKind(key, key.replace("-", " ").capitalize(), "grey")
    changes: dict[str, Any] = {}
    for name in ("label", "emoji", "shape"):
        if name in fields:
            changes[name] = str(fields[name])
    if "colour" in fields or "color" in fields:
        changes["colour"] = str(fields.get("colour", fields.get("color")))
    if "weight" in fields:
        try:
            changes["weight"] = float(fields["weight"])
        except (TypeError, ValueError, OverflowError):
            # OverflowError: an integer too large for a float (``weight: 10**400``).
            raise ValueError(
                f"status {key!r} has weight {fields['weight']!r}; use a number from 0 to 1"
            ) from None
    if "aliases" in fields:
        aliases = fields["aliases"]
        # One string is one alias, not a list of its letters.
        if isinstance(aliases, str):
            aliases = [aliases]
        if not isinstance(aliases, Iterable):
            raise ValueError(f"status {key!r} has aliases {aliases!r}; use a list of spellings")
        changes["aliases"] = tuple(str(alias) for alias in aliases)
    kind = replace(kind, **changes)
    if not kind.label.strip():
        raise ValueError(f"status {key!r} has an empty label; readers see the label")
    if kind.colour not in PALETTE and not _HEX.match(kind.colour):
        raise ValueError(
            f"status {key!r} has colour {kind.colour!r}; use one of {', '.join(PALETTE)} "
            "or '#rrggbb'"
        )
    if kind.shape not in SHAPES:
        raise ValueError(f"status {key!r} has shape {kind.shape!r}; use one of {SHAPES}")
    if not 0.0 <= kind.weight <= 1.0:
        raise ValueError(f"status {key!r} has weight {kind.weight}; use a number from 0 to 1")
    return kind


def build_vocabulary(overrides: Mapping[str, Any]) -> Vocabulary:
    """Merge *overrides* (the ``mosaic_status_vocabulary`` value) into the defaults.

    Raises ValueError with a message fit for the user on a bad entry.
    """
    kinds = {kind.key: kind for kind in DEFAULT_KINDS}
    for raw_key, fields in overrides.items():
        key = normalize(str(raw_key))
        if not key:
            raise ValueError(f"status {raw_key!r} needs a key made of letters or digits")
        if fields is None:
            if key in ROLLUP_KEYS:
                raise ValueError(f"status {key!r} cannot be removed: the roll-up needs it")
            kinds.pop(key, None)
            continue
        if not isinstance(fields, Mapping):
            raise ValueError(f"status {key!r} must map to a dict of fields, not {fields!r}")
        kinds[key] = _kind_from(key, fields, kinds.get(key))
    return Vocabulary(tuple(kinds.values()))


def _check(value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return "must be a dict of status key -> fields"
    try:
        build_vocabulary(value)
    except (ValueError, TypeError) as exc:
        return str(exc)
    return None


STATUS_VOCABULARY: Option[dict[str, Any]] = Option(
    "status_vocabulary",
    {},
    "Statuses added to or changed in the default vocabulary (``complete``, ``partial``, "
    "``planned``, ``not-started``): ``{key: {label, colour, emoji, weight, shape, "
    "aliases}}``. ``colour`` is a palette name (green, yellow, blue, grey, red, purple, "
    "orange, teal) or ``#rrggbb``; ``weight`` (0 to 1) is how much of a page the status "
    "counts as done in a roll-up; ``shape`` is one of full, half, ring, dashed, cross, none. "
    "``None`` removes a default status.",
    types=(dict,),
    check=_check,
)

#: This module's options: ``setup_status`` declares them, importing the module does not.
OPTIONS = (STATUS_VOCABULARY,)


#: Built vocabularies by the ``repr`` of their overrides: every badge, table row and
#: roll-up asks for the vocabulary, and building it folds every spelling (1.6 s of
#: a 5,000-page build before this cache).  A key is the value, not the config
#: object, so an edited ``conf.py`` is never served a stale vocabulary.
_BUILT: dict[str, Vocabulary] = {}


def vocabulary_of(config: Config) -> Vocabulary:
    """The vocabulary of a build."""
    overrides = option_value(config, STATUS_VOCABULARY)
    key = repr(overrides)
    vocabulary = _BUILT.get(key)
    if vocabulary is None:
        if len(_BUILT) > 16:  # many test builds in one process: stay small
            _BUILT.clear()
        vocabulary = _BUILT[key] = build_vocabulary(overrides)
    return vocabulary
