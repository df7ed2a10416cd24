"""The programs that draw: Graphviz's ``dot``, the Mermaid CLI (``mmdc``), ziamath.

Each renderer returns PNG bytes, or raises :class:`Missing` (the program or
package is not installed: the message says what to install) or
:class:`Refused` (it does not accept the source: the message is its own
error, shortened).  Nothing here knows about Sphinx.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MERMAID_INSTALL = (
    "install the Mermaid CLI (PUPPETEER_SKIP_DOWNLOAD=1 npm install -g "
    "@mermaid-js/mermaid-cli) and chromium"
)
GRAPHVIZ_INSTALL = "install Graphviz (the dot program; Debian: apt-get install graphviz)"
MATH_INSTALL = "install ziamath (pip install ziamath)"
#: A stack frame of a JavaScript error ("Array.forEach (<anonymous>)", "at f (file:1:2)").
_FRAME = re.compile(r"^(at\s.*|[\w.$<>\[\] ]+ \(.*\))$")
#: Words of puppeteer's errors when the browser itself cannot start.
_NO_BROWSER = re.compile(r"Failed to launch|Could not find (Chrome|Chromium|browser)|ENOENT", re.I)


class Missing(Exception):
    """The renderer is not installed; the message says what to install."""


class Refused(Exception):
    """The renderer does not accept the source; the message is its error, shortened."""


def short_error(text: str, lines: int = 3, limit: int = 300) -> str:
    """The first lines of a program's error output, without stack traces."""
    kept: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or _FRAME.match(stripped) or "node_modules" in stripped:
            continue
        kept.append(stripped)
        if len(kept) == lines:
            break
    shown = " | ".join(kept) or "no error message"
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


# -- Graphviz -----------------------------------------------------------------


def graphviz_png(
    code: str, program: str, args: list[str], cwd: Path | None, timeout: float
) -> bytes:
    """*code* drawn by Graphviz's *program* (``dot``, or a layout such as ``neato``)."""
    if shutil.which(program) is None:
        raise Missing(f"{program!r} is not found; {GRAPHVIZ_INSTALL}")
    try:
        done = subprocess.run(
            [program, *args, "-Tpng"],
            input=code.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            cwd=cwd if cwd is not None and cwd.is_dir() else None,
            check=False,
        )
    except OSError as error:
        raise Missing(f"{program!r} cannot be run ({error}); {GRAPHVIZ_INSTALL}") from error
    except subprocess.TimeoutExpired as error:
        raise Refused(f"{program} did not finish in {timeout:g} s") from error
    if done.returncode != 0 or not done.stdout.startswith(PNG_SIGNATURE):
        raise Refused(short_error(done.stderr.decode("utf-8", "replace")))
    return done.stdout


# -- maths --------------------------------------------------------------------


def display_latex(text: str) -> str:
    """A display formula as one expression, as Sphinx gives it to MathJax and LaTeX: its
    equations (parts separated by blank lines) and its ``\\\\`` lines aligned at ``&``,
    unless it opens an environment of its own."""
    parts = [part.strip() for part in text.split("\n\n") if part.strip()]
    if len(parts) == 1 and (parts[0].startswith("\\begin") or not re.search(r"\\\\|&", parts[0])):
        return parts[0]
    return "\\begin{aligned}" + " \\\\ ".join(parts) + "\\end{aligned}"


def math_svg(latex: str, inline: bool, size: float) -> bytes:
    """*latex* (maths, without ``$``) as SVG, drawn by ziamath with its own font."""
    try:
        import ziamath
    except ImportError as error:
        raise Missing(f"ziamath is not installed; {MATH_INSTALL}") from error
    try:
        if not inline:
            latex = display_latex(latex)
        svg = ziamath.Latex(latex, size=size, inline=inline).svg()  # type: ignore[attr-defined]
    except Exception as error:  # ziamath raises anything (AssertionError, KeyError) on bad input
        raise Refused(f"ziamath cannot read it: {type(error).__name__} {error}".strip()) from error
    return str(svg).encode("utf-8")


def math_version() -> str:
    try:
        import ziamath
    except ImportError:
        return "none"
    return str(getattr(ziamath, "__version__", "unknown"))


# -- Mermaid ------------------------------------------------------------------


@dataclass(frozen=True)
class MermaidSetup:
    """How the Mermaid CLI is run: its command and puppeteer's configuration."""

    command: tuple[str, ...]
    #: A puppeteer configuration file given by the user, or None to write one.
    puppeteer_config: Path | None
    browser: str | None
    timeout: float

    @classmethod
    def from_options(
        cls, command: str, puppeteer_config: str, browser: str, timeout: float
    ) -> MermaidSetup:
        found = browser or next(
            (
                path
                for name in ("chromium", "chromium-browser", "google-chrome")
                if (path := shutil.which(name))
            ),
            None,
        )
        config = Path(puppeteer_config) if puppeteer_config else None
        return cls(tuple(shlex.split(command)), config, found, timeout)

    def check(self) -> None:
        """Raise :class:`Missing` unless the CLI and a browser are there."""
        if not self.command or shutil.which(self.command[0]) is None:
            shown = " ".join(self.command) or "(empty)"
            raise Missing(f"the Mermaid CLI {shown!r} is not found; {MERMAID_INSTALL}")
        if self.puppeteer_config is None and self.browser is None:
            raise Missing(f"no chromium for the Mermaid CLI is found; {MERMAID_INSTALL}")

    def _config_file(self, folder: Path) -> Path:
        if self.puppeteer_config is not None:
            return self.puppeteer_config
        path = folder / "puppeteer.json"
        # --no-sandbox: chromium's sandbox needs user namespaces, which containers and CI
        # runners often lack; the pages drawn are our own diagrams.
        path.write_text(json.dumps({"executablePath": self.browser, "args": ["--no-sandbox"]}))
        return path

    def key_options(self) -> tuple[str, ...]:
        return ("mmdc", *self.command, "-b white -e png")


def _fence(source: str) -> str:
    return f"```mermaid\n{source.rstrip()}\n```\n"


def mermaid_pngs(sources: list[str], setup: MermaidSetup) -> list[bytes | Refused]:
    """Each of *sources* drawn by the Mermaid CLI, in as few runs as it allows.

    The CLI draws every diagram of a Markdown file in one browser launch (about
    1-2 s each launch), as ``out-1.png``, ``out-2.png``...  in order, and stops
    at the first diagram it refuses: that one is refused with the CLI's error
    and the run goes on from the next.  A source holding a fence of its own
    (three backticks) is drawn alone from a ``.mmd`` file.  Raises
    :class:`Missing` when the CLI or its browser cannot start.
    """
    setup.check()
    results: list[bytes | Refused | None] = [None] * len(sources)
    with tempfile.TemporaryDirectory(prefix="mosaic-mermaid-") as name:
        folder = Path(name)
        config = setup._config_file(folder)
        batch = [i for i, source in enumerate(sources) if "```" not in source]
        alone = [i for i, source in enumerate(sources) if "```" in source]
        run = 0
        while batch:
            run += 1
            given = folder / f"in{run}.md"
            given.write_text("\n".join(_fence(sources[i]) for i in batch), encoding="utf-8")
            stderr, failed = _run(setup, config, given, folder / f"out{run}.md", len(batch))
            drawn = 0
            for index in batch:
                png = folder / f"out{run}-{drawn + 1}.png"
                if not png.is_file():
                    break
                results[index] = png.read_bytes()
                drawn += 1
            if drawn == len(batch):
                break
            if _NO_BROWSER.search(stderr) and drawn == 0:
                raise Missing(f"the Mermaid CLI cannot start chromium: {short_error(stderr)}")
            results[batch[drawn]] = Refused(failed or short_error(stderr))
            batch = batch[drawn + 1 :]
        for index in alone:
            given, out = folder / f"alone{index}.mmd", folder / f"alone{index}.png"
            given.write_text(sources[index], encoding="utf-8")
            stderr, failed = _run(setup, config, given, out, 1)
            if out.is_file():
                results[index] = out.read_bytes()
            elif _NO_BROWSER.search(stderr):
                raise Missing(f"the Mermaid CLI cannot start chromium: {short_error(stderr)}")
            else:
                results[index] = Refused(failed or short_error(stderr))
    return [r if r is not None else Refused("the Mermaid CLI drew nothing") for r in results]


def _run(setup: MermaidSetup, config: Path, given: Path, out: Path, count: int) -> tuple[str, str]:
    """Run the CLI once; (its error output, a timeout message or "")."""
    command = [*setup.command, "-i", str(given), "-o", str(out), "-p", str(config)]
    command += ["-b", "white", "-e", "png", "-q"]
    timeout = setup.timeout * max(1, count)
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except OSError as error:
        raise Missing(f"the Mermaid CLI cannot be run ({error}); {MERMAID_INSTALL}") from error
    except subprocess.TimeoutExpired as error:
        stderr = error.stderr.decode("utf-8", "replace") if error.stderr else ""
        return stderr, f"the Mermaid CLI did not finish in {timeout:g} s"
    return done.stderr.decode("utf-8", "replace"), ""
