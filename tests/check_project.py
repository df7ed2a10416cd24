"""Build any Sphinx project as html and as bookstack, and check the BookStack output.

    python tests/check_project.py SOURCE_DIR OUTPUT_DIR [-D name=value ...]

Prints the books, every problem the ZIP checks (``bookstack_checks``) find,
and the html pages (less genindex, search, py-modindex) that are in no
BookStack page, or in two.  A page in no toctree counts only with
``-D mosaic_bookstack_extras=books``.  Exits 1 on any problem.  Used to try
the toctree mapping on real projects (the docs of sphinx-design, MyST-Parser,
sphinx-copybutton); the tests use small roots shaped like them.
"""

from __future__ import annotations

import json
import subprocess
import sys
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
            if entry["type"] == "chapter" and entry["docname"] not in {p["docname"] for p in inner}:
                found.append(entry["docname"])
        found += [page["docname"] for page in pages]
        if book["docname"] and book["docname"] not in {p["docname"] for p in pages}:
            found.append(book["docname"])
    shelf = manifest["shelf"]["docname"]
    return found if shelf in found else [*found, shelf]


def main(argv: list[str]) -> int:
    source, output, extra = Path(argv[0]), Path(argv[1]), argv[2:]
    for builder in ("html", "bookstack"):
        command = [sys.executable, "-m", "sphinx", "-q", "-E", "-b", builder, str(source)]
        command += [str(output / builder), "-d", str(output / f"doctrees-{builder}"), *extra]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        print(f"{builder}: exit {done.returncode}, {done.stderr.count('WARNING')} warnings")
        if done.returncode:
            print(done.stderr[-2000:])
            return 1
    zips = sorted((output / "bookstack" / "books").glob("*.zip"))
    problems = {path.name: check_package(path) for path in zips}
    manifest = json.loads((output / "bookstack" / "manifest.json").read_text(encoding="utf-8"))
    for book in manifest["books"]:
        print(f"book {book['name']!r}: {book['zip']}")
    found = documents_in(manifest)
    html = {
        path.relative_to(output / "html").with_suffix("").as_posix()
        for path in (output / "html").rglob("*.html")
        if not path.relative_to(output / "html").parts[0].startswith("_")
    } - SPECIAL
    missing = sorted(html - set(found))
    twice = sorted({name for name in found if found.count(name) > 1})
    count = sum(len(found) for found in problems.values())
    print(f"{len(zips)} ZIPs, {count} problems: { ({k: v for k, v in problems.items() if v}) }")
    print(f"{len(html)} html pages; in no BookStack page: {missing}; in two: {twice}")
    return int(bool(count or missing or twice or not zips))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
