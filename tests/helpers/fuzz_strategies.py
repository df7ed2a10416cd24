"""Hypothesis strategies for hostile input to our directives, roles and front matter.

Values mix what people really write by mistake (YAML's special spellings,
dates that are not dates, lists where a word was meant) with what nobody
writes on purpose (control characters, right-to-left overrides, huge values,
markup of the other syntax).  Pages come in MyST and reStructuredText; every
page carries the sentinel paragraph right under its title, so a test can tell
whether its content reached the output.
"""

from __future__ import annotations

import datetime

import yaml
from hypothesis import strategies as st

from helpers.fuzz_project import SENTINEL

#: Spellings with a meaning to YAML, Markdown, reST, HTML, LaTeX or our own grammar.
SPECIAL_VALUES = [
    "",
    " ",
    "\t",
    "null",
    "~",
    "None",
    "[1, 2]",
    "[a, b]",
    "[]",
    "{a: b}",
    "{}",
    "yes",
    "no",
    "on",
    "off",
    "true",
    "False",
    "0",
    "08",
    "0o17",
    "0x1F",
    "1e3",
    "-1",
    "3.14",
    ".nan",
    "-.inf",
    "2024-05-01",
    "2024-02-30",
    "2024-05-01T10:00:00Z",
    "1999-12-31 23:59:59",
    "0001-01-01",
    "9999-12-31",
    "not-a-date",
    "complete",
    "Partial",
    "🟢",
    "🟡 Partial",
    "⚪",
    "not_started",
    "planned: later",
    "Label <book/other>",
    "book/other -- a note",
    "book",
    "1-book",
    "/book/other",
    "../../..",
    "/",
    "#",
    "book/other#anchor",
    "new-users, developers",
    '["a", "b"]',
    "'quoted'",
    '"double"',
    "a: b",
    "- item",
    "&anchor",
    "*alias",
    "!!python/object/apply:os.system ['true']",
    "!!binary aGk=",
    "|",
    ">",
    "%",
    "%s %d %(x)s",
    "{0}",
    "@",
    "`",
    "``code``",
    "*emphasis",
    "{status}`complete`",
    ":status:`partial`",
    "<script>alert(1)</script>",
    "&amp; &lt;",
    "\\",
    "\\section{x}",
    "$x^2$",
    "}{",
    "\u202eevil",
    "\u200b",
    "\x0c",
    "\x1b[31m",
    "ß",
    "İ",
    "日本語",
    "🚀" * 40,
    "x" * 5000,
]

#: Unquoted values YAML turns into something Python refuses or nobody meant:
#: impossible dates, integers past Python's digit limit, deep nesting, tags,
#: escapes of lone surrogates, self-containing lists.
YAML_TRAPS = [
    "2024-02-30",
    "2024-13-01",
    "0000-01-01",
    "2024-01-01T25:00:00Z",
    "2024-1-1",
    "1" * 5000,
    "-" + "9" * 4400,
    # Not "0x" + "f" * 5000: MyST crashes printing it (ValueError, Python's digit
    # limit; test_myst_crashes_on_a_hex_integer_too_long_to_print).
    "0x" + "f" * 50,
    "1_000",
    "190:20:30",
    "[" * 1200,
    "{" * 1200,
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    "!!timestamp 2024-99-99",
    "!!int abc",
    "!!float abc",
    "!!binary !!",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!!python/tuple [1]",
    "!!str 5",
    "=",
    "&a [*a]",
    "&a {x: *a}",
    "*nowhere",
    ".NaN",
    "-.inf",
    '"\\ud800"',
    '"\\udfff text"',
    '"\\U0010ffff"',
    '"\\x00"',
    '"\\x85 next line"',
    '"\\u2028"',
    "'it''s'",
    '"a\\tb"',
    "[a, [b, [c]]]",
    "{a: [1, {b: 2}]}",
    "{[a]: b}",
]

#: Explicit tags PyYAML cannot construct, failing with errors other than YAMLError.
#: Only for the parser tests: MyST crashes on them in a build
#: (test_myst_crashes_on_a_tagged_value_pyyaml_cannot_read).
PYYAML_TAG_TRAPS = ["!!timestamp abc", "!!bool x", "!!int _", "!!float _", '!!int ""']

#: Text without line breaks: most values land on one line of a directive or field.
SINGLE_LINE_TEXT = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\n\r\x85\u2028\u2029"),
    max_size=40,
)

VALUES = st.one_of(
    st.sampled_from(SPECIAL_VALUES),
    SINGLE_LINE_TEXT,
    st.builds(lambda a, b: f"{a} {b}", st.sampled_from(SPECIAL_VALUES), SINGLE_LINE_TEXT),
)

#: Any text, line breaks included (directive bodies, values that spill over lines).
MULTI_LINE_TEXT = st.one_of(
    VALUES,
    st.lists(VALUES, max_size=6).map("\n".join),
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=80),
)

FRONT_MATTER_KEYS = [
    "title",
    "status",
    "status_badge",
    "page_footer",
    "last_updated",
    "audience",
    "description",
]

YAML_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=datetime.date(1, 1, 1)),
    st.datetimes(),
    VALUES,
)

YAML_VALUES = st.recursive(
    YAML_SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(["x", "a", "status", "1"]), children, max_size=3),
    ),
    max_leaves=8,
)

#: Front matter that YAML rejects, or that is not a mapping.
MALFORMED_FRONT_MATTER = [
    "title: [unclosed\n",
    "status: {a: \n",
    "a: b: c\n",
    "status: complete\n  bad: indent\n",
    "\tstatus: tab\n",
    "- a list\n- not a mapping\n",
    "just a string\n",
    "42\n",
    "status: complete\nstatus: partial\n",
    "? complex key\n: value\n",
    "title: &a [*a]\n",
    "title: *undefined\n",
    "title: 'unterminated\n",
    "title: !!python/name:os.system\n",
    "%YAML 9.9\n---\ntitle: x\n",
    "title: x\n---\nsecond: document\n",
    "\x00: nul\n",
    ": no key\n",
]


@st.composite
def yaml_front_matter(draw: st.DrawFn) -> str:
    """A front matter block (without the ``---`` fences): dumped, raw or malformed."""
    kind = draw(st.sampled_from(["dumped", "raw", "malformed"]))
    keys = st.sampled_from([*FRONT_MATTER_KEYS, "unknown_key"])
    if kind == "dumped":
        data = draw(st.dictionaries(keys, YAML_VALUES, max_size=5))
        flow = draw(st.sampled_from([False, True, None]))
        return yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow)
    if kind == "raw":
        # Values written as they come, unquoted: YAML decides what they mean.
        values = st.one_of(st.sampled_from(YAML_TRAPS), VALUES)
        lines = draw(st.lists(st.tuples(keys, values), max_size=5))
        return "".join(f"{key}: {value}\n" for key, value in lines)
    return draw(st.sampled_from(MALFORMED_FRONT_MATTER))


@st.composite
def myst_front_matter(draw: st.DrawFn, *, closed: bool = False) -> str:
    """Front matter with its fences: closed, closed by ``...``, unclosed, or none.

    *closed*: when the page goes on with YAML option blocks, whose ``---`` would
    close an unclosed front matter and rightly swallow the page (with a warning).
    """
    block = draw(yaml_front_matter())
    closings = ["---\n", "---\n", "---\n", "---"]
    if not closed:
        closings += ["...\n", ""]
    closing = draw(st.sampled_from(closings))
    if draw(st.booleans()) and not block:
        return ""
    return f"---\n{block}{closing}" + ("\n" if closing == "---" else "")


@st.composite
def rst_fields(draw: st.DrawFn) -> str:
    """A field list at the top of a reST page (its docinfo)."""
    keys = st.sampled_from([*FRONT_MATTER_KEYS, "unknown_key"])
    lines = draw(st.lists(st.tuples(keys, VALUES), max_size=5))
    return "".join(f":{key}: {value}\n" for key, value in lines) + ("\n" if lines else "")


def heading_text() -> st.SearchStrategy[str]:
    """A page title: one line, possibly hostile, possibly empty."""
    return st.one_of(st.just("Fuzzed page"), VALUES)


# -- directives and roles -----------------------------------------------------

#: Our directives: name -> (takes an argument, has content, real options).
DIRECTIVES: dict[str, tuple[bool, bool, list[str]]] = {
    "mosaic-contents": (True, False, ["descriptions", "class"]),
    "status-table": (False, False, ["book", "class"]),
    "path": (True, True, ["title", "description", "audience", "class"]),
    "path-overview": (False, False, ["audience", "no-pages", "class"]),
}

#: Step lines as the path grammar knows them, and as people get them wrong.
STEP_LINES = st.one_of(
    st.sampled_from(
        [
            "book/other",
            "/book/other",
            "1-book/2-other",
            "2-other.md",
            "../README",
            "book",
            "Label <book/other>",
            "Label <>",
            "<book/other>",
            "book/other -- a note",
            " -- only a note",
            "planned: Later",
            "Later (to be added)",
            "planned:",
            "1. book/page",
            "- ",
            "book/other#section",
            "#",
            "../../../../etc/passwd",
        ]
    ),
    VALUES,
)


ROLE_TARGETS = st.one_of(VALUES, STEP_LINES)

#: The longest Markdown link target the fuzz tests write (bytes per file name: 255).
MYST_LINK_LIMIT = 60


@st.composite
def directive_call(draw: st.DrawFn) -> tuple[str, str | None, list[tuple[str, str]], list[str]]:
    """(name, argument, options, content lines) for one of our directives."""
    name = draw(st.sampled_from(sorted(DIRECTIVES)))
    takes_argument, has_content, options = DIRECTIVES[name]
    argument = draw(st.one_of(st.none(), ROLE_TARGETS)) if takes_argument else None
    if name == "path" and argument is None:
        argument = draw(st.sampled_from(["fuzz-readers", "other-path", "🚀", "a b"]))
    option_names = st.sampled_from([*options, "unknown-option"])
    # YAML traps too: in MyST's YAML option block they are read as YAML.
    values = st.one_of(VALUES, st.sampled_from(YAML_TRAPS))
    chosen = draw(st.lists(st.tuples(option_names, values), max_size=4))
    # Content where none is allowed now and then: docutils refuses it, with a location.
    stray = draw(st.integers(min_value=0, max_value=5)) == 0
    content = draw(st.lists(STEP_LINES, max_size=6)) if has_content or stray else []
    return name, argument, chosen, content


def myst_directive(
    call: tuple[str, str | None, list[tuple[str, str]], list[str]], form: str
) -> str:
    """A directive in MyST: options as ``:key: value`` lines or as a YAML block."""
    name, argument, options, content = call
    head = f"```{{{name}}}" + (f" {argument}" if argument is not None else "")
    lines = [head]
    if form == "yaml" and options:
        lines += ["---", *(f"{key}: {value}" for key, value in options), "---"]
    else:
        lines += [f":{key}: {value}" for key, value in options]
    if content:
        lines += ["", *content]
    lines.append("```")
    return "\n".join(lines) + "\n"


def rst_directive(call: tuple[str, str | None, list[tuple[str, str]], list[str]]) -> str:
    name, argument, options, content = call
    lines = [f".. {name}::" + (f" {argument}" if argument is not None else "")]
    lines += [f"   :{key}: {value}" for key, value in options]
    if content:
        lines += ["", *(f"   {line}" for line in content)]
    return "\n".join(lines) + "\n"


@st.composite
def myst_roles(draw: st.DrawFn) -> str:
    """A paragraph of our roles and number-free links, with hostile targets."""
    parts = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(["status", "path:ref", "doc", "link", "link-anchor"]))
        target = draw(ROLE_TARGETS)
        if kind in ("link", "link-anchor"):
            # MyST stats a link target as a file path and crashes on one longer than
            # the system allows (test_myst_crashes_on_a_very_long_link_target).
            target = target[:MYST_LINK_LIMIT]
        if kind == "link":
            parts.append(f"[a link]({target})")
        elif kind == "link-anchor":
            parts.append(f"[a link](<{target}>)")
        else:
            parts.append(f"{{{kind}}}`{target}`")
    return "Roles: " + " and ".join(parts) + ".\n"


@st.composite
def rst_roles(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(["status", "path:ref", "doc", "link"]))
        target = draw(ROLE_TARGETS)
        if kind == "link":
            parts.append(f"`a link <{target}>`_")
        else:
            parts.append(f":{kind}:`{target}`")
    return "Roles: " + " and ".join(parts) + ".\n"


def myst_block() -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(myst_directive, directive_call(), st.sampled_from(["colon", "yaml"])),
        myst_roles(),
        # reST inside MyST: locations are counted from the eval-rst block.
        st.builds(lambda call: "```{eval-rst}\n" + rst_directive(call) + "```\n", directive_call()),
    )


def rst_block() -> st.SearchStrategy[str]:
    return st.one_of(st.builds(rst_directive, directive_call()), rst_roles())


#: Where a directive or role may sit besides the top level of a page.
WRAPPERS = st.sampled_from(["note", "only html", "only latex", "list", "quote"])


def myst_wrapped(wrapper: str, block: str) -> str:
    if wrapper == "list":
        return "- " + block.replace("\n", "\n  ") + "\n"
    if wrapper == "quote":
        return "> " + block.replace("\n", "\n> ") + "\n"
    name, _, argument = wrapper.partition(" ")
    return f"`````{{{name}}} {argument}\n{block}`````\n"


def rst_wrapped(wrapper: str, block: str) -> str:
    indented = block.replace("\n", "\n   ")
    if wrapper == "list":
        return f"- {block.replace(chr(10), chr(10) + '  ')}\n"
    if wrapper == "quote":
        return f"Quoted:\n\n   {indented}\n"
    name, _, argument = wrapper.partition(" ")
    return f".. {name}:: {argument}\n\n   {indented}\n"


def rst_title(text: str) -> str:
    # An underline long enough for wide characters (docutils counts columns).
    return f"{text}\n{'=' * (2 * len(text) + 4)}\n"


@st.composite
def myst_page(draw: st.DrawFn, *, front_matter: bool, body: bool) -> str:
    """A MyST page: front matter, title, sentinel, then directives and roles."""
    parts = [draw(myst_front_matter(closed=body)) if front_matter else ""]
    parts.append(f"# {draw(heading_text())}\n\n{SENTINEL}\n\n")
    if body:
        blocks = draw(
            st.lists(
                st.one_of(myst_block(), st.builds(myst_wrapped, WRAPPERS, myst_block())),
                min_size=1,
                max_size=4,
            )
        )
        parts.append("\n".join(blocks))
    return "".join(parts)


@st.composite
def rst_page(draw: st.DrawFn, *, front_matter: bool, body: bool) -> str:
    """A reST page: top field list, title, sentinel, then directives and roles."""
    parts = [draw(rst_fields()) if front_matter else ""]
    parts.append(f"{rst_title(draw(heading_text()))}\n{SENTINEL}\n\n")
    if body:
        blocks = draw(
            st.lists(
                st.one_of(rst_block(), st.builds(rst_wrapped, WRAPPERS, rst_block())), max_size=4
            )
        )
        parts.append("\n".join(blocks))
    return "".join(parts)
