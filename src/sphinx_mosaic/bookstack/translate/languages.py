"""Code-block languages: Pygments names mapped onto the names BookStack's viewer knows.

BookStack highlights ``<pre><code class="language-X">`` with CodeMirror and
knows a fixed list of names (``resources/js/code/languages.js``).  A Pygments
alias that is not on the list is mapped to the nearest one; anything else gets
no language class and is shown as plain text.
"""

from __future__ import annotations

from typing import Any

from pygments.filters import ErrorToken
from pygments.lexers import guess_lexer
from pygments.util import ClassNotFound
from sphinx.highlighting import PygmentsBridge

#: Every name BookStack's code viewer accepts.
BOOKSTACK_LANGUAGES = frozenset(
    [
        "bash",
        "c",
        "css",
        "c++",
        "c#",
        "clj",
        "clojure",
        "csharp",
        "dart",
        "diff",
        "for",
        "fortran",
        "f#",
        "fsharp",
        "go",
        "haskell",
        "hs",
        "html",
        "ini",
        "java",
        "javascript",
        "json",
        "js",
        "jl",
        "julia",
        "kotlin",
        "latex",
        "lua",
        "markdown",
        "matlab",
        "md",
        "mdown",
        "ml",
        "mssql",
        "mysql",
        "nginx",
        "octave",
        "pas",
        "pascal",
        "perl",
        "pgsql",
        "php",
        "pl",
        "pl/sql",
        "postgresql",
        "powershell",
        "properties",
        "ocaml",
        "py",
        "python",
        "r",
        "rb",
        "rs",
        "ruby",
        "rust",
        "sas",
        "scala",
        "scheme",
        "shell",
        "sh",
        "smarty",
        "stext",
        "swift",
        "toml",
        "ts",
        "twig",
        "typescript",
        "sql",
        "sqlite",
        "vbs",
        "vbscript",
        "vb.net",
        "vbnet",
        "xml",
        "yaml",
        "yml",
    ]
)

#: Pygments lexer names and aliases (lower case) that BookStack knows by another name.
PYGMENTS_ALIASES: dict[str, str] = {
    "python3": "python",
    "py3": "python",
    "pycon": "python",
    "ipython": "python",
    "ipython3": "python",
    "python2": "python",
    "pytb": "python",
    "py3tb": "python",
    "console": "bash",
    "shell-session": "bash",
    "sh-session": "bash",
    "shellsession": "bash",
    "zsh": "bash",
    "ksh": "bash",
    "fish": "shell",
    "env": "bash",
    "dotenv": "bash",
    "dockerfile": "bash",
    "docker": "bash",
    "make": "bash",
    "makefile": "bash",
    "bat": "powershell",
    "batch": "powershell",
    "ps1": "powershell",
    "pwsh": "powershell",
    "cpp": "c++",
    "cxx": "c++",
    "hpp": "c++",
    "cs": "csharp",
    "golang": "go",
    "jsx": "javascript",
    "node": "javascript",
    "nodejs": "javascript",
    "ecmascript": "javascript",
    "tsx": "typescript",
    "json5": "json",
    "jsonc": "json",
    "json-object": "json",
    "javascript+json": "json",
    "toml": "toml",
    "cfg": "ini",
    "dosini": "ini",
    "systemd": "ini",
    "editorconfig": "ini",
    "gitconfig": "ini",
    "xhtml": "html",
    "htm": "html",
    "jinja": "twig",
    "django": "twig",
    "html+jinja": "twig",
    "html+django": "twig",
    "svg": "xml",
    "xslt": "xml",
    "rst": "markdown",
    "restructuredtext": "markdown",
    "myst": "markdown",
    "gfm": "markdown",
    "tex": "latex",
    "postgres": "postgresql",
    "psql": "pgsql",
    "plpgsql": "pgsql",
    "tsql": "mssql",
    "t-sql": "mssql",
    "mariadb": "mysql",
    "kt": "kotlin",
    "rust": "rust",
    "patch": "diff",
    "udiff": "diff",
    "vb": "vb.net",
    "vba": "vbscript",
    "yaml+jinja": "yaml",
    "ocaml": "ocaml",
}

#: Names that mean "no language" in Sphinx and MyST.
PLAIN = frozenset({"", "default", "none", "text", "plain", "plaintext", "txt", "output"})


def bookstack_language(language: str | None) -> str | None:
    """The BookStack name for a Pygments *language*, or None for plain text."""
    if not language:
        return None
    name = language.strip().lower()
    if name in PLAIN:
        return None
    if name in BOOKSTACK_LANGUAGES:
        return name
    return PYGMENTS_ALIASES.get(name)


#: The names Sphinx's highlighter lexes as Python (as a console session when the
#: block starts with ``>>>``); ``default`` is ``highlight_language``'s default.
PYTHON_NAMES = frozenset({"py", "python", "py3", "python3", "default"})

#: Sphinx's own choice of lexer (with the lexers extensions add by ``app.add_lexer``);
#: its style plays no part in which lexer is used.
_BRIDGE = PygmentsBridge("html")


def highlighted_as(
    source: str,
    language: str,
    *,
    force: bool = False,
    options: dict[str, Any] | None = None,
) -> str:
    """The Pygments language Sphinx's HTML builder colours *source* in, for a
    literal block whose ``language`` is *language* (and ``force``).

    As ``PygmentsBridge.highlight_block`` does: ``default`` (a ``::`` block, a
    fence or ``code-block`` without a language, in a project that never sets
    ``highlight_language``) is Python, or a Python console session, when Pygments
    lexes it without an error token, else plain text; ``force`` keeps Python.  A
    language named outright stays, even where it does not lex (Sphinx warns and
    colours it in relaxed mode).  ``guess`` is what Pygments guesses.
    """
    if language in PYTHON_NAMES:
        python = "pycon" if source.startswith(">>>") else "python"
        if language == "default" and not force:
            lexer = _BRIDGE.get_lexer(source, language, options or {}, force=False)
            try:
                for _token in lexer.get_tokens(source):
                    pass
            except ErrorToken:
                return "none"
        return python
    if language == "pycon3":
        return "pycon"
    if language == "guess":
        try:
            aliases = guess_lexer(source, **(options or {})).aliases
        except ClassNotFound:
            return "none"
        return aliases[0] if aliases else "none"
    return language
