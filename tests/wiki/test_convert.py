"""The converter: BookStack page HTML to MyST, block by block (sphinx_mosaic.wiki.convert)."""

from __future__ import annotations

import subprocess
import sys

from sphinx_mosaic.wiki.convert import PageContext, convert_page, page_headings


def md(html: str, **context: object) -> str:
    return convert_page(html, PageContext(**context)).markdown  # type: ignore[arg-type]


def test_blocks_keep_their_bkmrk_ids() -> None:
    html = (
        '<h2 id="bkmrk-setup">Setup</h2>\n<p id="bkmrk-run-it">Run it.</p>\n'
        '<pre id="bkmrk-code"><code class="language-bash">make\n</code></pre>'
    )
    conversion = convert_page(html)
    assert [b.ids for b in conversion.blocks] == [
        ("bkmrk-setup",),
        ("bkmrk-run-it",),
        ("bkmrk-code",),
    ]
    assert [b.markdown for b in conversion.blocks] == ["## Setup", "Run it.", "```bash\nmake\n```"]
    assert conversion.problems == []


def test_callouts_become_admonitions_by_label_and_kind() -> None:
    html = (
        '<p class="callout info"><strong>Note</strong><br>A note.</p>'
        '<p class="callout success">Plain success.</p>'
        '<p class="callout warning"><strong>Heads up</strong><br>Custom.</p>'
        '<p class="callout danger">Danger!</p>'
        '<p class="callout success"><span>Added in version 1.1: </span>New.</p>'
    )
    assert md(html) == (
        "```{note}\nA note.\n```\n\n```{tip}\nPlain success.\n```\n\n"
        "```{admonition} Heads up\nCustom.\n```\n\n```{danger}\nDanger!\n```\n\n"
        "```{versionadded} 1.1\nNew.\n```\n"
    )


def test_callout_continued_after_a_code_block_is_one_admonition() -> None:
    html = (
        '<p class="callout info" id="bkmrk-a"><strong>Note</strong><br>Before:</p>\n'
        '<pre id="bkmrk-b"><code class="language-python">x = 1</code></pre>\n'
        '<p class="callout info" id="bkmrk-c">After.</p>\n'
        '<p id="bkmrk-d">Outside.</p>'
    )
    conversion = convert_page(html)
    assert conversion.blocks[0].ids == ("bkmrk-a", "bkmrk-b", "bkmrk-c")
    assert conversion.blocks[0].markdown == (
        "````{note}\nBefore:\n\n```python\nx = 1\n```\n\nAfter.\n````"
    )
    assert conversion.blocks[1].markdown == "Outside."


def test_tables_pipe_or_list_table() -> None:
    simple = (
        "<table><thead><tr><th><p>A</p></th><th><p>B|C</p></th></tr></thead>"
        "<tbody><tr><td><p>1</p></td><td><p><code>x</code></p></td></tr></tbody></table>"
    )
    assert md(simple) == "| A   | B\\|C |\n| --- | ---- |\n| 1   | `x`  |\n"
    blocks = (
        "<table><caption>Cap</caption><tr><td><ul><li>one</li><li>two</li></ul></td>"
        "<td><p>text</p></td></tr></table>"
    )
    assert md(blocks) == "```{list-table} Cap\n* - - one\n    - two\n  - text\n```\n"


def test_table_columns_keep_their_alignment() -> None:
    """A cell aligned in BookStack's editor (or by a Markdown ``:---:``, which the BookStack
    output writes the editor's way) gives its column's alignment back."""
    html = (
        '<table><thead><tr><th class="align-left">A</th><th class="align-center">B</th>'
        '<th class="align-right">C</th><th>D</th></tr></thead><tbody><tr>'
        '<td class="align-left">1</td><td class="align-center">2</td>'
        '<td class="align-right">3</td><td>4</td></tr></tbody></table>'
    )
    assert md(html).splitlines()[1] == "| :-- | :-: | --: | --- |"


def test_details_dropdown_or_admonition() -> None:
    html = '<details open="open"><summary>More</summary><p>Hidden.</p></details>'
    assert md(html, design=True) == "```{dropdown} More\n---\nopen:\n---\nHidden.\n```\n"
    assert md(html) == "```{admonition} More\n---\nclass: dropdown, open\n---\nHidden.\n```\n"


def test_links_between_pages_images_and_attachments() -> None:
    html = (
        '<p><a href="[[bsexport:page:2]]#bkmrk-install">Install</a>, '
        '<a href="[[bsexport:page:2]]#bkmrk-para">a paragraph</a>, '
        '<a href="[[bsexport:attachment:5]]">the PDF</a>, '
        '<a href="/books/other/page/intro">elsewhere</a>, '
        '<a href="https://example.org">out</a> '
        '<img alt="pic" src="[[bsexport:image:3]]"></p>'
    )
    conversion = convert_page(
        html,
        PageContext(
            pages={2: "/guide/setup"},
            anchors={"/guide/setup": {"bkmrk-install": "install-it"}},
            images={3: "img/pic.png"},
            attachments={5: "files/manual.pdf"},
            urls={"/books/other/page/intro": "/other/intro"},
        ),
    )
    assert conversion.markdown == (
        "[Install](/guide/setup#install-it), [a paragraph](/guide/setup), "
        "[the PDF](files/manual.pdf), [elsewhere](/other/intro), [out](https://example.org) "
        "![pic](img/pic.png)\n"
    )
    assert conversion.problems == [
        "link 'a paragraph' to #bkmrk-para on /guide/setup: no block of the page has that id, "
        "links to the page"
    ]


def test_inline_roles_and_unknown_inline_html() -> None:
    html = (
        '<p>Press <kbd>Ctrl</kbd>, H<sub>2</sub>O, <abbr title="HyperText">HTML</abbr>, '
        "<mark>marked</mark>, <code>a <strong>b</strong></code>.</p>"
    )
    assert md(html) == (
        "Press {kbd}`Ctrl`, H{sub}`2`O, {abbr}`HTML (HyperText)`, <mark>marked</mark>, "
        "<code>a <strong>b</strong></code>.\n"
    )


def test_unconvertible_block_is_kept_raw_and_reported() -> None:
    html = '<table><tr><td colspan="2">wide</td></tr></table><figure><p>x</p></figure>'
    conversion = convert_page(html)
    assert conversion.markdown.count("```{raw} html") == 2
    assert 'colspan="2"' in conversion.markdown
    assert conversion.problems == [
        "<table> table with merged cells: kept as raw HTML",
        "<figure> not convertible: kept as raw HTML",
    ]


def test_includes_resolved_or_reported() -> None:
    pages = {7: '<p id="bkmrk-x">Shared text.</p><p id="bkmrk-y">Other.</p>'}

    def include(page: int, element: str | None) -> str | None:
        html = pages.get(page)
        if html is None or element is None:
            return html
        return '<p id="bkmrk-x">Shared text.</p>' if element == "bkmrk-x" else None

    conversion = convert_page(
        "<p>{{@7}}</p><p>{{@7#bkmrk-x}}</p><p>{{@9}}</p>", PageContext(include=include)
    )
    assert conversion.markdown == "Shared text.\n\nOther.\n\nShared text.\n\n{{@9}}\n"
    assert conversion.problems == ["include {{@9}}: not in the export, kept as text"]


def test_output_is_canonical_and_stable() -> None:
    html = "<ul><li><p>one</p><ul><li>deep</li></ul></li><li>two</li></ul><p>a*b_c</p>"
    first = md(html)
    assert first == "- one\n\n  - deep\n\n- two\n\na\\*b_c\n"
    assert md(html) == first


def test_page_headings() -> None:
    html = '<h2 id="bkmrk-a">A  title</h2><p id="bkmrk-b">x</p><h3 id="bkmrk-c">C</h3>'
    assert page_headings(html) == {"bkmrk-a": "A title", "bkmrk-c": "C"}


def test_converter_imports_no_sphinx() -> None:
    code = (
        "import sys; import sphinx_mosaic.wiki.cli, sphinx_mosaic.wiki.importer, "
        "sphinx_mosaic.wiki.compare, sphinx_mosaic.wiki.api; "
        "bad = [m for m in ('sphinx', 'docutils', 'PIL') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_images_with_a_size_keep_it() -> None:
    html = (
        '<p><img alt="big" src="[[bsexport:image:1]]" width="40"></p>'
        '<p>Inline <img alt="a^2" src="[[bsexport:image:1]]" height="15" width="16">.</p>'
    )
    assert md(html, images={1: "img/x.png"}) == (
        "```{image} img/x.png\n---\nalt: big\nwidth: 40\n---\n```\n\n"
        'Inline <img alt="a^2" height="15" src="img/x.png" width="16"/>.\n'
    )


def test_blocks_are_formatted_unless_only_the_page_is_wanted() -> None:
    html = "<table><thead><tr><th>Name</th></tr></thead><tbody><tr><td>a</td></tr></tbody></table>"
    formatted = convert_page(html)
    assert formatted.blocks[0].markdown == "| Name |\n| ---- |\n| a    |"
    fast = convert_page(html, formatted_blocks=False)
    assert fast.blocks[0].markdown == "| Name |\n|---|\n| a |"
    assert fast.markdown == formatted.markdown == "| Name |\n| ---- |\n| a    |\n"


def test_corpus_shapes_heading_levels_targetless_links_diagram_alts_blank_code_lines() -> None:
    html = (
        "<h1>Second top section</h1><h3>Deep</h3>"
        "<p><a><span>no target</span></a></p>"
        '<p><img alt="graph LR\n A[x&lt;br/&gt;y] --&gt; B: z" src="[[bsexport:image:1]]"></p>'
        "<pre><code>\n\nafter two blank lines\n</code></pre>"
    )
    assert md(html, images={1: "img/d.png"}) == (
        "# Second top section\n\n### Deep\n\n<a><span>no target</span></a>\n\n"
        "```{image} img/d.png\n---\nalt: 'graph LR A[x<br/>y] --> B: z'\n---\n```\n\n"
        "```text\n\n\nafter two blank lines\n```\n"
    )


def test_a_paragraph_line_starting_with_a_colon_stays_a_paragraph() -> None:
    assert md("<p>Term\n: Its definition.</p>") == "Term\n\\: Its definition.\n"
