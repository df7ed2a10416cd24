"""What the fuzz tests found, pinned: one test per bug, failing if it comes back.

Each input is the one Hypothesis shrank the failure to (or the smallest of its
kind); each test asserts the exact behaviour now expected, not only "no crash".
"""

from __future__ import annotations

import errno
import re
from collections.abc import Iterator
from typing import Any

import pytest
from helpers.fuzz_project import MYST_PAGE, RST_PAGE, SENTINEL, FuzzProject

from sphinx_mosaic.layout.sources import parse_front_matter
from sphinx_mosaic.status.vocabulary import _check, build_vocabulary


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzProject]:
    yield FuzzProject(tmp_path_factory.mktemp("fuzz-regressions"))


def located(project: FuzzProject, build: Any) -> list[tuple[str, str, str]]:
    """(location relative to the source folder, type.subtype, message) of every warning."""
    found = []
    for record in build.warnings:
        location = str(getattr(record, "location", "") or "")
        kind = f"{getattr(record, 'type', None)}.{getattr(record, 'subtype', None)}"
        found.append((location.replace(f"{project.srcdir}/", ""), kind, record.getMessage()))
    return found


# -- mosaic-contents naming no folder ------------------------------------------------


@pytest.mark.parametrize("builder", ["html", "text", "latex"])
def test_contents_of_an_unknown_folder_warns_and_the_build_goes_on(
    project: FuzzProject, builder: str
) -> None:
    """Found by test_fuzz_directives: ``mosaic-contents null`` crashed every build
    with ``AssertionError: Losing "classes" attribute`` (docutils'
    ``replace_self([])``); it now warns once, with file and line, and leaves nothing."""
    build = project.build(
        {
            MYST_PAGE: f"# Page\n\n{SENTINEL}\n\n```{{mosaic-contents}} null\n```\n",
            RST_PAGE: f"Rst page\n========\n\n{SENTINEL}\n\n.. mosaic-contents:: nowhere\n",
        },
        builder,
    )
    assert build.problems() == []
    assert [(where, kind) for where, kind, _ in located(project, build)] == [
        ("1-book/1-page.md:5", "mosaic.toctree"),
        ("1-book/3-rst-page.rst:6", "mosaic.toctree"),
    ]
    messages = [message for _, _, message in located(project, build)]
    assert "no layout folder 'null'" in messages[0]
    assert "no layout folder 'nowhere'" in messages[1]


# -- the status role after an eval-rst block ----------------------------------------


def test_an_unknown_status_after_eval_rst_warns_with_its_line(project: FuzzProject) -> None:
    """Found by test_fuzz_directives: after an ``{eval-rst}`` block MyST's reporter
    gives roles no source, so the ``{status}`` warning had an empty location."""
    build = project.build(
        {
            MYST_PAGE: f"# Page\n\n{SENTINEL}\n\n```{{eval-rst}}\n.. note:: x\n```\n\n"
            "Roles: {status}` ` and {status}`nope`.\n",
            RST_PAGE: f"Rst page\n========\n\n{SENTINEL} :status:`nope`\n",
        },
        "text",
    )
    assert build.problems() == []
    assert [(where, kind) for where, kind, _ in located(project, build)] == [
        ("1-book/1-page.md:9", "mosaic.status"),
        ("1-book/1-page.md:9", "mosaic.status"),
        ("1-book/3-rst-page.rst:4", "mosaic.status"),
    ]


# -- front matter YAML accepts but Python refuses ---------------------------------------


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (
            "last_updated: 2024-02-30\n",
            "a value YAML reads as a date or number is not one (day is out of range for month)"
            "; quote it to keep it as text",
        ),
        (
            f"title: {'1' * 5000}\n",
            "a value YAML reads as a date or number is not one (Exceeds the limit (4300 digits) "
            "for integer string conversion: value has 5000 digits); quote it to keep it as text",
        ),
        ("title: " + "[" * 1200 + "\n", "brackets or indentation nested too deeply"),
        (
            f"title: 0x{'f' * 5000}\n",
            "Exceeds the limit (4300 digits) for integer string conversion; quote the value",
        ),
        (
            "title: !!timestamp abc\n",
            "a tagged value YAML cannot read (AttributeError: 'NoneType' object has no attribute "
            "'groupdict'); remove the !! tag",
        ),
        (
            "status_badge: !!bool x\n",
            "a tagged value YAML cannot read (KeyError: 'x'); remove the !! tag",
        ),
        (
            "title: !!int _\n",
            "a tagged value YAML cannot read (IndexError: string index out of range); remove the "
            "!! tag",
        ),
        (
            'title: "\\ud800"\n',
            "a \\u escape names a lone UTF-16 surrogate (\\ud800 to \\udfff), which is not a "
            "character; write the character itself",
        ),
    ],
)
def test_front_matter_python_refuses_is_malformed_not_a_crash(block: str, message: str) -> None:
    """Found by test_fuzz_sources and test_fuzz_front_matter: parse_front_matter let
    ValueError (impossible dates, integers past Python's digit limit),
    RecursionError and PyYAML's own errors on explicit tags (AttributeError,
    KeyError, IndexError) escape, which stopped every build on env-get-outdated; a lone
    surrogate title stopped the HTML build when Sphinx wrote objects.inv."""
    assert parse_front_matter(block) == ({}, (2, f"malformed front matter: {message}"))


@pytest.mark.parametrize("builder", ["html", "latex"])
@pytest.mark.parametrize(
    "field", ["last_updated: 2024-02-30", f"title: {'1' * 5000}", 'title: "\\udfff"']
)
def test_front_matter_python_refuses_warns_in_a_build(
    project: FuzzProject, builder: str, field: str
) -> None:
    build = project.build(
        {
            MYST_PAGE: f"---\n{field}\n---\n# Page\n\n{SENTINEL}\n",
            RST_PAGE: f"Rst page\n========\n\n{SENTINEL}\n",
        },
        builder,
    )
    assert build.problems() == []
    kinds = sorted((where, kind) for where, kind, _ in located(project, build))
    # One warning for one mistake: our source-read guard blanks the front matter our
    # reader refused, so MyST does not report it a second time (myst.topmatter).
    assert kinds == [("1-book/1-page.md:2", "mosaic.front-matter")]


# -- mosaic_status_vocabulary --------------------------------------------------------


def test_a_weight_too_large_for_a_float_is_refused_not_raised() -> None:
    """Found by test_fuzz_config: ``weight: 10**400`` raised OverflowError from the
    option check, so Sphinx stopped on config-inited."""
    problem = _check({"review": {"weight": 10**400}})
    assert problem is not None
    assert problem.startswith("status 'review' has weight 1000")
    assert problem.endswith("; use a number from 0 to 1")


def test_a_hostile_vocabulary_in_conf_py_warns_and_uses_the_default(
    project: FuzzProject,
) -> None:
    build = project.build(
        {
            MYST_PAGE: f"---\nstatus: partial\n---\n# Page\n\n{SENTINEL}\n",
            RST_PAGE: f"Rst page\n========\n\n{SENTINEL}\n",
        },
        "text",
        confoverrides={"mosaic_status_vocabulary": {"review": {"weight": 10**400}}},
    )
    assert build.problems() == []
    # Logged on config-inited, before the build's record handler is attached: read the text.
    [line] = re.sub(r"\x1b\[[0-9;]*m", "", build.warning_text).splitlines()
    assert line.startswith("WARNING: mosaic_status_vocabulary = {'review': {'weight': 1000")
    assert line.endswith("using the default {} [mosaic.config]")
    assert "[Partial]" in (build.outdir / "1-book/1-page.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", ["", " - ", "_"])
def test_a_status_key_that_folds_to_nothing_is_refused(key: str) -> None:
    """Found by test_fuzz_config: ``{"": {}}`` was accepted as a status with an
    empty key and label, which an empty ``status:`` then resolved to."""
    assert _check({key: {}}) == f"status {key!r} needs a key made of letters or digits"


@pytest.mark.parametrize("fields", [{"aliases": ["-"]}, {"emoji": "\ufe0f"}, {"label": "Review"}])
def test_no_spelling_makes_an_empty_status_mean_one(fields: dict[str, Any]) -> None:
    """Found by test_fuzz_config: an alias or emoji that folds to nothing ("-", a
    lone variation selector) made ``status: ""`` mean that status."""
    vocabulary = build_vocabulary({"review": fields})
    assert "review" in vocabulary
    assert vocabulary.resolve("") is None
    assert vocabulary.resolve("review") == "review"


def test_an_alias_given_as_one_string_is_one_alias() -> None:
    """Found by test_fuzz_config: ``aliases: "rev"`` gave the aliases r, e and v,
    so ``status: e`` meant review."""
    vocabulary = build_vocabulary({"review": {"aliases": "rev"}})
    assert vocabulary["review"].aliases == ("rev",)
    assert vocabulary.resolve("rev") == "review"
    assert vocabulary.resolve("e") is None


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"label": "  "}, "status 'review' has an empty label; readers see the label"),
        ({"aliases": None}, "status 'review' has aliases None; use a list of spellings"),
        ({"aliases": 3}, "status 'review' has aliases 3; use a list of spellings"),
        ({"weight": "heavy"}, "status 'review' has weight 'heavy'; use a number from 0 to 1"),
    ],
)
def test_bad_status_fields_say_what_to_write(fields: dict[str, Any], problem: str) -> None:
    """Found by test_fuzz_config: an empty label gave an invisible badge, and
    ``aliases: None`` was refused with Python's "'NoneType' object is not iterable"."""
    assert _check({"review": fields}) == problem


# -- upstream: reported, guarded in the strategies ----------------------------------


@pytest.mark.xfail(
    strict=True,
    raises=OSError,
    reason="myst-parser stats a Markdown link target as a file (render_link_unknown in "
    "myst_parser/mdit_to_docutils/sphinx_.py) and lets 'File name too long' escape; "
    "when this passes, drop MYST_LINK_LIMIT from helpers.fuzz_strategies",
)
def test_a_markdown_link_longer_than_a_file_name_does_not_crash(project: FuzzProject) -> None:
    try:
        build = project.build(
            {
                MYST_PAGE: f"# Page\n\n{SENTINEL} [a link]({'x' * 300}).\n",
                RST_PAGE: f"Rst page\n========\n\n{SENTINEL}\n",
            }
        )
    except OSError as exc:
        assert exc.errno == errno.ENAMETOOLONG
        raise
    assert build.problems() == []
    assert any(re.search(r"1-page\.md:3", str(getattr(r, "location", ""))) for r in build.warnings)


@pytest.mark.parametrize(
    "value",
    [
        f"0x{'f' * 5000}",  # MyST prints it with str(), past Python's 4,300-digit limit
        "!!bool x",  # PyYAML raises KeyError, which MyST does not catch
        "!!timestamp abc",  # AttributeError
        "!!int _",  # IndexError
    ],
)
def test_front_matter_that_crashes_myst_is_blanked_with_one_warning(
    project: FuzzProject, value: str
) -> None:
    """MyST-Parser crashes on these front matter values (myst_parser/mdit_to_docutils/base.py,
    dict_to_fm_field_list and YAML_LOAD_ERRORS).  Our source-read guard blanks front matter
    our reader refuses, keeping its lines, so the build goes on with one warning, ours."""
    build = project.build(
        {
            MYST_PAGE: f"---\nnote: {value}\n---\n# Page\n\n{SENTINEL}\n",
            RST_PAGE: f"Rst page\n========\n\n{SENTINEL}\n",
        }
    )
    assert build.problems() == []
    messages = [str(r.getMessage()) for r in build.warnings]
    assert len([m for m in messages if "front matter" in m.lower()]) == 1, messages


# -- lone surrogates from YAML escapes in paths and BookStack tags ----------------------


@pytest.mark.parametrize("builder", ["html", "text", "latex", "bookstack"])
def test_a_lone_surrogate_in_path_options_is_shown_as_a_replacement_character(
    project: FuzzProject, builder: str
) -> None:
    """Found by test_fuzz_directives (YAML traps in MyST option blocks): a path
    ``title: "\\ud800"`` stopped every build with UnicodeEncodeError (objects.inv in
    HTML, the output file in text, LaTeX and BookStack); so did a description."""
    build = project.build(
        {
            MYST_PAGE: f'# Page\n\n{SENTINEL}\n\n```{{path}} p1\n---\ntitle: "\\ud800"\n'
            'description: "x \\udfff"\n---\nbook/other\n```\n',
            RST_PAGE: f"Rst page\n========\n\n{SENTINEL}\n",
        },
        builder,
    )
    assert build.problems() == []
    [(where, kind, message)] = located(project, build)
    assert (where, kind) == ("1-book/1-page.md:5", "mosaic.path")
    assert "lone UTF-16 surrogate" in message
    if builder == "text":
        assert "**\ufffd**" in (build.outdir / "1-book/1-page.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("builder", ["text", "latex", "bookstack"])
def test_a_lone_surrogate_audience_in_front_matter_builds(
    project: FuzzProject, builder: str
) -> None:
    """Found by test_fuzz_front_matter: ``audience: "\\ud800"`` on a page on no path
    reached the path overview (text, LaTeX) and the BookStack tags, and the build
    stopped with UnicodeEncodeError.  The layout refuses the front matter with a
    warning; what MyST still passes on is written with U+FFFD."""
    build = project.build(
        {
            MYST_PAGE: f'---\naudience: ["a", "\\udfff"]\n---\n# Page\n\n{SENTINEL}\n',
            RST_PAGE: f"Rst page\n========\n\n{SENTINEL}\n",
        },
        builder,
    )
    assert build.problems() == []
    assert [(where, kind) for where, kind, _ in located(project, build)] == [
        ("1-book/1-page.md:2", "mosaic.front-matter")
    ]
