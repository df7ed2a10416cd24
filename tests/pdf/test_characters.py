"""Every character of the sources reaches the PDF: emoji as images, symbols as LaTeX,
the rest as a placeholder with one warning (issue #18)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.pdf import compile_pdf, require_tex, skip_or_fail
from sphinx.testing.util import SphinxTestApp

from sphinx_mosaic.pdf.characters import characters_in, write_package
from sphinx_mosaic.pdf.characters import emoji as emoji_images
from sphinx_mosaic.pdf.characters.classify import Kind, classify
from sphinx_mosaic.pdf.characters.sty import package_text
from sphinx_mosaic.warnings import MosaicWarning

#: The emoji of the test root (README, guide index and symbols page).
EMOJI = "📚📊🟢🟡🔵⚪✅⚠📋🚀🎯❌⏳🔄🧪"  # 🧪 in a code block
#: Sphinx's default fonts for xelatex and lualatex (GNU FreeFont) are not in the Debian
#: packages CI installs; DejaVu is.
UNICODE_ENGINE_FONTS = r"\setmonofont{DejaVu Sans Mono}"


# --- the mapping, without TeX -------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "latex"),
    [
        ("→", r"\ensuremath{\rightarrow}"),
        ("≥", r"\ensuremath{\geq}"),
        ("✓", r"\ding{51}"),
        ("✗", r"\ding{55}"),
        ("─", r"\pmboxdrawuni{2500}"),
        ("├", r"\pmboxdrawuni{251C}"),
        ("╭", r"\pmboxdrawuni{250C}"),  # rounded corner: the nearest solid one
        ("\ufe0f", ""),
        ("\u200d", ""),
    ],
)
def test_symbols_map_to_latex(char: str, latex: str) -> None:
    for engine in ("pdflatex", "lualatex", "xelatex"):
        rendering = classify(ord(char), engine)
        assert rendering.kind is Kind.SYMBOL
        assert rendering.latex == latex


@pytest.mark.parametrize("char", ["é", "ß", "–", "—", "“", "•", "·", "€", "α", "×"])
def test_letters_pdflatex_knows_stay(char: str) -> None:
    assert classify(ord(char), "pdflatex").kind is Kind.PLAIN


def test_emoji_are_images() -> None:
    _require_images()
    for char in EMOJI:
        rendering = classify(ord(char), "pdflatex")
        assert rendering.kind is Kind.EMOJI, char
        assert rendering.image is not None
        assert rendering.image.name == f"{ord(char):x}.png"


def test_unrenderable_characters() -> None:
    assert classify(0xE000, "pdflatex").kind is Kind.MISSING  # private use
    assert classify(0xE000, "lualatex").kind is Kind.MISSING
    assert classify(ord("ж"), "pdflatex").kind is Kind.MISSING  # Cyrillic: no T2A font
    assert classify(ord("ж"), "lualatex").kind is Kind.PLAIN  # the font's
    assert classify(0xE000, "pdflatex").placeholder == "[U+E000]"


def test_without_the_image_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(emoji_images, "image_folder", lambda: None)
    monkeypatch.setattr(emoji_images, "image_for", lambda code: None)
    assert classify(0x1F4DA, "pdflatex").kind is Kind.NO_IMAGE
    assert classify(0x2192, "pdflatex").kind is Kind.SYMBOL  # symbols need no images
    text = package_text([classify(0x1F4DA, "pdflatex")], "pdflatex")
    # guarded: the status badges' own circles win over the placeholder
    assert r"\sphinxmosaic@fallback{1F4DA}{📚}" in text


def test_package_declares_only_what_is_used(tmp_path: Path) -> None:
    _require_images()
    (tmp_path / "a.tex").write_text("Status: ✅ done → next, café\n", encoding="utf-8")
    renderings = write_package(tmp_path, characters_in([tmp_path / "a.tex"]), "pdflatex")
    assert {r.char for r in renderings} == {"✅", "→", "é"}
    sty = (tmp_path / "sphinxmosaiccharacters.sty").read_text(encoding="utf-8")
    declared = re.findall(r"\\DeclareUnicodeCharacter\{([0-9A-F]+)\}", sty)
    assert declared[-2:] == ["2192", "2705"]  # é is LaTeX's own
    assert r"\DeclareUnicodeCharacter{2705}{\sphinxmosaicemoji{9989}}" in sty
    assert "pmboxdraw" not in sty and "pifont" not in sty
    assert [p.name for p in (tmp_path / "mosaic-emoji").iterdir()] == ["9989.png"]


def test_unicode_engines_use_newunicodechar() -> None:
    text = package_text([classify(0x2500, "lualatex"), classify(0xE000, "lualatex")], "lualatex")
    assert r"\RequirePackage{newunicodechar}" in text
    assert r"\newunicodechar{─}{\pmboxdrawuni{2500}}" in text
    assert "\\newunicodechar{\ue000}{\\sphinxmosaicmissing{E000}}" in text
    assert "DeclareUnicodeCharacter" not in text.split(r"\endinput")[0].split("% A character")[0]


# --- builds --------------------------------------------------------------------------


def _build(
    make_app: Callable[..., SphinxTestApp], rootdir: Path, tmp_path: Path, **conf: object
) -> SphinxTestApp:
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-pdf-characters", srcdir)
    app = make_app("latex", srcdir=srcdir, confoverrides=conf)
    app.build()
    return app


def _character_warnings(app: SphinxTestApp) -> list[str]:
    tag = f"[mosaic.{MosaicWarning.CHARACTER.subtype}]"
    return [line for line in app.warning.getvalue().splitlines() if tag in line]


def test_one_warning_with_file_and_line(
    make_app: Callable[..., SphinxTestApp], rootdir: Path, tmp_path: Path
) -> None:
    _require_images()
    app = _build(make_app, rootdir, tmp_path)
    warnings = _character_warnings(app)
    assert len(warnings) == 1, app.warning.getvalue()
    assert re.search(
        r"1-guide/2-private\.md:3: WARNING: pdflatex has no glyph for U\+E000 ", warnings[0]
    )
    assert "[U+E000]" in warnings[0]
    sty = (Path(app.outdir) / "sphinxmosaiccharacters.sty").read_text(encoding="utf-8")
    assert r"\sphinxmosaic@fallback{E000}" in sty
    # an incremental build (nothing changed) writes the same package again
    again = make_app("latex", srcdir=app.srcdir)
    again.build()
    assert (Path(again.outdir) / "sphinxmosaiccharacters.sty").read_text(encoding="utf-8") == sty


def test_parallel_build_gives_the_same_package_and_one_warning(
    make_app: Callable[..., SphinxTestApp], rootdir: Path, tmp_path: Path
) -> None:
    serial = _build(make_app, rootdir, tmp_path / "serial")
    srcdir = tmp_path / "parallel"
    shutil.copytree(rootdir / "test-pdf-characters", srcdir)
    parallel = make_app("latex", srcdir=srcdir, parallel=2)
    parallel.build()
    assert len(_character_warnings(parallel)) == 1
    name = "sphinxmosaiccharacters.sty"
    assert (Path(parallel.outdir) / name).read_text(encoding="utf-8") == (
        Path(serial.outdir) / name
    ).read_text(encoding="utf-8")


def test_warning_line_inside_a_code_block(
    make_app: Callable[..., SphinxTestApp],
    tmp_path: Path,
    one_book: Callable[[dict[str, str]], Path],
) -> None:
    src = one_book({"1-tree.md": "# Tree\n\n```text\na\nb \ue001\n```\n"})
    app = make_app("latex", srcdir=src)
    app.build()
    warnings = _character_warnings(app)
    assert len(warnings) == 1
    assert "1-book/1-tree.md:5:" in warnings[0]


def test_no_warning_for_text_latex_never_sees(
    make_app: Callable[..., SphinxTestApp], one_book: Callable[[dict[str, str]], Path]
) -> None:
    page = "# Page\n\n```{raw} html\n<b>\ue001</b>\n```\n\n<!-- \ue002 -->\n\ntext\n"
    app = make_app("latex", srcdir=one_book({"1-page.md": page}))
    app.build()
    assert _character_warnings(app) == []


def test_one_warning_without_the_image_set(
    make_app: Callable[..., SphinxTestApp],
    rootdir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(emoji_images, "image_folder", lambda: None)
    monkeypatch.setattr(emoji_images, "image_for", lambda code: None)
    app = _build(make_app, rootdir, tmp_path)
    warnings = _character_warnings(app)
    assert len(warnings) == 2, warnings  # the private-use character, and the emoji once
    emoji_warning = next(w for w in warnings if "emoji such as" in w)
    assert "README.md:3:" in emoji_warning and "U+1F4DA BOOKS" in emoji_warning
    assert "sphinx-mosaic[pdf]" in emoji_warning
    assert not (Path(app.outdir) / "mosaic-emoji").exists()


# --- PDFs ----------------------------------------------------------------------------


def _image_objects(outdir: Path) -> set[str]:
    listing = subprocess.run(
        ["pdfimages", "-list", "characters.pdf"],
        cwd=outdir,
        capture_output=True,
        check=True,
        text=True,
    ).stdout.splitlines()[2:]
    return {row.split()[10] for row in listing if row.split()[2] == "image"}


def _check_pdf(text: str, outdir: Path) -> None:
    for symbol in ("→", "←", "↑", "↓", "↔", "≤", "≥", "≈", "•", "·", "–"):
        assert symbol in text, symbol
    assert "A logo from a private font: [U+E000] here." in text
    assert "docs/" in text and "README.md" in text and "1-guide/" in text  # the tree
    assert len(_image_objects(outdir)) == len(EMOJI)  # one image per emoji


@pytest.mark.latex
def test_pdflatex(make_app: Callable[..., SphinxTestApp], rootdir: Path, tmp_path: Path) -> None:
    _require_images()
    app = _build(make_app, rootdir, tmp_path)
    outdir = Path(app.outdir)
    text = compile_pdf(outdir)
    _check_pdf(text, outdir)
    assert "✓" in text and "✗" in text


@pytest.mark.latex
@pytest.mark.parametrize("engine", ["lualatex", "xelatex"])
def test_unicode_engines(
    make_app: Callable[..., SphinxTestApp],
    rootdir: Path,
    tmp_path: Path,
    engine: str,
) -> None:
    _require_images()
    require_tex(engine)
    app = _build(
        make_app,
        rootdir,
        tmp_path,
        latex_engine=engine,
        **{"latex_elements.fontpkg": UNICODE_ENGINE_FONTS},
    )
    outdir = Path(app.outdir)
    _check_pdf(compile_pdf(outdir, engine), outdir)


def _require_images() -> None:
    """Skip without the image set (``sphinx-mosaic[pdf]``), but fail in CI, which installs it."""
    if emoji_images.image_folder() is None:
        skip_or_fail(f"needs {emoji_images.EXTRA} (the test extra installs it)")


@pytest.mark.latex
def test_pdflatex_without_the_image_set(
    make_app: Callable[..., SphinxTestApp],
    rootdir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(emoji_images, "image_folder", lambda: None)
    monkeypatch.setattr(emoji_images, "image_for", lambda code: None)
    app = _build(make_app, rootdir, tmp_path)
    outdir = Path(app.outdir)
    text = " ".join(compile_pdf(outdir).split())
    assert "[U+1F4DA] Books" in text  # a placeholder, visibly
    assert "Status: [U+2705] done" in text
    # the status badges' package draws its circles; they are not replaced by placeholders
    assert "∙ Complete · ∙ Partial · ∙ Planned · ∘ Not started" in text
    assert "→" in text and "≥" in text  # symbols need no images
    assert not _image_objects(outdir)
