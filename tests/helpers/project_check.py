"""Build any Sphinx project as html and as bookstack, and check the BookStack output.

    python tests/helpers/project_check.py SOURCE_DIR OUTPUT_DIR [-D name=value ...]

Builds the project twice: ``-b html`` in alongside mode (so the html build also
writes the BookStack output, into ``html/bookstack``) and ``-b bookstack``.
Prints the books and what a reader of the imported books would miss:

- every problem the ZIP checks (``helpers.zip_checker.check_package``) find:
  BookStack's import rules, what BookStack v25.12.4's content filter would
  take from a page, images that are neither a ZIP image nor ``http(s)``,
  links to the page itself (``href="#"``), ``#fragment``s naming no element,
  relative URLs;
- the html pages made from a document (less genindex, search, py-modindex)
  that are in no BookStack page (and not named in the one warning listing the
  documents left out on purpose), or in two;
- the images an html page shows (``<img>`` in its ``role="main"`` element) that
  its BookStack page does not;
- the files of the alongside output that differ from ``-b bookstack``'s (ZIPs
  and ``manifest.json``, byte for byte).

Exits 1 on any of them.  ``tests/whole/test_real_projects.py`` runs :func:`check`
on the docs that real projects ship in their source distributions on PyPI.
"""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser

sys.path.insert(0, str(Path(__file__).parents[1]))
from helpers.zip_checker import check_package

SPECIAL = {"genindex", "search", "py-modindex"}
#: Where alongside mode writes in the html output (``mosaic_bookstack_alongside_dir``).
ALONGSIDE = "bookstack"
#: The one warning naming the documents the BookStack output leaves out on purpose.
LEFT_OUT = re.compile(r"leaves out the documents in no toctree: (.*?) \(list them")


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
    #: those in no BookStack page (nor left out on purpose), and those in two
    missing: list[str] = field(default_factory=list)
    twice: list[str] = field(default_factory=list)
    #: the documents the one ``mosaic.bookstack`` warning says are left out
    left_out: list[str] = field(default_factory=list)
    #: document -> (images its html page shows, images its BookStack page shows), where
    #: the BookStack page shows fewer
    images_lost: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: images shown by the html pages, and by their BookStack pages
    images: tuple[int, int] = (0, 0)
    #: files of the alongside output that differ from (or are missing in) ``-b bookstack``'s
    alongside_differs: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        built = all(status == 0 for status, _ in self.builds.values())
        clean = not any(self.problems.values())
        placed = not self.missing and not self.twice
        kept = not self.images_lost and not self.alongside_differs
        return built and clean and bool(self.problems) and placed and kept


def source_documents(doctrees: Path) -> set[str]:
    """The documents of a build (read from its pickled environment): html pages that a
    theme adds with no source (a 404 page, say) are not documents and are in no book."""
    with (doctrees / "environment.pickle").open("rb") as stream:
        env = pickle.load(stream)
    return set(env.all_docs)


def left_out(stderr: str) -> list[str]:
    """The documents the ``mosaic.bookstack`` warning names as left out on purpose."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", stderr)
    return sorted(name for match in LEFT_OUT.findall(plain) for name in match.split(", "))


def images_shown(html: str, main: bool) -> int:
    """The ``<img>`` elements of *html*: in its ``role="main"`` element (where Sphinx's
    themes put the document's body) when *main*, else anywhere.  A page without that
    element is an error rather than no image, so a theme that marks its body otherwise
    cannot pass the image check unchecked."""
    tree = LexborHTMLParser(html)
    root = tree.css_first('[role="main"]') if main else tree.body
    if root is None and main:
        raise ValueError('html page without a role="main" element: its images cannot be found')
    return len(root.css("img")) if root is not None else 0


def page_html(output: Path, manifest: dict[str, Any]) -> dict[str, str]:
    """The HTML of every BookStack page, by document."""
    pages: dict[str, str] = {}
    for book in manifest["books"]:
        with zipfile.ZipFile(output / book["zip"]) as archive:
            data = json.loads(archive.read("data.json"))
        in_zip = list(data["book"].get("pages") or [])
        for chapter in data["book"].get("chapters") or []:
            in_zip += chapter.get("pages") or []
        by_id = {page["id"]: page.get("html") or "" for page in in_zip}
        for entry in book["contents"]:
            for page in entry["pages"] if entry["type"] == "chapter" else [entry]:
                pages[page["docname"]] = by_id[page["zip_id"]]
    return pages


def differing_files(alongside: Path, standalone: Path) -> list[str]:
    """The ZIPs and ``manifest.json`` whose bytes differ between the two outputs."""

    def files(folder: Path) -> dict[str, bytes]:
        chosen = [folder / "manifest.json", *sorted((folder / "books").glob("*.zip"))]
        return {
            path.relative_to(folder).as_posix(): path.read_bytes()
            for path in chosen
            if path.is_file()
        }

    one, other = files(alongside), files(standalone)
    return sorted(name for name in one.keys() | other.keys() if one.get(name) != other.get(name))


_EXTENSIONS = """
import sys
from sphinx.config import Config
from sphinx.util.tags import Tags
print(",".join(Config.read(sys.argv[1], overrides={}, tags=Tags()).extensions))
"""


def with_mosaic(source: Path) -> list[str]:
    """``-D extensions=...`` for the project's own extensions and sphinx-mosaic's, which
    alongside mode needs (``-b bookstack`` loads it by itself)."""
    done = subprocess.run(
        [sys.executable, "-c", _EXTENSIONS, str(source.resolve())],
        capture_output=True,
        text=True,
        check=True,
    )
    last = (done.stdout.strip().splitlines() or [""])[-1]  # conf.py may print
    extensions = [name for name in last.split(",") if name]
    if "sphinx_mosaic" not in extensions:
        extensions.append("sphinx_mosaic")
    return ["-D", "extensions=" + ",".join(extensions)]


def check(source: Path, output: Path, extra: list[str] | None = None) -> ProjectCheck:
    """Build *source* as html (alongside mode) and as bookstack under *output*, and
    check the books.  Both builds load the project's extensions and sphinx-mosaic."""
    result = ProjectCheck()
    extensions = with_mosaic(source)
    for builder in ("html", "bookstack"):
        command = [sys.executable, "-m", "sphinx", "-q", "-E", "-b", builder, str(source)]
        command += [str(output / builder), "-d", str(output / f"doctrees-{builder}")]
        command += extensions
        if builder == "html":
            command += ["-D", "mosaic_bookstack_alongside=1"]
            command += ["-D", f"mosaic_bookstack_alongside_dir={ALONGSIDE}"]
        done = subprocess.run([*command, *(extra or [])], capture_output=True, text=True)
        result.builds[builder] = (done.returncode, done.stderr)
        if done.returncode:
            return result
    standalone = output / "bookstack"
    zips = sorted((standalone / "books").glob("*.zip"))
    result.problems = {path.name: check_package(path) for path in zips}
    manifest = json.loads((standalone / "manifest.json").read_text(encoding="utf-8"))
    result.books = [book["name"] for book in manifest["books"]]
    found = documents_in(manifest)
    result.left_out = left_out(result.builds["bookstack"][1])
    documents = source_documents(output / "doctrees-html")
    html = output / "html"
    shown = {
        name: path
        for path in html.rglob("*.html")
        if (name := path.relative_to(html).with_suffix("").as_posix()) in documents
        and path.relative_to(html).parts[0] != ALONGSIDE
    }
    result.html_pages = set(shown) - SPECIAL
    result.missing = sorted(result.html_pages - set(found) - set(result.left_out))
    placed = [*found, *result.left_out]
    result.twice = sorted({name for name in placed if placed.count(name) > 1})
    pages = page_html(standalone, manifest)
    in_html = in_books = 0
    for name in sorted(result.html_pages - set(result.left_out)):
        wanted = images_shown(shown[name].read_text(encoding="utf-8"), main=True)
        got = images_shown(pages[name], main=False) if name in pages else 0
        in_html, in_books = in_html + wanted, in_books + got
        if got < wanted:
            result.images_lost[name] = (wanted, got)
    result.images = (in_html, in_books)
    result.alongside_differs = differing_files(html / ALONGSIDE, standalone)
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
        f"in two: {result.twice}; left out on purpose: {result.left_out}"
    )
    print(f"images shown in html / BookStack: {result.images}; lost: {result.images_lost}")
    print(f"alongside output differing from -b bookstack: {result.alongside_differs}")
    return int(not result.ok)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
