"""Messages one step from the fix: "did you mean", and what a page with bad front matter lost."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from helpers.trees import write_tree
from sphinx.testing.util import SphinxTestApp

from sphinx_mosaic.layout.sources import read_source
from sphinx_mosaic.status.vocabulary import Vocabulary
from sphinx_mosaic.suggest import closest, did_you_mean

ANSI = re.compile(r"\x1b\[[0-9;]*m")

FILES = {
    "conf.py": 'extensions = ["myst_parser", "sphinx_mosaic"]\nproject = "Typos"\n',
    "README.md": (
        "# Shelf\n\n"
        "```{path} dev\n:audience: developer\nguide/start\nguide/strat\n```\n\n"
        "See {path:ref}`deb`.\n\n"
        "```{status-table}\n:book: gide\n```\n"
    ),
    "1-guide/README.md": "# Guide\n",
    "1-guide/1-start.md": "---\nstatus: compelte\naudience: developr\n---\n# Start\n",
    "1-guide/2-open.md": "---\nstatus: complete\ntitle: Open\n\n# Open\n\nText.\n",
    "1-guide/3-keys.md": "---\nstauts: complete\ntags: [a]\nauthor: me\n---\n# Keys\n",
    "1-guide/4-rule.md": "---\n\nA page that starts with a rule.\n\n# Rule\n",
}


def build(make_app: Callable[..., SphinxTestApp], tmp_path: Path) -> list[str]:
    app = make_app("html", srcdir=write_tree(tmp_path / "src", FILES))
    app.build()
    text = ANSI.sub("", app.warning.getvalue()).replace(str(app.srcdir) + "/", "")
    return [line.replace("WARNING: ", "") for line in text.splitlines() if line.strip()]


def test_warnings_suggest_the_name_meant(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path
) -> None:
    warnings = build(make_app, tmp_path)

    def one(fragment: str) -> str:
        found = [w for w in warnings if fragment in w]
        assert len(found) == 1, (fragment, warnings)
        return found[0]

    assert one("unknown status 'compelte'").startswith(
        "1-guide/1-start.md:2: unknown status 'compelte' (did you mean 'complete'?); valid values:"
    )
    assert one("step 2: no page 'guide/strat'").startswith(
        "README.md:6: path 'dev', step 2: no page 'guide/strat' (did you mean 'guide/start'?);"
    )
    assert "unknown path id 'deb' (did you mean 'dev'?)" in one("unknown path id")
    assert "status-table: no book 'gide' (did you mean 'guide'?)" in one("status-table")
    assert one("audience 'developr'").startswith(
        "1-guide/1-start.md:3: audience 'developr' (did you mean 'developer'?) is the audience "
        "of no reading path"
    )
    # Front matter left open: located, and it says what the page lost.
    assert one("front matter is not closed") == (
        "1-guide/2-open.md:1: front matter is not closed: the '---' on line 1 opens it but no "
        "'---' line ends it, so its lines are shown as text; add a '---' line after the last "
        "key; the page gets nothing from its front matter (no status, title or audience) until "
        "it is fixed [mosaic.front-matter]"
    )
    # A mistyped key of ours is reported; other tools' keys (tags, author) are not.
    assert one("unknown front matter key") == (
        "1-guide/3-keys.md:2: unknown front matter key 'stauts' (did you mean 'status'?); it "
        "is ignored, so the page has no status from it [mosaic.front-matter]"
    )
    # A page that opens with a thematic break is no front matter at all.
    assert not [w for w in warnings if "4-rule" in w]


def test_a_mistyped_key_keeps_the_rest_of_the_front_matter(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path
) -> None:
    build(make_app, tmp_path)
    (html,) = (tmp_path / "src").rglob("3-keys.html")
    text = html.read_text(encoding="utf-8")
    assert "Keys" in text  # the page itself, built
    # The block is still front matter (not printed as text), only the typo is ignored.
    assert "stauts" not in text
    assert "author: me" not in text


def test_closest_only_suggests_near_names() -> None:
    assert closest("compelte", ["complete", "partial"]) == "complete"
    assert closest("COMPELTE", ["complete"]) == "complete"
    assert closest("banana", ["complete", "partial"]) is None
    assert closest("complete", ["complete"]) is None  # nothing to correct
    assert did_you_mean("parital", ["partial"]) == " (did you mean 'partial'?)"
    assert did_you_mean("zzz", ["partial"]) == ""


def test_vocabulary_suggests_by_key_label_or_alias() -> None:
    vocabulary = Vocabulary()
    assert vocabulary.suggest("compelte") == " (did you mean 'complete'?)"
    assert vocabulary.suggest("Not strated") == " (did you mean 'not-started'?)"
    assert vocabulary.suggest("xyz") == ""


def test_read_source_front_matter_shapes(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("---\nstatus: partial\n# Title\n", encoding="utf-8")
    assert read_source(page).front_matter_error is not None
    page.write_text("---\nA rule, then prose.\n", encoding="utf-8")
    assert read_source(page).front_matter_error is None
    page.write_text("---\nstatus: partial\n---\n# Title\n", encoding="utf-8")
    info = read_source(page)
    assert info.front_matter == {"status": "partial"} and info.front_matter_typos == []
