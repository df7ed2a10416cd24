"""Paths are legible in Furo's light and dark modes (contrast >= 4.5:1, WCAG AA).

Headless chromium loads a built page with a probe script appended: the script
switches Furo's theme, measures the navigation box, its links and the planned
steps with ``getComputedStyle``, and writes the result into the DOM, which
chromium prints with ``--dump-dom``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.browser import contrast, luminance, parse_colour, run_probe
from sphinx.testing.util import SphinxTestApp

ROOTS = Path(__file__).parents[1] / "roots"
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


def opaque(value: str) -> tuple[float, float, float, float]:
    colour = parse_colour(value)
    assert colour[3] == 1, f"translucent colour {value}"
    return colour


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
        results = run_probe(outdir / page, PROBE, tmp_path / "profile")
        light, dark = results["light"], results["dark"]
        # The modes really differ: Furo's dark page is dark.
        assert luminance(opaque(light["page"])) > 0.8 > 0.1 > luminance(opaque(dark["page"]))
        for mode, found in results.items():
            for kind, count in counts.items():
                assert len(found[kind]) == count, (page, mode, kind)
            assert found["link"], (page, mode)
            for kind in ("box", "link", "planned", "note"):
                for row in found[kind]:
                    where = f"{page} {mode} {kind} {row['text']!r}"
                    assert row["visible"], where
                    ratio = contrast(opaque(row["color"]), opaque(row["background"]))
                    assert ratio >= 4.5, f"{where}: contrast {ratio:.2f}"
            # The box keeps its padding (Furo zeroes it on containers).
            assert all(padding >= 8 for padding in found["padding"]), (page, mode)
            # Planned steps are greyed: not the colour of ordinary text.
            for row in found["planned"]:
                assert row["color"] != found["text"], (page, mode, row["text"])
