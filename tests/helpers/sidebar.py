"""Read what a reader sees of the navigation in built HTML (Furo or basic theme)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from bs4 import BeautifulSoup, Tag


def _target(page: str, href: str) -> str:
    """The page an href leads to, relative to the output folder, without .html."""
    path = href.split("#", 1)[0]
    if not path:
        return page
    parts: list[str] = list(PurePosixPath(page).parent.parts)
    for part in PurePosixPath(path).parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return str(PurePosixPath(*parts)).removesuffix(".html")


def global_toc(outdir: Path, page: str) -> list[tuple[int, str, str]]:
    """(depth, title, target page) of every entry of the global toctree on *page*.

    Reads Furo's ``.sidebar-tree``, which shows the whole global toctree.
    """
    soup = BeautifulSoup((outdir / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    tree = soup.select_one(".sidebar-tree")
    assert tree is not None, f"no Furo sidebar in {page}"
    entries: list[tuple[int, str, str]] = []
    for link in tree.select("li > a"):
        depth = len([p for p in link.parents if isinstance(p, Tag) and p.name == "ul"])
        entries.append((depth, link.get_text(strip=True), _target(page, str(link["href"]))))
    return entries


def all_pages(outdir: Path) -> list[str]:
    return sorted(
        str(path.relative_to(outdir).with_suffix("").as_posix())
        for path in outdir.rglob("*.html")
        if not path.relative_to(outdir).as_posix().startswith(("_", "genindex", "search"))
    )


def navigation_of_site(outdir: Path) -> dict[str, list[tuple[int, str, str]]]:
    """The global navigation as every page shows it."""
    return {page: global_toc(outdir, page) for page in all_pages(outdir)}
