"""Sources to cached PNG files, with the warnings: one per diagram kept as code, located.

One :class:`Drawer` per build environment (:func:`drawer_of`), so per build.  It runs in the
process that resolves doctrees: the main process, also under ``-j`` (Sphinx
resolves every doctree there before handing it to a writer process), or the
alongside worker.  The cache's files are written whole, so two processes
drawing the same source at once both end with the same file.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import resvg_py
from PIL import Image
from sphinx.environment import BuildEnvironment

from sphinx_mosaic import images
from sphinx_mosaic.config import option_value
from sphinx_mosaic.diagrams import renderers
from sphinx_mosaic.diagrams.cache import FOLDER, DrawingCache, drawing_key
from sphinx_mosaic.diagrams.options import (
    DIAGRAMS,
    DRAWING_TIMEOUT,
    KINDS,
    MERMAID_BROWSER,
    MERMAID_COMMAND,
    MERMAID_PUPPETEER_CONFIG,
)
from sphinx_mosaic.warnings import MosaicWarning, warn

#: Font sizes (CSS px) of formulas: body text, and a little larger on their own line.
INLINE_MATH_SIZE = 16.0
DISPLAY_MATH_SIZE = 18.0


def draws(value: object, kind: str) -> bool:
    """Whether the ``mosaic_diagrams`` *value* (a bool, or a list of kinds) draws *kind*."""
    if isinstance(value, bool):
        return value
    return isinstance(value, (list, tuple, set, frozenset)) and kind in value


@dataclass(frozen=True)
class Drawn:
    """A drawing's PNG file, and the size (CSS px) to show it at, when not its own."""

    path: Path
    size: tuple[int, int] | None = None


@dataclass
class Drawer:
    env: BuildEnvironment
    #: Kinds ("graphviz", "mermaid", "math") whose renderer is missing in this build, with
    #: the reason and how to install it.
    missing: dict[str, str] = field(default_factory=dict)
    #: Refusals not worth remembering across builds (a timeout on a busy machine).
    transient: dict[str, str] = field(default_factory=dict)

    @property
    def cache(self) -> DrawingCache:
        return DrawingCache(Path(self.env.doctreedir) / FOLDER)

    @property
    def enabled(self) -> bool:
        """Whether any kind is drawn (``mosaic_diagrams`` is neither False nor empty)."""
        return any(self.draws(kind) for kind in KINDS)

    def draws(self, kind: str) -> bool:
        """Whether *kind* is drawn: ``mosaic_diagrams`` is True or lists it."""
        return draws(option_value(self.env.config, DIAGRAMS), kind)

    def _timeout(self) -> float:
        return float(option_value(self.env.config, DRAWING_TIMEOUT))

    def _missing(self, kind: str, message: str) -> None:
        self.missing.setdefault(kind, message)

    def _kept(self, kind: str, what: str, location: Any) -> None:
        """Warn, at the diagram, that its renderer is missing (one warning per diagram:
        each one is a place the reader sees code instead of a picture)."""
        warn(
            MosaicWarning.RENDERER,
            f"{what} is kept as code: {self.missing[kind]}; or leave {kind!r} out of "
            "mosaic_diagrams to keep such drawings as code without a warning",
            location=location,
        )

    def _refused(self, what: str, message: str, location: Any) -> None:
        warn(
            MosaicWarning.DRAWING,
            f"{what} cannot be drawn, it is kept as code: {message}",
            location=location,
        )

    def _outcome(self, kind: str, key: str, what: str, location: Any) -> Path | None:
        """The cached drawing of *key*, or None after warning about its refusal."""
        found = self.cache.get(key)
        if found is not None:
            return found
        refusal = self.transient.get(key) or self.cache.refusal(key)
        if refusal is not None:
            self._refused(what, refusal, location)
        return None

    def _known(self, key: str) -> bool:
        return (
            key in self.transient
            or self.cache.get(key) is not None
            or (self.cache.refusal(key) is not None)
        )

    def _refuse(self, key: str, message: str) -> None:
        if "did not finish" in message:
            self.transient[key] = message
        else:
            self.cache.store_refusal(key, message)

    # -- Graphviz -------------------------------------------------------------

    def graphviz(self, code: str, program: str, cwd: Path | None, location: Any) -> Drawn | None:
        args = [str(a) for a in self.env.config.graphviz_dot_args]
        if not self.draws("graphviz"):
            return None
        key = drawing_key("graphviz", (program, *args, "-Tpng"), code)
        if not self._known(key):
            if "graphviz" not in self.missing:
                try:
                    png = renderers.graphviz_png(code, program, args, cwd, self._timeout())
                except renderers.Missing as error:
                    self._missing("graphviz", str(error))
                except renderers.Refused as error:
                    self._refuse(key, f"{program} says: {error}")
                else:
                    self.cache.store(key, png)
            if "graphviz" in self.missing and not self._known(key):
                self._kept("graphviz", "this Graphviz diagram", location)
                return None
        path = self._outcome("graphviz", key, "this Graphviz diagram", location)
        return Drawn(path) if path is not None else None

    # -- Mermaid --------------------------------------------------------------

    def _mermaid_setup(self) -> renderers.MermaidSetup:
        config = self.env.config
        return renderers.MermaidSetup.from_options(
            str(option_value(config, MERMAID_COMMAND)),
            str(option_value(config, MERMAID_PUPPETEER_CONFIG)),
            str(option_value(config, MERMAID_BROWSER)),
            self._timeout(),
        )

    def _mermaid_key(self, setup: renderers.MermaidSetup, source: str) -> str:
        return drawing_key("mermaid", setup.key_options(), source)

    def prepare_mermaid(self, sources: list[str]) -> None:
        """Draw every source not in the cache yet, in as few CLI runs as possible.

        With no sources, nothing is looked up: finding the browser searches PATH, and
        this runs for every page of a bookstack, alongside or latex build."""
        if not sources or not self.draws("mermaid") or "mermaid" in self.missing:
            return
        setup = self._mermaid_setup()
        wanted: dict[str, str] = {}
        for source in sources:
            key = self._mermaid_key(setup, source)
            if not self._known(key):
                wanted.setdefault(key, source)
        if not wanted:
            return
        try:
            results = renderers.mermaid_pngs(list(wanted.values()), setup)
        except renderers.Missing as error:
            self._missing("mermaid", str(error))
            return
        for key, result in zip(wanted, results, strict=True):
            if isinstance(result, renderers.Refused):
                self._refuse(key, f"the Mermaid CLI says: {result}")
            else:
                self.cache.store(key, result)

    def mermaid(self, source: str, location: Any) -> Drawn | None:
        if not self.draws("mermaid"):
            return None
        setup = self._mermaid_setup()
        key = self._mermaid_key(setup, source)
        self.prepare_mermaid([source])
        if "mermaid" in self.missing and self.cache.get(key) is None:
            self._kept("mermaid", "this Mermaid diagram", location)
            return None
        path = self._outcome("mermaid", key, "this Mermaid diagram", location)
        return Drawn(path) if path is not None else None

    # -- maths ----------------------------------------------------------------

    def math(self, latex: str, inline: bool, location: Any) -> Drawn | None:
        if not self.draws("math"):
            return None
        size = INLINE_MATH_SIZE if inline else DISPLAY_MATH_SIZE
        options = (
            f"ziamath {renderers.math_version()}",
            f"resvg {resvg_py.__resvg_version__}",
            f"svg {images.SCALE}x max {images.MAX_SIDE}px",
            "inline" if inline else "display",
            f"{size}px",
        )
        key = drawing_key("math", options, latex)
        if not self._known(key):
            if "math" not in self.missing:
                try:
                    drawing = renderers.math_svg(latex, inline, size)
                    png = images.svg_to_png(drawing)
                except renderers.Missing as error:
                    self._missing("math", str(error))
                except (renderers.Refused, images.SvgError) as error:
                    self._refuse(key, str(error))
                else:
                    self.cache.store(key, png)
            if "math" in self.missing and not self._known(key):
                self._kept("math", "this formula", location)
                return None
        path = self._outcome("math", key, "this formula", location)
        if path is None:
            return None
        # The PNG is drawn at images.SCALE times its size, to stay sharp on dense screens.
        with Image.open(path) as image:
            width, height = image.size
        return Drawn(path, (round(width / images.SCALE), round(height / images.SCALE)))


_DRAWERS: weakref.WeakKeyDictionary[BuildEnvironment, Drawer] = weakref.WeakKeyDictionary()


def drawer_of(env: BuildEnvironment) -> Drawer:
    """The drawer of *env* (made on first use; kept off the pickled environment)."""
    drawer = _DRAWERS.get(env)
    if drawer is None:
        drawer = _DRAWERS[env] = Drawer(env)
    return drawer
