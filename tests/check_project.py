"""Build any Sphinx project as html and as bookstack, and check the BookStack output.

    python tests/check_project.py SOURCE_DIR OUTPUT_DIR [-D name=value ...]

Prints the books, every problem the ZIP checks (``bookstack_checks``) find,
and the html pages (less genindex, search, py-modindex) that are in no
BookStack page, or in two.  A page in no toctree counts only with
``-D mosaic_bookstack_extras=books``.  Exits 1 on any problem.
``tests/test_real_projects.py`` runs :func:`check` on the docs that real
projects ship in their source distributions on PyPI.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from bookstack_checks import check_package

SPECIAL = {"genindex", "search", "py-modindex"}


def documents_in(manifest: dict[str, Any]) -> list[str]:
    """Every document the books hold: as a page, or as a book's or chapter's description."""
    found: list[str] = []
    for book in manifest["books"]:
        pages: list[dict[str, Any]] = []
        for entry in book["contents"]:
            inner = entry["pages"] if entry["type"] == "chapter" else [entry]
            pages += inner
            if (
                entry["type"] == "chapter"
                and entry["docname"]  # a chapter made of a toctree group has no document
                and entry["docname"] not in {p["docname"] for p in inner}
            ):
                found.append(entry["docname"])
        found += [page["docname"] for page in pages]
        if book["docname"] and book["docname"] not in {p["docname"] for p in pages}:
            found.append(book["docname"])
    shelf = manifest["shelf"]["docname"]
    return found if shelf in found else [*found, shelf]


@dataclass
class ProjectCheck:
    """What building one project as html and bookstack gave."""

    #: builder -> (exit status, stderr)
    builds: dict[str, tuple[int, str]] = field(default_factory=dict)
    #: ZIP name -> the problems ``check_package`` found in it
    problems: dict[str, list[str]] = field(default_factory=dict)
    #: book names, in shelf order
    books: list[str] = field(default_factory=list)
    #: html pages made from a source document (less genindex, search, py-modindex)
    html_pages: set[str] = field(default_factory=set)
    #: those in no BookStack page, and those in two
    missing: list[str] = field(default_factory=list)
    twice: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        built = all(status == 0 for status, _ in self.builds.values())
        clean = not any(self.problems.values())
        return built and clean and bool(self.problems) and not self.missing and not self.twice


def source_documents(doctrees: Path) -> set[str]:
    """The documents of a build (read from its pickled environment): html pages that a
    theme adds with no source (a 404 page, say) are not documents and are in no book."""
    with (doctrees / "environment.pickle").open("rb") as stream:
        env = pickle.load(stream)
    return set(env.all_docs)


def check(source: Path, output: Path, extra: list[str] | None = None) -> ProjectCheck:
    """Build *source* as html and bookstack under *output* and check the books."""
    result = ProjectCheck()
    for builder in ("html", "bookstack"):
        command = [sys.executable, "-m", "sphinx", "-q", "-E", "-b", builder, str(source)]
        command += [str(output / builder), "-d", str(output / f"doctrees-{builder}")]
        done = subprocess.run([*command, *(extra or [])], capture_output=True, text=True)
        result.builds[builder] = (done.returncode, done.stderr)
        if done.returncode:
            return result
    zips = sorted((output / "bookstack" / "books").glob("*.zip"))
    result.problems = {path.name: check_package(path) for path in zips}
    manifest = json.loads((output / "bookstack" / "manifest.json").read_text(encoding="utf-8"))
    result.books = [book["name"] for book in manifest["books"]]
    found = documents_in(manifest)
    documents = source_documents(output / "doctrees-html")
    result.html_pages = {
        name
        for path in (output / "html").rglob("*.html")
        if (name := path.relative_to(output / "html").with_suffix("").as_posix()) in documents
    } - SPECIAL
    result.missing = sorted(result.html_pages - set(found))
    result.twice = sorted({name for name in found if found.count(name) > 1})
    return result


def main(argv: list[str]) -> int:
    result = check(Path(argv[0]), Path(argv[1]), argv[2:])
    for builder, (status, stderr) in result.builds.items():
        print(f"{builder}: exit {status}, {stderr.count('WARNING')} warnings")
        if status:
            print(stderr[-2000:])
    for name in result.books:
        print(f"book {name!r}")
    count = sum(len(found) for found in result.problems.values())
    print(f"{len(result.problems)} ZIPs, {count} problems: ", end="")
    print({name: found for name, found in result.problems.items() if found})
    print(
        f"{len(result.html_pages)} html pages; in no BookStack page: {result.missing}; "
        f"in two: {result.twice}"
    )
    return int(not result.ok)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
