"""``sphinx-mosaic pull``: edits made in the wiki by another user come back into the sources."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers.cli import options_of, undocumented_options
from helpers.fake_bookstack.fixtures import run_publish, settings_for
from helpers.fake_bookstack.server import FakeBookStack

from sphinx_mosaic.cli import main
from sphinx_mosaic.wiki.merge import merge, patch
from sphinx_mosaic.wiki.pull import PullOptions, PullReport, pull

CONF = 'project = "Pull demo"\nextensions = ["myst_parser", "sphinx_mosaic"]\n'
SETUP = """\
# Setup

Install the tools with the package manager
of your system, then check the version.

Steps to follow:

- download the archive
- unpack it in your home folder
- add the folder to the path

```bash
tar xf tools.tar.gz
export PATH="$HOME/tools:$PATH"
tools --version
```

| Setting | Default |
|---|---|
| port | 8000 |
| workers | 4 |

The end.
"""
OTHER = """\
# Other page

Nothing to see here.
"""


@pytest.fixture
def server() -> Iterator[FakeBookStack]:
    with FakeBookStack() as fake:
        yield fake


def build(src: Path, out: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-E", "-W", "-b", "bookstack", str(src), str(out)],
        check=True,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    src = tmp_path / "docs"
    (src / "1-guide").mkdir(parents=True)
    (src / "conf.py").write_text(CONF)
    (src / "README.md").write_text("# Pull demo\n\nThe handbook.\n")
    (src / "1-guide" / "README.md").write_text("# Guide\n\nHow to start.\n")
    (src / "1-guide" / "1-setup.md").write_text(SETUP)
    (src / "1-guide" / "2-other.md").write_text(OTHER)
    return src


def page_id(server: FakeBookStack, key: str) -> int:
    [page] = [p for p in server.live("pages") if {"name": "mosaic-key", "value": key} in p["tags"]]
    return int(page["id"])


def run_pull(
    server: FakeBookStack, out: Path, src: Path, **options: object
) -> tuple[PullReport, list[str]]:
    lines: list[str] = []
    report = pull(
        out, settings_for(server), PullOptions(source_dir=src, **options), out=lines.append
    )  # type: ignore[arg-type]
    return report, lines


#: Another user's edits in the wiki: a word, a list item, a code line and a table cell.
WIKI_EDITS = [
    ("check the version", "check the installed version"),
    ("unpack it in your home folder", "unpack it in /opt"),
    ("tools --version\n", "tools --version --verbose\n"),
    ("<p>8000</p>", "<p>8080</p>"),
]
#: The same edits as they must appear in the source, and nothing else.
SOURCE_EDITS = [
    ("check the version", "check the installed version"),
    ("unpack it in your home folder", "unpack it in /opt"),
    ("tools --version\n", "tools --version --verbose\n"),
    ("| port | 8000 |", "| port | 8080 |"),
]


def edit(pairs: list[tuple[str, str]]) -> Callable[[str], str]:
    def change(html: str) -> str:
        for old, new in pairs:
            assert html.count(old) == 1, old
            html = html.replace(old, new)
        return html

    return change


def replaced(text: str, pairs: list[tuple[str, str]]) -> str:
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def test_wiki_edits_come_back_and_the_next_publish_takes_the_page_once(
    server: FakeBookStack, project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(project, out)
    report, _ = run_publish(server, out)
    assert report.ok
    pid = page_id(server, "guide/setup")
    server.save_in_editor(pid, user="Jane Doe", filtered=True, change=edit(WIKI_EDITS))
    before = {p: p.read_text() for p in project.rglob("*.md")}

    pulled, lines = run_pull(server, out, project)

    assert pulled.ok, lines
    setup = project / "1-guide" / "1-setup.md"
    # Only those four changes, each in place: the wrapped paragraph keeps its line break.
    assert setup.read_text() == replaced(SETUP, SOURCE_EDITS)
    assert {p: p.read_text() for p in project.rglob("*.md") if p != setup} == {
        p: t for p, t in before.items() if p != setup
    }
    assert not list(project.rglob("*.wiki.md"))
    # Pulling again before a rebuild changes nothing: the source holds the edits already.
    again, lines = run_pull(server, out, project)
    assert again.ok and not any(p.applied for p in again.pages), lines
    assert setup.read_text() == replaced(SETUP, SOURCE_EDITS)
    build(project, out)
    report, lines = run_publish(server, out)
    assert report.ok and not report.wiki_edits, lines
    assert [a.key for a in report.result.done] == ["guide/setup"]
    report, lines = run_publish(server, out)
    assert report.ok and not report.wiki_edits and not report.result.done, lines
    # Pulling again finds nothing to bring in.
    pulled, lines = run_pull(server, out, project)
    assert pulled.ok and not pulled.pages, lines


def test_a_conflicting_edit_goes_to_the_side_file_and_nothing_is_lost(
    server: FakeBookStack,
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    published = tmp_path / "published"
    build(project, published)
    run_publish(server, published)
    # Git changes the paragraph and the last line; the wiki the same paragraph and a list item.
    setup = project / "1-guide" / "1-setup.md"
    git = [("package manager", "system package manager"), ("The end.", "The very end.")]
    setup.write_text(replaced(SETUP, git))
    out = tmp_path / "out"
    build(project, out)
    pid = page_id(server, "guide/setup")
    wiki = [
        ("check the version", "check the installed version"),
        ("unpack it in your home folder", "unpack it in /opt"),
    ]
    server.save_in_editor(pid, user="Jane Doe", change=edit(wiki))
    monkeypatch.setenv("BOOKSTACK_URL", server.url)
    monkeypatch.setenv("BOOKSTACK_TOKEN_ID", server.token_id)
    monkeypatch.setenv("BOOKSTACK_TOKEN_SECRET", server.token_secret)

    status = main(["pull", str(out), "--source-dir", str(project), "--base", str(published)])

    assert status == 1
    printed = capsys.readouterr().out
    assert "changed in Git and in the wiki" in printed
    # Git's changes stay, the wiki's list item comes in, the paragraph is left to a person.
    assert setup.read_text() == replaced(SETUP, [*git, wiki[1]])
    side = project / "1-guide" / "1-setup.md.wiki.md"
    assert str(side) in printed
    text = side.read_text()
    assert "check the installed version" in text  # the wiki's paragraph
    assert "system package manager" in text  # and what the source builds now
    build(project, out)  # with -W: the side file is no page of the build


def test_without_the_published_build_the_whole_page_goes_to_the_side_file(
    server: FakeBookStack, project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(project, out)
    run_publish(server, out)
    setup = project / "1-guide" / "1-setup.md"
    setup.write_text(SETUP.replace("The end.", "The very end."))
    build(project, out)
    server.save_in_editor(page_id(server, "guide/setup"), change=edit(WIKI_EDITS[:1]))

    pulled, _ = run_pull(server, out, project)

    assert not pulled.ok
    assert setup.read_text() == SETUP.replace("The end.", "The very end.")
    side = (project / "1-guide" / "1-setup.md.wiki.md").read_text()
    assert "pass --base" in side and "check the installed version" in side
    assert "tools --version" in side  # the whole page, not only the changed block


def test_dry_run_prints_the_diff_and_writes_nothing(
    server: FakeBookStack, project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(project, out)
    run_publish(server, out)
    server.save_in_editor(page_id(server, "guide/setup"), change=edit(WIKI_EDITS[1:2]))

    pulled, lines = run_pull(server, out, project, dry_run=True)

    assert pulled.ok
    assert "-- unpack it in your home folder" in lines[-2]
    assert "+- unpack it in /opt" in lines[-2]
    assert (project / "1-guide" / "1-setup.md").read_text() == SETUP


def test_a_change_is_placed_in_the_source_with_its_own_wrapping_and_syntax() -> None:
    source = "Some *emphasised* words,\nwrapped over\ntwo lines. Some more."
    assert patch(
        source,
        "Some _emphasised_ words, wrapped over two lines.",
        "Some _emphasised_ words, wrapped over three lines.",
    ) == source.replace("two", "three")
    # A word that occurs twice is placed by the words around it.
    assert patch("a b a c", "a b a c", "a b x c") == "a b x c"
    # Unique in the source is not enough: "2" is once in the source, twice in the old text.
    numbered = "1. first\n   - nested one\n   - nested two\n2. second"
    old_md = "1. first\n\n   - nested one\n   - nested 2\n\n2. second"
    assert patch(numbered, old_md, old_md.replace("nested 2", "nested two")) is None
    # A change whose place cannot be found is not guessed.
    assert patch("entirely different", "old text", "new text") is None


def test_blocks_removed_or_added_in_the_wiki() -> None:
    one, two, three = (f'<p id="bkmrk-{w}">{w.title()}.</p>' for w in ("one", "two", "three"))
    base = "\n".join([one, two, three])
    theirs = "\n".join([one, three, '<p id="bkmrk-new">New one.</p>'])
    result = merge(base, theirs, base, "# Title\n\nOne.\n\nTwo.\n\nThree.\n", markdown=True)
    assert result.text == "# Title\n\nOne.\n\nThree.\n\nNew one.\n"
    assert not result.conflicts
    # In a reST source a new block is left to a person (it would be MyST); removing is fine.
    rest = merge(base, theirs, base, "Title\n=====\n\nOne.\n\nTwo.\n\nThree.\n", markdown=False)
    assert rest.text == "Title\n=====\n\nOne.\n\nThree.\n"
    assert [c.theirs for c in rest.conflicts] == ["New one."]


def test_every_option_of_pull_is_in_the_reference() -> None:
    assert "--base" in options_of("pull")
    assert undocumented_options("pull", "3-pull.md") == []


def test_a_rest_source_takes_a_changed_word_in_its_own_markup() -> None:
    base = (
        '<p id="bkmrk-run">Run the <em>server</em> with the default\nsettings.</p>\n'
        '<p id="bkmrk-more">More.</p>'
    )
    theirs = base.replace("default", "production")
    source = "Title\n=====\n\nRun the *server* with the default\nsettings.\n\nMore.\n"
    result = merge(base, theirs, base, source, markdown=False)
    assert result.text == source.replace("default", "production")
    assert not result.conflicts


def test_a_new_link_into_the_wiki_is_left_to_a_person() -> None:
    base = '<p id="bkmrk-a">See the guide.</p>\n<p id="bkmrk-b">Other words.</p>'
    theirs = (
        '<p id="bkmrk-a">See the <a href="mosaic-wiki-address#x">guide</a>.</p>\n'
        '<p id="bkmrk-b">Other new words.</p>'
    )
    source = "# T\n\nSee the guide.\n\nOther words.\n"
    result = merge(base, theirs, base, source, markdown=True, unwritable="mosaic-wiki-address")
    # The link stays out of the source; the other change of the page comes in.
    assert result.text == "# T\n\nSee the guide.\n\nOther new words.\n"
    assert [c.theirs for c in result.conflicts] == ["See the [guide](mosaic-wiki-address#x)."]


def test_side_files_are_no_pages_of_the_layout(tmp_path: Path) -> None:
    from sphinx_mosaic.layout.model import discover

    (tmp_path / "1-guide").mkdir()
    (tmp_path / "README.md").write_text("# Shelf\n")
    (tmp_path / "1-guide" / "README.md").write_text("# Guide\n")
    (tmp_path / "1-guide" / "1-setup.md").write_text("# Setup\n")
    (tmp_path / "1-guide" / "1-setup.md.wiki.md").write_text("# Wiki edits not merged\n")
    assert sorted(p.source for p in discover(tmp_path).pages()) == [
        "1-guide/1-setup.md",
        "1-guide/README.md",
        "README.md",
    ]


RICH = """\
# Setup

## Before you start

:::{note}
Keep the archive: the upgrade needs it.
:::

```{warning}
Never run the tools as root.
```

1. first step
   - nested one
   - nested two
2. second step

```{list-table} Ports
:header-rows: 1

* - Name
  - Port
* - web
  - 8000
```

Some *emphasis* and **strong** text with `code` and a [link](https://example.com).

Term
: Its definition here.
"""
#: (in the wiki's HTML, in the source): a heading, two admonitions, a nested list item, a
#: list-table cell, a paragraph with inline markup, a definition.
RICH_EDITS = [
    ("Before you start", "Before you begin"),
    ("the upgrade needs it", "the upgrade script needs it"),
    ("as root", "as the root user"),
    ("nested two", "nested 2"),
    ("<p>8000</p>", "<p>8443</p>"),
    ("<strong>strong</strong> text", "<strong>strong</strong> words"),
    ("Its definition here.", "Its new definition."),
]
RICH_SOURCE_EDITS = [
    *RICH_EDITS[:4],
    ("  - 8000", "  - 8443"),
    ("**strong** text", "**strong** words"),
    RICH_EDITS[6],
]


def test_edits_inside_directives_lists_and_inline_markup_keep_the_source_syntax(
    server: FakeBookStack, project: Path, tmp_path: Path
) -> None:
    (project / "conf.py").write_text(CONF + 'myst_enable_extensions = ["colon_fence", "deflist"]\n')
    setup = project / "1-guide" / "1-setup.md"
    setup.write_text(RICH)
    out = tmp_path / "out"
    build(project, out)
    run_publish(server, out)
    server.save_in_editor(page_id(server, "guide/setup"), filtered=True, change=edit(RICH_EDITS))

    pulled, lines = run_pull(server, out, project)

    assert pulled.ok, lines
    assert setup.read_text() == replaced(RICH, RICH_SOURCE_EDITS)
    build(project, out)
    report, lines = run_publish(server, out)
    assert report.ok and [a.key for a in report.result.done] == ["guide/setup"], lines


def test_a_wrong_source_folder_is_reported_and_nothing_is_written(
    server: FakeBookStack, project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(project, out)
    run_publish(server, out)
    server.save_in_editor(page_id(server, "guide/setup"), change=edit(WIKI_EDITS[:1]))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    pulled, lines = run_pull(server, out, elsewhere)

    assert not pulled.ok
    assert any("does not exist: pass --source-dir" in line for line in lines), lines
    assert list(elsewhere.iterdir()) == []
    assert (project / "1-guide" / "1-setup.md").read_text() == SETUP


def test_html_myst_cannot_say_is_left_to_a_person() -> None:
    base = '<p id="bkmrk-a">Words.</p>\n<p id="bkmrk-b">More words.</p>'
    theirs = (
        '<div class="boxed" id="bkmrk-a">Words.</div>\n<p id="bkmrk-b">More words.</p>\n'
        '<section class="x" id="bkmrk-s"><p>New.</p></section>'
    )
    source = "# T\n\nWords.\n\nMore words.\n"
    result = merge(base, theirs, base, source, markdown=True)
    assert result.text == source
    assert len(result.conflicts) == 2
    assert all("{raw} html" in c.theirs for c in result.conflicts)


def test_a_page_renamed_in_the_wiki_is_reported_and_not_renamed_back(
    server: FakeBookStack, project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(project, out)
    run_publish(server, out)
    pid = page_id(server, "guide/setup")
    server.save_in_editor(pid, change=edit(WIKI_EDITS[:1]))
    server.edit_in_wiki(pid, name="Installing the tools")

    pulled, lines = run_pull(server, out, project)

    assert not pulled.ok
    setup = project / "1-guide" / "1-setup.md"
    assert setup.read_text() == replaced(SETUP, SOURCE_EDITS[:1])  # the text came in
    side = (project / "1-guide" / "1-setup.md.wiki.md").read_text()
    assert "renamed in the wiki" in side and "# Installing the tools" in side
    build(project, out)
    report, lines = run_publish(server, out)
    # The body is the wiki's, but writing it would undo the rename: still an edit.
    assert [e.key for e in report.wiki_edits] == ["guide/setup"], lines
    assert server.tables["pages"][pid]["name"] == "Installing the tools"


@pytest.mark.parametrize("version", ["v25.07.2", "v24.10.0"])  # imports API, page by page
def test_links_and_images_into_the_wiki_are_no_change(
    version: str, project: Path, tmp_path: Path
) -> None:
    from helpers.fake_bookstack.fixtures import PNG

    setup = project / "1-guide" / "1-setup.md"
    text = SETUP + (
        "\n![The diagram](diagram.png)\n\n"
        "See [the other page](2-other.md) and {doc}`the guide <README>`.\n"
    )
    (project / "1-guide" / "diagram.png").write_bytes(PNG)
    setup.write_text(text)
    out = tmp_path / "out"
    build(project, out)
    with FakeBookStack(version=version) as server:
        run_publish(server, out)
        pid = page_id(server, "guide/setup")
        assert "/uploads/images/" in server.tables["pages"][pid]["html"]
        server.save_in_editor(pid, filtered=True, change=edit([("the other", "the second")]))

        pulled, lines = run_pull(server, out, project)

        assert pulled.ok, lines
        assert setup.read_text() == text.replace("the other page", "the second page")
        build(project, out)
        report, lines = run_publish(server, out)
        assert report.ok and [a.key for a in report.result.done] == ["guide/setup"], lines


def test_a_block_added_after_one_the_build_wrote_goes_before_the_next_source_block() -> None:
    # The status badge comes from front matter: no source block to put the new one after.
    base = '<p id="bkmrk-draft"><strong>Draft</strong></p>\n<p id="bkmrk-one">One.</p>'
    theirs = '<p id="bkmrk-draft"><strong>Draft</strong></p>\n<p id="bkmrk-n">New.</p>\n' + (
        '<p id="bkmrk-one">One.</p>'
    )
    source = "---\nstatus: draft\n---\n\n# Title\n\nOne.\n"
    result = merge(base, theirs, base, source, markdown=True)
    assert not result.conflicts
    assert result.text == "---\nstatus: draft\n---\n\n# Title\n\nNew.\n\nOne.\n"
