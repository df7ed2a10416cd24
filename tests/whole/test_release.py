"""What a release needs besides the code: a changelog entry for the version, the project URLs
a package index shows, and a workflow that checks and publishes both distributions."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import yaml

import sphinx_mosaic

if sys.version_info >= (3, 11):
    import tomllib
else:  # the test extra installs tomli on Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
REPOSITORY = "https://github.com/sphinx-mosaic/sphinx-mosaic"


def pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def changelog_sections() -> dict[str, str]:
    """Version -> the text of its section (Keep a Changelog: ``## [1.2.3] - 2026-12-06``)."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    parts = re.split(r"^## \[([^\]]+)\] - (?:\d{4}-\d{2}-\d{2}|Unreleased)$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_the_changelog_has_an_entry_for_the_current_version() -> None:
    sections = changelog_sections()
    assert sphinx_mosaic.__version__ in sections, sorted(sections)
    entry = sections[sphinx_mosaic.__version__]
    kinds = re.findall(r"^### (\w+)$", entry, flags=re.M)
    assert kinds, "the entry has no Added/Changed/Fixed/... subsection"
    assert set(kinds) <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
    assert re.search(r"^- \S", entry, flags=re.M), "the entry lists no change"


def test_the_changelog_lists_the_newest_version_first() -> None:
    versions = list(changelog_sections())
    as_numbers = [tuple(int(n) for n in v.split(".")) for v in versions]
    assert as_numbers == sorted(as_numbers, reverse=True)
    assert versions[0] == sphinx_mosaic.__version__


def test_the_project_urls_name_source_issues_changelog_and_docs() -> None:
    urls = pyproject()["project"]["urls"]
    assert urls["Source"] == REPOSITORY
    assert urls["Issues"] == f"{REPOSITORY}/issues"
    assert urls["Changelog"] == f"{REPOSITORY}/blob/main/CHANGELOG.md"
    assert urls["Documentation"].startswith("https://")


def test_the_sdist_carries_the_changelog() -> None:
    assert "CHANGELOG.md" in pyproject()["tool"]["flit"]["sdist"]["include"]


def test_the_release_workflow_checks_and_publishes_on_a_version_tag() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/release.yml").read_text(encoding="utf-8"))
    # PyYAML reads the key ``on`` as the boolean True (YAML 1.1).
    triggers = workflow.get("on", workflow.get(True))
    assert triggers["push"]["tags"] == ["v*"]
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    commands = "\n".join(step.get("run", "") for step in steps)
    assert "python -m build" in commands
    assert "twine check" in commands
    assert "__version__" in commands, "the tag is not compared with the package's version"
    publish = [job for job in workflow["jobs"].values() if job.get("permissions")]
    assert [job["permissions"] for job in publish] == [{"id-token": "write"}]
    assert any(
        step.get("uses", "").startswith("pypa/gh-action-pypi-publish@")
        for step in publish[0]["steps"]
    )


def test_the_readme_example_builds_what_it_says(tmp_path: Path) -> None:
    """The README's '30 seconds' commands, run as written in an empty folder."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## In 30 seconds", 1)[1].split("\n## ", 1)[0]
    script = re.search(r"```bash\n(.*?)```", section, flags=re.S)
    assert script is not None
    # The commands are a shell's (bash, mkdir): a reader's machine has them, and so does ours
    # when CI runs the suite with only python and git on PATH (hence the system's default path).
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"], os.defpath])
    bash = shutil.which("bash", path=path)
    assert bash is not None, f"no bash on {path}"
    env = dict(os.environ, PATH=path)
    done = subprocess.run(
        [bash, "-euo", "pipefail", "-c", script.group(1)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    page = (tmp_path / "_build/html/1-guide/1-install.html").read_text(encoding="utf-8")
    assert "Complete" in page
    assert zipfile.is_zipfile(tmp_path / "_build/bookstack/books/1-guide.zip")
    assert re.search(r"Team handbook.*Guide.*Install", done.stdout, flags=re.S), done.stdout
