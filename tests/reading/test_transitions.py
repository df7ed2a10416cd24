"""Stray ``---`` rules: the ones docutils rejects are tidied, every other rule stays."""

from __future__ import annotations

from pathlib import Path

from sphinx.util.console import strip_colors


def test_merged_file_rules_are_tidied(make_app, one_book) -> None:  # type: ignore[no-untyped-def]
    src = one_book(
        {
            "1-page.md": "# Page\n\n---\n\nfirst\n\n---\n\n---\n\nsecond\n\n---\n\n## Sub\n\n"
            "third\n\n---\n"
        }
    )
    app = make_app("html", srcdir=src)
    app.build()
    assert strip_colors(app.warning.getvalue()) == ""
    html = (Path(app.outdir) / "1-book/1-page.html").read_text()
    main = html[html.index("<h1") : html.index("third")]
    # the rule under the title goes; of the two between first and second one stays; the
    # rule before the heading stays (docutils accepts it: writers set sections apart so)
    between = main[main.index("first") : main.index("second")]
    assert between.count("<hr") == 1
    assert main[: main.index("first")].count("<hr") == 0
    assert main[main.index("second") :].count("<hr") == 1
    assert "<hr" not in html[html.index("third") : html.index("</section>", html.index("third"))]

    app = make_app(
        "html", srcdir=src, confoverrides={"mosaic_tidy_transitions": False}, freshenv=True
    )
    app.build()
    assert "adjacent transitions are not allowed" in strip_colors(app.warning.getvalue())
