"""Badges are visible and legible (contrast >= 4.5:1) in Furo's light and dark modes.

Drives Debian's headless chromium with ``--dump-dom``: a probe script appended
to a built page switches Furo's theme, measures every badge with
``getComputedStyle`` and writes the result into the DOM, which chromium prints.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

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

PROBE = r"""
<script>
(function () {
  const results = {};
  for (const mode of ["light", "dark"]) {
    document.body.dataset.theme = mode;
    results[mode] = Array.from(document.querySelectorAll(".mosaic-status")).map((badge) => {
      const style = getComputedStyle(badge);
      const rect = badge.getBoundingClientRect();
      const shape = badge.querySelector(".mosaic-status-shape");
      return {
        text: badge.textContent.replace(/\s+/g, " ").trim(),
        label: badge.getAttribute("title"),
        color: style.color,
        background: style.backgroundColor,
        page: getComputedStyle(document.body).backgroundColor,
        width: rect.width,
        height: rect.height,
        display: style.display,
        visibility: style.visibility,
        opacity: style.opacity,
        border: style.borderTopStyle + " " + style.borderTopColor,
        shapeWidth: shape ? shape.getBoundingClientRect().width : 0,
      };
    });
  }
  const out = document.createElement("pre");
  out.id = "mosaic-probe";
  out.textContent = JSON.stringify(results);
  document.body.appendChild(out);
})();
</script>
"""


def chromium() -> str:
    found = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs Debian's chromium)")
        pytest.skip("chromium is not installed")
    return found


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


def over(top: tuple[float, float, float, float], below: tuple[float, ...]) -> tuple[float, ...]:
    alpha = top[3]
    return tuple(top[i] * alpha + below[i] * (1 - alpha) for i in range(3))


def luminance(rgb: tuple[float, ...]) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in rgb[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: tuple[float, ...], second: tuple[float, ...]) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def probe(browser: str, page: Path, profile: Path) -> dict[str, list[dict[str, Any]]]:
    html = page.read_text(encoding="utf-8")
    probe_page = page.with_name("probe-" + page.name)
    probe_page.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    result = subprocess.run(
        [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", probe_page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    match = re.search(r'<pre id="mosaic-probe">(.*?)</pre>', result.stdout, re.DOTALL)
    assert match, f"chromium printed no probe result: {result.stderr[-2000:]}"
    data: dict[str, list[dict[str, Any]]] = json.loads(
        match.group(1).replace("&quot;", '"').replace("&amp;", "&")
    )
    return data


@pytest.mark.browser
def test_badges_legible_in_furo_light_and_dark(
    make_app: Callable[..., SphinxTestApp], rootdir: Path, tmp_path: Path
) -> None:
    browser = chromium()
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-status", srcdir)
    app = make_app("html", srcdir=srcdir, confoverrides={"html_theme": "furo"})
    app.build()
    assert app.warning.getvalue() == ""
    outdir = Path(app.outdir)
    for page, count in (("README.html", 7), ("1-alpha/2-two.html", 1)):
        results = probe(browser, outdir / page, tmp_path / "profile")
        pages = {mode: parse_colour(rows[0]["page"]) for mode, rows in results.items()}
        # the modes really differ: Furo's dark background is dark
        assert luminance(pages["light"]) > 0.8 > 0.1 > luminance(pages["dark"])
        for mode, rows in results.items():
            assert len(rows) == count, (page, mode)
            for row in rows:
                where = f"{page} {mode} {row['text']!r}"
                assert row["display"] != "none" and row["visibility"] == "visible", where
                assert float(row["opacity"]) == 1.0, where
                assert row["width"] > 20 and row["height"] > 8, where
                assert row["shapeWidth"] > 4, where  # a shape, not colour alone
                assert row["label"].startswith("Status: "), where
                assert row["text"] == row["label"], where  # what screen readers hear
                background = over(parse_colour(row["background"]), pages[mode])
                text = over(parse_colour(row["color"]), background)
                ratio = contrast(text, background)
                # styled by our stylesheet: framed, and tinted apart from the page
                assert row["border"].startswith("solid "), where
                assert contrast(background, pages[mode]) > 1.05, where
                assert ratio >= 4.5, f"{where}: contrast {ratio:.2f}"
