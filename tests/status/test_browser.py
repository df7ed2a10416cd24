"""Badges are visible and legible (contrast >= 4.5:1) in Furo's light and dark modes.

Drives Debian's headless chromium with ``--dump-dom``: a probe script appended
to a built page switches Furo's theme, measures every badge with
``getComputedStyle`` and writes the result into the DOM, which chromium prints.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.browser import contrast, luminance, parse_colour, run_probe
from sphinx.testing.util import SphinxTestApp

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


def over(top: tuple[float, float, float, float], below: tuple[float, ...]) -> tuple[float, ...]:
    alpha = top[3]
    return tuple(top[i] * alpha + below[i] * (1 - alpha) for i in range(3))


@pytest.mark.browser
def test_badges_legible_in_furo_light_and_dark(
    make_app: Callable[..., SphinxTestApp], rootdir: Path, tmp_path: Path
) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-status", srcdir)
    app = make_app("html", srcdir=srcdir, confoverrides={"html_theme": "furo"})
    app.build()
    assert app.warning.getvalue() == ""
    outdir = Path(app.outdir)
    for page, count in (("README.html", 7), ("1-alpha/2-two.html", 1)):
        results = run_probe(outdir / page, PROBE, tmp_path / "profile")
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
