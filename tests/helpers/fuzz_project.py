"""A tiny numbered project that fuzz tests build once per example.

The fixed pages are written once per test module; each example writes its
fuzzed pages, builds from scratch (fresh environment, empty output folder) and
returns every warning Sphinx logged as a record, so a test can check each one
for a location and a type rather than parse coloured text.

The fixed pages consume what fuzzed pages produce: the shelf shows the status
table, the path overview and the contents list, and a path runs through the
fuzzed pages, so a hostile ``status``, ``audience`` or ``last_updated`` reaches
every aggregate that reads it.  The MyST page is on no path, so the overview
lists it under its audiences.
"""

from __future__ import annotations

import logging
import os
import shutil
import zipfile
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from sphinx.testing.util import SphinxTestApp

from sphinx_mosaic.warnings import MosaicWarning

CONF = """\
extensions = ["myst_parser", "sphinx_mosaic"]
project = "Fuzz"
copyright = "2026, sphinx-mosaic tests"
version = release = "1.0"
"""

SHELF = """\
# Shelf

The shelf.

```{status-table}
```

```{mosaic-contents}
```

```{path-overview}
```
"""

BOOK_INDEX = """\
# Book

The book.

```{status-table}
:book: book
```

```{path} fuzz-readers
:title: Fuzz readers
:audience: fuzz

book/rst-page
book/other
```
"""

OTHER = """\
---
status: partial
audience: fuzz
---
# Other

Another page, linking to the {doc}`fuzzed page </book/page>`.
"""

#: The fuzzed pages: a MyST page and a reStructuredText page of the book.
MYST_PAGE = "1-book/1-page.md"
RST_PAGE = "1-book/3-rst-page.rst"

#: A paragraph every fuzzed page carries right under its title: if the output
#: lacks it, the build lost the page's content.
SENTINEL = "Sentinelparagraph"

MOSAIC_SUBTYPES = frozenset(kind.subtype for kind in MosaicWarning)

#: (type, subtype) of warnings about a conf.py value: they name the option, not a page.
CONFIG_WARNINGS = frozenset({("mosaic", "config"), ("config", None), ("config", "")})

#: The output file of a page, by builder.
OUTPUT_SUFFIX = {"html": ".html", "text": ".txt"}
#: Builders that put every page in one file (LaTeX) or in one file per book (BookStack).
BUNDLED = ("latex", "bookstack")


class WarningRecords(logging.Handler):
    """Keep every warning record Sphinx logs (after its location is translated)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if all(record is not seen for seen in self.records):
            self.records.append(record)


@dataclass
class Build:
    """What one fuzz build produced."""

    srcdir: Path
    outdir: Path
    builder: str
    warnings: list[logging.LogRecord]
    warning_text: str
    status_text: str
    pages: dict[str, str] = field(default_factory=dict)

    def problems(self) -> list[str]:
        """Every broken promise of this build: warnings without location or type,
        lost pages, tracebacks.  Empty when the build behaved."""
        found = [self.describe(record) for record in self.warnings if not self.well_formed(record)]
        for text in (self.warning_text, self.status_text):
            if "Traceback" in text or "Exception occurred" in text:
                found.append(f"traceback in the log:\n{text}")
        found.extend(self.lost_pages())
        return found

    def well_formed(self, record: logging.LogRecord) -> bool:
        location = getattr(record, "location", None)
        kind = getattr(record, "type", None)
        subtype = getattr(record, "subtype", None)
        if (kind, subtype) in CONFIG_WARNINGS:
            return True  # about conf.py, which has no page location
        if not isinstance(location, str) or not location.startswith(str(self.srcdir)):
            return False
        if not kind:
            return False
        return kind != "mosaic" or subtype in MOSAIC_SUBTYPES

    @staticmethod
    def describe(record: logging.LogRecord) -> str:
        return (
            f"warning without a file location or a type: location="
            f"{getattr(record, 'location', None)!r} type={getattr(record, 'type', None)!r} "
            f"subtype={getattr(record, 'subtype', None)!r}: {record.getMessage()}"
        )

    def lost_pages(self) -> list[str]:
        lost = []
        for source in self.pages:
            docname = source.rsplit(".", 1)[0]
            if self.builder in BUNDLED:
                # The sentinel of every page must be in the one .tex file, or the
                # book's BookStack ZIP.
                missing = self.bundled_text().count(SENTINEL) < len(self.pages)
            else:
                output = self.outdir / f"{docname}{OUTPUT_SUFFIX[self.builder]}"
                text = output.read_text(encoding="utf-8") if output.is_file() else ""
                missing = SENTINEL not in text
            if missing:
                lost.append(f"{source}: its content is missing from the {self.builder} output")
        return lost

    def bundled_text(self) -> str:
        if self.builder == "latex":
            return "".join(path.read_text(encoding="utf-8") for path in self.outdir.glob("*.tex"))
        texts = []
        for path in sorted(self.outdir.glob("books/*.zip")):
            with zipfile.ZipFile(path) as archive:
                texts += [archive.read(name).decode("utf-8") for name in archive.namelist()]
        return "".join(texts)


class FuzzProject:
    """One source folder reused by every example of a test module."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.srcdir = root / "src"
        self.builddir = root / "_build"
        book = self.srcdir / "1-book"
        book.mkdir(parents=True)
        (self.srcdir / "conf.py").write_text(CONF, encoding="utf-8")
        self.fixed = {
            "README.md": SHELF,
            "1-book/README.md": BOOK_INDEX,
            "1-book/2-other.md": OTHER,
        }

    def build(
        self,
        pages: dict[str, str],
        builder: str = "html",
        confoverrides: dict[str, Any] | None = None,
        *,
        fresh: bool = True,
    ) -> Build:
        """Write *pages* (source path -> text) over the fixed pages and build, from
        scratch unless *fresh* is false (then incrementally, on the last build)."""
        wanted = {**self.fixed, **pages}
        for path in self.srcdir.rglob("*"):
            source = path.relative_to(self.srcdir).as_posix()
            if path.suffix in (".md", ".rst") and source not in wanted:
                path.unlink()
        for source, text in wanted.items():
            path = self.srcdir / source
            # Rewrite only what changed, so an incremental build re-reads only that.
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
        if fresh:
            shutil.rmtree(self.builddir, ignore_errors=True)
        status, warning = StringIO(), StringIO()
        app = SphinxTestApp(
            builder,
            srcdir=self.srcdir,
            builddir=self.builddir,
            freshenv=fresh,
            confoverrides=confoverrides,
            status=status,
            warning=warning,
        )
        records = WarningRecords()
        # Added after Sphinx's own handlers, so locations arrive translated to "file:line".
        sphinx_logger = logging.getLogger("sphinx")
        sphinx_logger.addHandler(records)
        try:
            app.build()
            assert app.statuscode == 0, f"status {app.statuscode}:\n{warning.getvalue()}"
        finally:
            sphinx_logger.removeHandler(records)
            app.cleanup()
        return Build(
            srcdir=self.srcdir,
            outdir=Path(app.outdir),
            builder=builder,
            warnings=records.records,
            warning_text=warning.getvalue(),
            status_text=status.getvalue(),
            pages={source: text for source, text in pages.items() if source not in self.fixed},
        )


#: Examples per builder: html gets the most, text and LaTeX a share each.  Every example is a
#: whole build, and these were two fifths of the suite's time: outside CI (``CI`` unset) a
#: third as many run, derandomized as in CI; a failure CI finds reproduces with ``CI=1``.
#: ``MOSAIC_FUZZ_EXAMPLES=500`` runs more (a fuzzing session, not CI).
_SCALE = int(os.environ.get("MOSAIC_FUZZ_EXAMPLES", "0"))
_SHARE = 1 if os.environ.get("CI") else 3
EXAMPLES = {
    "html": _SCALE or 60 // _SHARE,
    "text": _SCALE or 15 // _SHARE,
    "latex": _SCALE or 15 // _SHARE,
    "bookstack": _SCALE or 15 // _SHARE,
}


def fuzz_settings(builder: str) -> settings:
    """Derandomized, so CI runs the same inputs every time and a failure reproduces;
    ``MOSAIC_FUZZ_RANDOM=1`` draws new inputs."""
    return settings(
        max_examples=EXAMPLES[builder],
        deadline=None,
        derandomize=not os.environ.get("MOSAIC_FUZZ_RANDOM"),
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def describe(pages: dict[str, str]) -> str:
    """The generated pages, one line of source a line, for a failure message."""
    return "\n".join(
        f"  {source}:\n" + "\n".join(f"    {line!r}" for line in text.splitlines())
        for source, text in pages.items()
    )


def check(
    project: FuzzProject,
    pages: dict[str, str],
    builder: str,
    confoverrides: dict[str, Any] | None = None,
    *,
    fresh: bool = True,
) -> None:
    """Build *pages* and fail with every broken promise, and the pages, if any."""
    try:
        build = project.build(pages, builder, confoverrides, fresh=fresh)
    except Exception as exc:
        raise AssertionError(f"the {builder} build raised {exc!r} on:\n{describe(pages)}") from exc
    problems = build.problems()
    assert not problems, "\n".join(problems) + "\non:\n" + describe(pages)
