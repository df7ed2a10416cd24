"""Headless Chromium for the legibility tests: run a probe script in a built page, and
the WCAG contrast arithmetic.  Tests using it carry ``@pytest.mark.browser`` (conftest
skips them locally without chromium and fails them in CI)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=3000",
)


def run_probe(page: Path, script: str, profile: Path) -> Any:
    """Open *page* with *script* appended to its body; return the JSON the script
    writes into ``<pre id="mosaic-probe">``."""
    browser = shutil.which("chromium")
    assert browser is not None, "the browser marker's fixture checks this"
    probe_page = page.with_name("probe-" + page.name)
    html = page.read_text(encoding="utf-8")
    probe_page.write_text(html.replace("</body>", script + "</body>"), encoding="utf-8")
    result = subprocess.run(
        [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", probe_page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    match = re.search(r'<pre id="mosaic-probe">(.*?)</pre>', result.stdout, re.DOTALL)
    assert match, f"chromium printed no probe result: {result.stderr[-2000:]}"
    return json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def parse_colour(value: str) -> tuple[float, float, float, float]:
    """``rgb()``, ``rgba()`` or ``color(srgb ...)`` -> (r, g, b, alpha) with r, g, b in 0..1."""
    numbers = [float(n) for n in re.findall(r"[-+]?\d*\.?\d+(?:e[-+]?\d+)?", value)]
    if value.startswith("color(srgb"):
        red, green, blue = numbers[:3]
    elif value.startswith("rgb"):
        red, green, blue = (n / 255 for n in numbers[:3])
    else:
        raise AssertionError(f"unexpected colour {value!r}")
    alpha = numbers[3] if len(numbers) > 3 else 1.0
    return red, green, blue, alpha


def luminance(rgb: tuple[float, ...]) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in rgb[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: tuple[float, ...], second: tuple[float, ...]) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
