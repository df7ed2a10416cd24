"""What an ordinary Sphinx project (toctrees, no numbered folders) gets, and does not get,
from the numbered layout's defaults."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from helpers.build import build
from helpers.trees import write_tree

#: A toctree project whose names clash once numbers are stripped (``guide`` and
#: ``guide/index``) and with a fence that names no language.
TOCTREE_PROJECT = {
    "conf.py": 'extensions = ["myst_parser", "sphinx_mosaic"]\nproject = "Demo"\n',
    "index.md": "# Demo\n\n```{toctree}\nguide\nguide/index\n```\n\n```\nplain\n```\n",
    "guide.md": "# Guide\n\ntext\n",
    "guide/index.md": "# Guide index\n\ntext\n",
}


def subtypes(warnings: str) -> list[str]:
    return sorted(re.findall(r"\[(mosaic\.[a-z-]+)\]", re.sub(r"\x1b\[[0-9;]*m", "", warnings)))


def build_project(tmp_path: Path, files: dict[str, str], **kwargs: Any) -> tuple[Path, str]:
    src = write_tree(tmp_path / "src", files)
    return build(src, tmp_path / "_build", "html", **kwargs)


def test_layout_checks_stay_silent_without_the_layout(tmp_path: Path) -> None:
    _, warnings = build_project(tmp_path, TOCTREE_PROJECT)
    assert "mosaic.ambiguous-name" not in subtypes(warnings)
    assert "mosaic.code-language" not in subtypes(warnings)


def test_code_language_check_runs_when_the_project_asks(tmp_path: Path) -> None:
    _, warnings = build_project(
        tmp_path, TOCTREE_PROJECT, confoverrides={"mosaic_require_code_language": True}
    )
    assert subtypes(warnings).count("mosaic.code-language") == 1


def test_layout_checks_still_run_with_the_layout(tmp_path: Path) -> None:
    files = {
        "conf.py": TOCTREE_PROJECT["conf.py"],
        "index.md": "# Demo\n",
        "1-book/README.md": "# Book\n\n```\nplain\n```\n",
        "1-book/1-same.md": "# Same\n",
        "1-book/2-same.md": "# Same again\n",
    }
    _, warnings = build_project(tmp_path, files)
    assert subtypes(warnings).count("mosaic.ambiguous-name") == 1
    assert subtypes(warnings).count("mosaic.code-language") == 1


def footers(outdir: Path) -> list[str]:
    html = (outdir / "index.html").read_text(encoding="utf-8")
    return re.findall(r'class="mosaic-page-footer"', html)


def test_no_dated_footer_without_the_layout(tmp_path: Path) -> None:
    outdir, _ = build_project(
        tmp_path, {**TOCTREE_PROJECT, "conf.py": 'release = "1.0"\n' + TOCTREE_PROJECT["conf.py"]}
    )
    assert footers(outdir) == []
    assert "Last updated" not in (outdir / "guide.html").read_text(encoding="utf-8")


def test_a_toctree_project_asks_for_dates(tmp_path: Path) -> None:
    for option, value in [
        ("mosaic_page_footer", True),
        ("mosaic_last_updated_sources", ["front-matter", "mtime"]),
    ]:
        outdir, _ = build_project(tmp_path / option, TOCTREE_PROJECT, confoverrides={option: value})
        assert "Last updated: " in (outdir / "guide.html").read_text(encoding="utf-8"), option


def test_layout_projects_keep_their_footers(tmp_path: Path) -> None:
    files = {
        "conf.py": TOCTREE_PROJECT["conf.py"],
        "index.md": "# Demo\n",
        "1-book/README.md": "# Book\n\nAbout.\n",
        "1-book/1-page.md": "# Page\n\nText.\n",
    }
    outdir, _ = build_project(tmp_path, files)
    assert "Last updated: " in (outdir / "1-book" / "1-page.html").read_text(encoding="utf-8")
