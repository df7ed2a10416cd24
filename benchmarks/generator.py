"""Synthetic docs trees in the numbered layout, deterministic from a seed.

A tree has *books* books of *chapters* chapters of *pages* pages each, plus
one page directly in each book (ordered after the chapters, so a book has a
``10-faq.md`` beside ``9-...``), a README index for the shelf, every book and
every chapter, and a ``scratchpads/`` folder of working notes.  Pages carry
what real pages carry: front matter with a status, headings, paragraphs,
lists, code blocks in several languages, pipe tables, admonitions, images,
links to other pages and references to labels on other pages.

Two variants come from the same seed and differ only in what needs the
extension:

* ``mosaic``: no toctree anywhere (the extension generates navigation), and
  the markup of the features that exist (status table, reading paths);
* ``plain``: the same pages with the hand-written hidden toctrees the
  extension would have generated and without our markup, so plain Sphinx
  builds it with the same navigation (the baseline of the overhead
  measurement).

The tree is written fresh; byte-identical for the same arguments.
"""

from __future__ import annotations

import posixpath
import random
import shutil
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sphinx_mosaic.layout.model import Unnumbered, discover

Variant = Literal["mosaic", "plain"]

#: Markup for features of the extension.  The runner passes the ones that
#: exist (see :func:`benchmarks.subjects.available_features`); the others are
#: left out rather than written as unknown directives.
FEATURES = ("status", "paths", "contents")

#: Status values of the default vocabulary, weighted as a real shelf might be.
STATUSES = ("complete", "complete", "complete", "partial", "partial", "planned", "not-started")

LANGUAGES = ("python", "bash", "yaml", "json", "javascript", "go", "sql", "toml")
ADMONITIONS = ("note", "tip", "warning", "important", "seealso")

# A paragraph of words reads better than a list literal.
WORDS = (  # noqa: SIM905
    "service deployment cluster token gateway request response schema migration cache queue "
    "worker pipeline release branch commit review storage volume backup restore endpoint "
    "client server config secret policy role permission tenant project workspace module "
    "package build artifact runner job stage log metric alert dashboard trace span index "
    "table column record field value key header payload version channel stream event "
    "handler callback retry timeout limit quota region zone node pod container image"
).split()
VERBS = (  # noqa: SIM905
    "configure deploy validate restore rotate publish inspect compare migrate monitor "
    "register resolve enable disable update upgrade check verify export import archive"
).split()
CONNECTIVES = (
    "before",
    "after",
    "when",
    "so that",
    "unless",
    "because",
    "while",
    "once",
    "whenever",
)
TOPICS = (
    "Overview",
    "Installation",
    "Configuration",
    "Authentication",
    "Deployment",
    "Backups",
    "Monitoring",
    "Troubleshooting",
    "Upgrades",
    "Networking",
    "Storage",
    "Permissions",
    "Releases",
    "Testing",
    "Logging",
    "Caching",
    "Scaling",
    "Security",
    "Migrations",
    "Integrations",
    "Webhooks",
    "Scheduling",
    "Reporting",
    "Templates",
    "Workflows",
)


@dataclass(frozen=True)
class TreeShape:
    """How many books, chapters per book and pages per chapter a tree has."""

    books: int
    chapters: int
    pages: int

    @property
    def content_pages(self) -> int:
        """Pages other than index pages and scratchpads: one extra page per book."""
        return self.books * (self.chapters * self.pages + 1)

    @classmethod
    def for_pages(cls, total: int) -> TreeShape:
        """A shape of about *total* content pages in books of up to 100 pages."""
        presets = {200: cls(4, 7, 7), 1000: cls(10, 9, 11), 5000: cls(50, 9, 11)}
        if total in presets:
            return presets[total]
        per_book = 100 if total >= 100 else max(total, 4)
        books = max(1, round(total / per_book))
        chapters = 9 if per_book >= 100 else max(1, int((per_book - 1) ** 0.5))
        pages = max(1, round((total / books - 1) / chapters))
        return cls(books, chapters, pages)


@dataclass
class PagePlan:
    """One page to write: where it goes, what it is called, what others may cite."""

    docname: str
    title: str
    status: str
    labels: list[str] = field(default_factory=list)
    is_index: bool = False

    @property
    def path(self) -> str:
        return f"{self.docname}.md"


@dataclass
class Plan:
    shape: TreeShape
    seed: int
    pages: list[PagePlan]
    images: dict[str, list[str]]  # book folder -> image paths (relative to the tree)

    @property
    def content(self) -> list[PagePlan]:
        return [
            page
            for page in self.pages
            if not page.is_index
            and "/" in page.docname
            and not page.docname.startswith("scratchpads/")
        ]


def plan_tree(shape: TreeShape, seed: int) -> Plan:
    """Decide every page's place, title, status and labels."""
    rng = random.Random(seed)
    pages: list[PagePlan] = [PagePlan("README", "Synthetic Shelf", "complete", is_index=True)]
    images: dict[str, list[str]] = {}
    for b in range(1, shape.books + 1):
        book_title = f"{rng.choice(TOPICS)} Guide {b}"
        book = f"{b}-{_slug(book_title)}"
        pages.append(PagePlan(f"{book}/README", book_title, rng.choice(STATUSES), is_index=True))
        images[book] = [f"{book}/images/figure-{k}.png" for k in range(1, 4)]
        for c in range(1, shape.chapters + 1):
            chapter_title = f"{rng.choice(TOPICS)} {b}.{c}"
            chapter = f"{book}/{c}-{_slug(chapter_title)}"
            pages.append(
                PagePlan(f"{chapter}/README", chapter_title, rng.choice(STATUSES), is_index=True)
            )
            for p in range(1, shape.pages + 1):
                title = f"{rng.choice(VERBS).capitalize()} the {rng.choice(WORDS)} {b}.{c}.{p}"
                pages.append(PagePlan(f"{chapter}/{p}-{_slug(title)}", title, rng.choice(STATUSES)))
        pages.append(PagePlan(f"{book}/{shape.chapters + 1}-faq", f"FAQ {b}", rng.choice(STATUSES)))
    for n in range(1, 3):
        pages.append(PagePlan(f"scratchpads/note-{n}", f"Working note {n}", "planned"))
    for index, page in enumerate(pages):
        if not page.is_index:
            page.labels = [f"bench-{index}-{s}" for s in range(1, 3)]
    return Plan(shape=shape, seed=seed, pages=pages, images=images)


def _slug(title: str) -> str:
    return "-".join(part for part in title.lower().replace(".", " ").split() if part.isalnum())


# -- writing ------------------------------------------------------------------------------


def generate(
    root: Path,
    shape: TreeShape,
    *,
    seed: int = 1,
    variant: Variant = "mosaic",
    features: Iterable[str] = (),
    theme: str = "furo",
) -> Plan:
    """Write a fresh tree (sources, images and ``conf.py``) at *root*."""
    wanted = set(features)
    unknown = wanted - set(FEATURES)
    if unknown:
        raise ValueError(f"unknown features {sorted(unknown)}; known: {FEATURES}")
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    plan = plan_tree(shape, seed)
    writer = _PageWriter(plan, wanted if variant == "mosaic" else set())
    for page in plan.pages:
        target = root / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(writer.page(page), encoding="utf-8")
    if variant == "plain":
        write_plain_toctrees(root)
    for number, image in enumerate(sorted(i for b in plan.images.values() for i in b)):
        target = root / image
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_png(number))
    (root / "conf.py").write_text(_conf(variant, theme), encoding="utf-8")
    return plan


def _conf(variant: Variant, theme: str) -> str:
    extensions = ["myst_parser"] + (["sphinx_mosaic"] if variant == "mosaic" else [])
    lines = [
        "# Written by benchmarks.generator.",
        f"extensions = {extensions!r}",
        'project = "Synthetic benchmark tree"',
        'copyright = "2026, sphinx-mosaic benchmarks"',
        'version = release = "1.0"',
        'exclude_patterns = ["_build"]',
        f"html_theme = {theme!r}",
    ]
    if variant == "plain":
        lines.append('root_doc = "README"')
    return "\n".join(lines) + "\n"


def write_plain_toctrees(root: Path, unnumbered: Unnumbered = "after") -> None:
    """Append the toctrees the extension would generate, taken from the layout model.

    The root of the tree gets the same root README the extension would pick.
    """
    layout = discover(root, unnumbered=unnumbered)
    for host, entries in layout.toctrees().items():
        # The options of the toctrees sphinx-mosaic generates (hidden, titles only).
        lines = ["```{toctree}", ":hidden:", ":titlesonly:", ""]
        lines += [f"/{docname}" for _, docname in entries]
        with (root / f"{host}.md").open("a", encoding="utf-8") as source:
            source.write("\n".join([*lines, "```", ""]))


class _PageWriter:
    def __init__(self, plan: Plan, features: set[str]) -> None:
        self.plan = plan
        self.features = features
        self.content = plan.content

    def page(self, page: PagePlan) -> str:
        # One generator per page, seeded from the page's place, so a page's
        # text does not depend on how many pages came before it.
        rng = random.Random(f"{self.plan.seed}:{page.docname}")
        out: list[str] = ["---", f"status: {page.status}", "---", "", f"# {page.title}", ""]
        out += [_paragraph(rng, 2), ""]
        if page.docname == "README":
            out += self.shelf(rng)
        elif page.is_index:
            out += [_paragraph(rng, 3), ""]
            if "contents" in self.features:
                out += ["```{mosaic-contents}", "```", ""]
            if "status" in self.features and page.docname.count("/") == 1:
                book = page.docname.split("/")[0]
                out += ["## Status", "", "```{status-table}", f":book: {book}", "```", ""]
        else:
            out += self.body(rng, page)
        return "\n".join(out)

    def shelf(self, rng: random.Random) -> list[str]:
        out = ["## Books", ""]
        for page in self.plan.pages:
            if page.is_index and page.docname.count("/") == 1:
                out.append(f"- [{page.title}]({page.path})")
        out.append("")
        if "status" in self.features:
            out += ["## Documentation status", "", "```{status-table}", "```", ""]
        if "paths" in self.features:
            out += ["## Reading paths", "", "```{path-overview}", "```", ""]
            for audience in ("New Users", "Developers", "Operators"):
                key = audience.lower().replace(" ", "-")
                steps = rng.sample(self.content, k=min(5, len(self.content)))
                out += [
                    f"```{{path}} {key}",
                    f":title: For {audience}",
                    f":audience: {audience.lower()}",
                    "",
                ]
                out += [f"{n}. {step.path}" for n, step in enumerate(steps, start=1)]
                out += [f"{len(steps) + 1}. Advanced {key} topics (to be added)", "```", ""]
        return out

    def body(self, rng: random.Random, page: PagePlan) -> list[str]:
        here = posixpath.dirname(page.path)
        book = page.docname.split("/")[0]
        out: list[str] = []
        # Drawn in both variants, so the rest of the page is the same in both.
        inline_status = rng.random() < 0.2
        if "status" in self.features and inline_status:
            out += [f"This page is {{status}}`{page.status}` for now.", ""]
        for section in range(1, rng.randint(3, 5) + 1):
            if section <= len(page.labels):
                out += [f"({page.labels[section - 1]})=", ""]
            out += [f"## {rng.choice(VERBS).capitalize()} {rng.choice(WORDS)}s", ""]
            out += [_paragraph(rng, rng.randint(3, 6)), ""]
            kinds = rng.sample(["code", "table", "admonition", "list", "image", "links"], k=3)
            for kind in kinds:
                if kind == "code":
                    out += _code(rng, rng.choice(LANGUAGES))
                elif kind == "table":
                    out += _table(rng)
                elif kind == "admonition":
                    out += [f"```{{{rng.choice(ADMONITIONS)}}}", _paragraph(rng, 2), "```", ""]
                elif kind == "list":
                    out += [f"{n}. {_sentence(rng)}" for n in range(1, rng.randint(3, 6))]
                    out.append("")
                elif kind == "image" and book in self.plan.images:
                    image = rng.choice(self.plan.images[book])
                    relative = posixpath.relpath(image, here)
                    out += [f"![Figure: {rng.choice(WORDS)} flow]({relative})", ""]
                elif kind == "links" and self.content:
                    other = rng.choice(self.content)
                    cited = rng.choice(self.content)
                    link = posixpath.relpath(other.path, here)
                    out += [
                        f"See [{other.title}]({link}) and {{ref}}`{cited.labels[0]}` "
                        f"before you {rng.choice(VERBS)} the {rng.choice(WORDS)}.",
                        "",
                    ]
        return out


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(VERBS), "the", rng.choice(WORDS), rng.choice(CONNECTIVES), "the"]
    verb = rng.choice(VERBS)
    words += [rng.choice(WORDS), "is", verb + ("d" if verb.endswith("e") else "ed")]
    if rng.random() < 0.3:
        words += ["with", f"`{rng.choice(WORDS)}_{rng.choice(WORDS)}`"]
    if rng.random() < 0.2:
        words += ["in", f"**{rng.choice(WORDS)}**", "mode"]
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def _code(rng: random.Random, language: str) -> list[str]:
    a, b, c = rng.choice(WORDS), rng.choice(WORDS), rng.choice(VERBS)
    n = rng.randint(2, 90)
    bodies = {
        "python": [
            f"def {c}_{a}({b}: str, retries: int = {n}) -> dict[str, str]:",
            f'    """{c.capitalize()} the {a}."""',
            f"    result = {{'{a}': {b}.strip()}}",
            "    for attempt in range(retries):",
            f"        result[f'{b}-{{attempt}}'] = str(attempt * {n})",
            "    return result",
        ],
        "bash": [
            f"export {a.upper()}_{b.upper()}={n}",
            f'{a}ctl {c} --{b} "${{{a.upper()}_{b.upper()}}}" --verbose',
            f"if [ $? -ne 0 ]; then echo '{c} failed' >&2; exit 1; fi",
        ],
        "yaml": [
            f"{a}:",
            f"  {b}: {n}",
            f"  {c}: true",
            "  items:",
            f"    - name: {b}-{n}",
            f'      {a}: "{c}"',
        ],
        "json": ["{", f'  "{a}": {n},', f'  "{b}": ["{c}", "{a}"],', '  "enabled": true', "}"],
        "javascript": [
            f"export async function {c}{a.capitalize()}({b}) {{",
            f"  const res = await fetch(`/api/{a}/${{{b}}}`);",
            f"  return res.ok ? res.json() : {{ error: {n} }};",
            "}",
        ],
        "go": [
            f"func {c.capitalize()}{a.capitalize()}(ctx context.Context, {b} string) error {{",
            f'\tif {b} == "" {{',
            f'\t\treturn fmt.Errorf("{a}: empty {b}")',
            "\t}",
            f"\treturn client.{c.capitalize()}(ctx, {b}, {n})",
            "}",
        ],
        "sql": [
            f"SELECT {a}.id, {b}.name, COUNT(*) AS total",
            f"FROM {a}",
            f"JOIN {b} ON {b}.{a}_id = {a}.id",
            f"WHERE {a}.created_at > now() - interval '{n} days'",
            f"GROUP BY {a}.id, {b}.name;",
        ],
        "toml": [f"[{a}]", f'{b} = "{c}"', f"limit = {n}", "", f"[{a}.{b}]", "enabled = true"],
    }
    return [f"```{language}", *bodies[language], "```", ""]


def _table(rng: random.Random) -> list[str]:
    columns = rng.sample(["Name", "Default", "Type", "Description", "Since"], k=rng.randint(3, 4))
    rows = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for _ in range(rng.randint(3, 6)):
        cells = [
            f"`{rng.choice(WORDS)}`",
            str(rng.randint(0, 500)),
            rng.choice(WORDS),
            _sentence(rng),
            f"1.{rng.randint(0, 9)}",
        ]
        rows.append("| " + " | ".join(cells[: len(columns)]) + " |")
    return [*rows, ""]


def _png(number: int) -> bytes:
    """A small deterministic PNG (a 32x24 gradient), different per *number*."""
    width, height = 32, 24
    raw = b"".join(
        b"\x00" + bytes((x * 8 + number * 40) % 256 for x in range(width)) for _ in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )
