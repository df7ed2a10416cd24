"""Keep unsafe sources out of the build, with a warning, before Sphinx reads them.

Sphinx follows symbolic links when it looks for documents, so a link to a
parent folder makes it walk in circles (hundreds of phantom documents), and a
link to ``/etc/passwd`` named ``notes.md`` publishes that file.  Sphinx also
stops the whole build at the first source that is not valid in
``source_encoding``.  On ``config-inited`` this guard walks the source folder
once, without following links, and adds to ``exclude_patterns``:

* links to folders that contain the link (loops),
* links whose target lies outside the source folder,
* sources (by ``source_suffix``) that do not decode.

Each gets a ``mosaic.source`` warning that names the file and the fix.

On ``source-read`` it also blanks Markdown front matter that our reader
refuses (it has warned already), so MyST-Parser neither warns twice nor
crashes on values it cannot handle.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from sphinx.application import Sphinx
from sphinx.config import Config

from sphinx_mosaic import envdata
from sphinx_mosaic.layout.sources import parse_front_matter, split_front_matter
from sphinx_mosaic.warnings import MosaicWarning, warn


def _is_within(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


class UnsafeSource(NamedTuple):
    path: str  # relative to the source folder
    reason: str
    is_folder: bool
    line: int | None = None


def unsafe_sources(srcdir: Path, suffixes: tuple[str, ...], encoding: str) -> list[UnsafeSource]:
    """Every source the build must skip, with the reason."""
    srcdir = srcdir.resolve()
    found: list[UnsafeSource] = []
    for folder, dirnames, filenames in os.walk(srcdir):
        here = Path(folder)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "_build")
        for name in [*dirnames, *sorted(filenames)]:
            path = here / name
            relative = path.relative_to(srcdir).as_posix()
            if path.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    found.append(
                        UnsafeSource(relative, "is a broken or looping symbolic link", False)
                    )
                    continue
                if not _is_within(target, srcdir):
                    found.append(
                        UnsafeSource(
                            relative,
                            f"is a symbolic link to {target}, outside the source folder",
                            target.is_dir(),
                        )
                    )
                elif target.is_dir() and _is_within(here.resolve(), target):
                    found.append(
                        UnsafeSource(
                            relative, "is a symbolic link to a folder that contains it", True
                        )
                    )
                continue
            if path.suffix in suffixes and path.is_file():
                try:
                    data = path.read_bytes()
                    data.decode(encoding)
                except UnicodeDecodeError as exc:
                    found.append(
                        UnsafeSource(
                            relative,
                            f"is not {encoding} text (byte 0x{data[exc.start]:02x} at offset "
                            f"{exc.start}); re-save it as {encoding}",
                            False,
                            data.count(b"\n", 0, exc.start) + 1,
                        )
                    )
                except OSError as exc:
                    found.append(UnsafeSource(relative, f"cannot be read ({exc.strerror})", False))
    return found


def _exclude_unsafe_sources(app: Sphinx, config: Config) -> None:
    suffixes = tuple(config.source_suffix)
    srcdir = Path(app.srcdir)
    for source in unsafe_sources(srcdir, suffixes, config.source_encoding):
        # The environment does not exist yet, so the location is a plain
        # "path:line" string (Sphinx prints such strings as they are).
        location = f"{srcdir / source.path}:{source.line}" if source.line else None
        warn(
            MosaicWarning.SOURCE,
            f"{source.path} {source.reason}; it is left out of the build",
            location=location,
        )
        relative = source.path
        patterns = [relative, f"{relative}/**"] if source.is_folder else [relative]
        config.exclude_patterns = [*config.exclude_patterns, *patterns]


def setup_guard(app: Sphinx) -> None:
    # After Sphinx has turned source_suffix into a mapping (priority 800).
    app.connect("config-inited", _exclude_unsafe_sources, priority=900)
    app.connect("source-read", _blank_unreadable_front_matter)


def _blank_unreadable_front_matter(app: Sphinx, docname: str, source: list[str]) -> None:
    """Blank a Markdown page's front matter that our reader refuses, keeping its lines.

    The layout model has already warned (``mosaic.front-matter``, with the
    line).  Without this, MyST-Parser would warn a second time for the same
    mistake, and some values make it crash outright (a tagged value PyYAML
    cannot construct, an integer too long to print).  The page's body, and
    so every line number after the block, stays as it is.
    """
    if not source or Path(app.env.doc2path(docname)).suffix != ".md":
        return
    block, _body, body_line = split_front_matter(source[0].lstrip("\ufeff"))
    if block is None:
        return
    layout = envdata.layout(app.env)
    if layout is not None and layout.active:
        # The layout model parsed every page's front matter before the read: take its
        # verdict rather than parse the block a second time.
        refused = {i.docname for i in layout.issues if i.code == "front-matter" and not i.advisory}
        if docname not in refused:
            return
    elif parse_front_matter(block)[1] is None:
        return
    lines = source[0].splitlines(keepends=True)
    source[0] = "\n" * (body_line - 1) + "".join(lines[body_line - 1 :])
