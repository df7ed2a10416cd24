"""Small pieces of the BookStack output: slugs, languages, ids, descriptions, ZIP bytes."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from sphinx_mosaic.bookstack.format.files import safe_file_name
from sphinx_mosaic.bookstack.format.portable_zip import zip_bytes
from sphinx_mosaic.bookstack.format.urls import bookstack_slug, entity_url
from sphinx_mosaic.bookstack.translate.callouts import callout_kind
from sphinx_mosaic.bookstack.translate.description import description_html, plain_description
from sphinx_mosaic.bookstack.translate.ids import PageAnchors, ensure_top_level_ids
from sphinx_mosaic.bookstack.translate.languages import bookstack_language


def parse(text: str) -> nodes.document:
    document = new_document("test.rst", get_default_settings(Parser))
    Parser().parse(text, document)
    return document


#: Laravel 10's Str::slug (BookStack v24.10-v24.12) with voku/portable-ascii 2.0.1, the
#: version BookStack locks, run under PHP 8.2 for each name: its results, not ours.
LARAVEL_SLUGS = [
    # Latin
    ("Getting Started!", "getting-started"),
    ("C++ & C#", "c-c"),
    ("user@host", "user-at-host"),
    ("Über_uns", "uber-uns"),
    ("  spaced   out -- name ", "spaced-out-name"),
    ("Déjà vu — Café crème", "deja-vu-cafe-creme"),
    ("Straße nach Köln", "strasse-nach-koln"),
    ("Ångström øre æble", "angstrom-ore-aeble"),
    ("Łódź", "lodz"),
    ("Čeština Žluťoučký kůň", "cestina-zlutoucky-kun"),
    ("Türkçe ğüşıöç", "turkce-gusioc"),
    ("Tiếng Việt", "tieng-viet"),
    ("français: l'œuvre", "francais-loeuvre"),
    ("“Quoted” ‘title’", "quoted-title"),
    ("100% sure", "100-sure"),
    ("a--b__c", "a-b-c"),
    # Cyrillic
    ("Привет мир", "privet-mir"),
    ("Документация для новых пользователей", "dokumentaciia-dlia-novyx-polzovatelei"),
    ("Чаша шар жук хор цирк", "casa-sar-zuk-xor-cirk"),
    ("Ёлки и ёжики", "elki-i-eziki"),
    ("Щука Съезд Объём", "shhuka-sieezd-obieem"),
    ("Київ", "kiyiv"),
    # Greek
    ("Καλημέρα", "kalimera"),
    ("Γειά σου κόσμε", "geia-soy-kosme"),
    ("Ψυχή και Θεός", "psikhi-kai-theos"),
    ("Ευρώπη Ουρανός Χάρτης", "efrwpi-oyranos-xartis"),
    # CJK, Hebrew: no table in BookStack, so no slug (BookStack picks a random one)
    ("你好世界", ""),
    ("日本語のテキスト", ""),
    ("한국어", ""),
    ("שלום", ""),
    ("安装 Install", "install"),
    # signs: currency as its code, other symbols and fractions dropped
    ("Preis: 5€, ¥100 oder ½ ©2024", "preis-5eur-yen100-oder-2024"),
    ("Ŋoŋ µ test", "non-test"),
    # emoji are dropped
    ("🚀 Launch", "launch"),
    ("Emoji 🎉 party 🎉", "emoji-party"),
    ("🙂", ""),
]


@pytest.mark.parametrize(("name", "slug"), LARAVEL_SLUGS)
def test_slugs_follow_bookstack(name: str, slug: str) -> None:
    assert bookstack_slug(name) == slug


def test_a_name_without_a_slug_is_linked_through_search() -> None:
    assert entity_url("books", "Привет мир") == "/books/privet-mir"
    assert (
        entity_url("books", "你好世界") == "/search?term=%22%E4%BD%A0%E5%A5%BD%E4%B8%96%E7%95%8C%22"
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("python3", "python"),
        ("console", "bash"),
        ("YAML", "yaml"),
        ("c++", "c++"),
        ("default", None),
        ("text", None),
        ("erlang", None),
        (None, None),
    ],
)
def test_languages(language: str | None, expected: str | None) -> None:
    assert bookstack_language(language) == expected


def test_callout_kinds() -> None:
    assert [callout_kind(n) for n in ("note", "tip", "caution", "error", "whatever")] == [
        "info",
        "success",
        "warning",
        "danger",
        "info",
    ]


def test_generated_ids_are_unique_and_bookstack_like() -> None:
    anchors = PageAnchors(parse("Title\n=====\n\ntext\n"))
    first = anchors.generated("Hello World, this is long text", "p")
    second = anchors.generated("Hello World, this is long text", "p")
    assert first == "bkmrk-hello-world%2C-this-is"  # first 20 characters
    assert second == f"{first}-1"
    assert anchors.generated("", "hr") == "bkmrk-hr"


def test_docutils_ids_become_bkmrk_ids_and_the_title_section_the_page() -> None:
    document = parse("Title\n=====\n\nSub\n---\n\ntext\n")
    sub = next(n for n in document.findall(nodes.section) if n["ids"] == ["sub"])
    sub["ids"].append("alias")  # what a label before the heading gives
    anchors = PageAnchors(document)
    assert anchors.anchors["title"] == ""
    assert anchors.anchors["sub"] == anchors.anchors["alias"] == "bkmrk-sub"
    assert anchors.href("alias") == "#bkmrk-sub"
    assert anchors.href("title") == "#"


def test_top_level_ids_added_to_raw_html() -> None:
    anchors = PageAnchors(parse("Title\n=====\n"))
    html = '<p id="bkmrk-x">kept</p>\n<div class="raw"><p>inner</p></div><hr>\n bare &amp; text\n'
    result = ensure_top_level_ids(html, anchors)
    assert result == (
        '<p id="bkmrk-x">kept</p>\n<div id="bkmrk-inner" class="raw"><p>inner</p></div>'
        '<hr id="bkmrk-hr">\n <p id="bkmrk-bare-%26-text">bare &amp; text</p>\n'
    )


def test_description_keeps_allowed_tags_only() -> None:
    paragraph = parse("Some *em* and **strong** with ``code`` and `a link <https://x.org>`_.")[0]
    assert isinstance(paragraph, nodes.paragraph)
    assert description_html(paragraph) == (
        "<p>Some <em>em</em> and <strong>strong</strong> with code and "
        '<a href="https://x.org">a link</a>.</p>'
    )


def test_long_description_is_cut_to_the_limit() -> None:
    text = "word & " * 600
    cut = plain_description(text)
    assert len(cut) <= 2000 and cut.startswith("<p>word &amp; ") and cut.endswith("…</p>")


def test_safe_file_names() -> None:
    assert safe_file_name("My File (1).png") == "My-File-1-.png"
    assert safe_file_name("../../etc/passwd") == "etc-passwd"
    assert safe_file_name("...") == "file"


def test_zip_bytes_are_deterministic_and_sorted() -> None:
    files = {"b.png": b"\x89PNG\r\n\x1a\nxx", "a.csv": b"1,2\n"}
    first = zip_bytes(b"{}", files)
    assert first == zip_bytes(b"{}", dict(reversed(list(files.items()))))
    with zipfile.ZipFile(BytesIO(first)) as archive:
        assert archive.namelist() == ["data.json", "files/a.csv", "files/b.png"]
        assert archive.getinfo("files/b.png").compress_type == zipfile.ZIP_STORED


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x0c", "\x1c", "\x85", "\r"])
def test_top_level_ids_survive_line_separators_in_raw_html(separator: str) -> None:
    """str.splitlines() and HTMLParser count lines differently at these characters: an edit
    at computed offsets split the tag (``…two< id="bkmrk-raw-block"/p>``)."""
    anchors = PageAnchors(parse("Title\n=====\n"))
    html = f"<p>one{separator}two</p>\n<div>raw block</div>\n"
    result = ensure_top_level_ids(html, anchors)
    soup = BeautifulSoup(result, "html.parser")
    top = soup.find_all(recursive=False)
    assert [tag.name for tag in top] == ["p", "div"]
    assert top[0]["id"].startswith("bkmrk-one") and top[0]["id"].endswith("two")
    assert top[1]["id"] == "bkmrk-raw-block"
    assert top[0].get_text() == f"one{separator}two".replace("\r", "\n")
    assert top[1].get_text() == "raw block"


def test_loose_text_and_its_inline_elements_become_one_paragraph() -> None:
    anchors = PageAnchors(parse("Title\n=====\n"))
    html = "<p>first</p>\nloose <b>bold</b> and <a href='#x'>link</a>\n<hr>\n<img src='a.png'>\n"
    assert ensure_top_level_ids(html, anchors) == (
        '<p id="bkmrk-first">first</p>\n'
        '<p id="bkmrk-loose-bold-and-link">loose <b>bold</b> and <a href="#x">link</a></p>\n'
        '<hr id="bkmrk-hr">\n<img id="bkmrk-img" src="a.png">\n'
    )


def test_html_with_every_id_is_returned_as_it_is() -> None:
    anchors = PageAnchors(parse("Title\n=====\n"))
    html = '<p id="bkmrk-a">one<br/>two &nbsp; <code>&lt;x&gt;</code></p>\n'
    assert ensure_top_level_ids(html, anchors) is html


def test_a_pre_block_keeps_its_leading_blank_line() -> None:
    anchors = PageAnchors(parse("Title\n=====\n"))
    result = ensure_top_level_ids("<pre>\n\ncode</pre>", anchors)
    assert result == '<pre id="bkmrk-code">\n\ncode</pre>'
    assert BeautifulSoup(result, "html.parser").pre.get_text() in ("\n\ncode", "\ncode")
