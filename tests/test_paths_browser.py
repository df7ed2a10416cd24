"""Paths are legible in Furo's light and dark modes (contrast >= 4.5:1, WCAG AA).

Headless chromium loads a built page with a probe script appended: the script
switches Furo's theme, measures the navigation box, its links and the planned
steps with ``getComputedStyle``, and writes the result into the DOM, which
chromium prints with ``--dump-dom``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

ROOTS = Path(__file__).parent / "roots"
FLAGS = (
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
  function opaque(el) {
    // The first ancestor with a visible background: what the text is drawn on.
    for (; el; el = el.parentElement) {
      const bg = getComputedStyle(el).backgroundColor;
      if (bg && bg !== "rgba(0, 0, 0, 0)" && bg !== "transparent") return bg;
    }
    return getComputedStyle(document.body).backgroundColor;
  }
  const selectors = {
    box: ".mosaic-path-nav-line",
    link: ".mosaic-path-nav a, .mosaic-path-steps a",
    planned: ".mosaic-path-planned .mosaic-path-label",
    note: ".mosaic-path-note",
  };
  const results = {};
  for (const mode of ["light", "dark"]) {
    document.body.dataset.theme = mode;
    results[mode] = {
      page: getComputedStyle(document.body).backgroundColor,
      text: getComputedStyle(document.querySelector("article p")).color,
      padding: Array.from(document.querySelectorAll(".mosaic-path-nav")).map(
        (el) => parseFloat(getComputedStyle(el).paddingLeft)),
    };
    for (const [kind, selector] of Object.entries(selectors)) {
      results[mode][kind] = Array.from(document.querySelectorAll(selector)).map((el) => ({
        text: el.textContent.trim(),
        color: getComputedStyle(el).color,
        background: opaque(el),
        visible: el.getBoundingClientRect().height > 0,
      }));
    }
  }
  const out = document.createElement("pre");
  out.id = "mosaic-probe";
  out.textContent = JSON.stringify(results);
  document.body.appendChild(out);
})();
</script>
"""


def rgb(value: str) -> tuple[float, float, float]:
    numbers = [float(n) for n in re.findall(r"[-+]?\d*\.?\d+", value)]
    if value.startswith("color(srgb"):
        return numbers[0], numbers[1], numbers[2]
    assert value.startswith("rgb"), value
    assert len(numbers) == 3 or numbers[3] == 1, f"translucent colour {value}"
    return numbers[0] / 255, numbers[1] / 255, numbers[2] / 255


def luminance(colour: tuple[float, float, float]) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(rgb(first)), luminance(rgb(second))), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def probe(page: Path, profile: Path) -> dict[str, Any]:
    browser = shutil.which("chromium")
    assert browser is not None  # the browser marker's fixture checks this
    probe_page = page.with_name("probe-" + page.name)
    probe_page.write_text(page.read_text().replace("</body>", PROBE + "</body>"))
    result = subprocess.run(
        [browser, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", probe_page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    match = re.search(r'<pre id="mosaic-probe">(.*?)</pre>', result.stdout, re.DOTALL)
    assert match, f"chromium printed no probe result: {result.stderr[-2000:]}"
    data: dict[str, Any] = json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    return data


@pytest.mark.browser
def test_paths_legible_in_furo_light_and_dark(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path
) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-paths", srcdir)
    app = make_app("html", srcdir=srcdir, confoverrides={"html_theme": "furo"})
    app.build()
    assert app.warning.getvalue() == ""
    outdir = Path(app.outdir)
    expected = {
        # page -> how many of each element it shows
        "README.html": {"box": 0, "planned": 3, "note": 3},
        "2-development/3-type-sharing.html": {"box": 2, "planned": 0, "note": 0},
    }
    for page, counts in expected.items():
        results = probe(outdir / page, tmp_path / "profile")
        light, dark = results["light"], results["dark"]
        # The modes really differ: Furo's dark page is dark.
        assert luminance(rgb(light["page"])) > 0.8 > 0.1 > luminance(rgb(dark["page"]))
        for mode, found in results.items():
            for kind, count in counts.items():
                assert len(found[kind]) == count, (page, mode, kind)
            assert found["link"], (page, mode)
            for kind in ("box", "link", "planned", "note"):
                for row in found[kind]:
                    where = f"{page} {mode} {kind} {row['text']!r}"
                    assert row["visible"], where
                    ratio = contrast(row["color"], row["background"])
                    assert ratio >= 4.5, f"{where}: contrast {ratio:.2f}"
            # The box keeps its padding (Furo zeroes it on containers).
            assert all(padding >= 8 for padding in found["padding"]), (page, mode)
            # Planned steps are greyed: not the colour of ordinary text.
            for row in found["planned"]:
                assert row["color"] != found["text"], (page, mode, row["text"])
