"""The architecture's rules, as docs/4-development/1-architecture.md states them.

The publisher runs without Sphinx and reads the builder only through
``bookstack/format/``; no import circle appears; the BookStack output reads the
layout only through its model; only ``envdata.py`` touches what is kept on the
environment; only ``chrome.py`` spells the classes components mark their nodes
with; every module says what it is for; importing a module declares no option,
``setup`` declares them all, and code reads them only through ``option_value``.
Each is checked on the source (``ast``)
or in a fresh interpreter, never on the modules this test process has already
imported.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
#: What the publisher and BookStack's format rules must never load.
HEAVY = ("sphinx", "docutils", "PIL", "resvg_py")
#: Import circles allowed (strongly connected sets of modules): none are left, so any
#: circle that appears fails test_no_new_import_circle.
KNOWN_CIRCLES: list[set[str]] = []


def _loaded_after(statement: str) -> set[str]:
    """The top-level packages loaded by running *statement* in a fresh interpreter."""
    probe = (
        f"import sys\n{statement}\n"
        "print(' '.join(sorted({name.split('.')[0] for name in sys.modules})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=SRC
    )
    return set(done.stdout.split())


def test_the_publisher_imports_no_sphinx_docutils_or_pillow() -> None:
    formats = sorted(p.stem for p in (SRC / "sphinx_mosaic/bookstack/format").glob("[!_]*.py"))
    loaded = _loaded_after(
        "import sphinx_mosaic.publish.publisher, sphinx_mosaic.publish.cli\n"
        + "".join(f"import sphinx_mosaic.bookstack.format.{name}\n" for name in formats)
    )
    assert "sphinx_mosaic" in loaded
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_publish_help_starts_without_sphinx() -> None:
    loaded = _loaded_after(
        "from sphinx_mosaic.cli import main\n"
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['publish', '--help'])"
    )
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def _modules() -> dict[str, Path]:
    found = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _registration(tree: ast.Module) -> set[ast.AST]:
    """The import statements inside a package's ``setup*`` functions: a component's
    registration with Sphinx (they run once Sphinx calls setup), not a dependency."""
    return {
        node
        for function in tree.body
        if isinstance(function, ast.FunctionDef) and function.name.startswith("setup")
        for node in ast.walk(function)
        if isinstance(node, (ast.Import, ast.ImportFrom))
    }


def _absolute(name: str, path: Path, node: ast.ImportFrom) -> str:
    """The module an ``from ... import`` statement of module *name* reads, relative ones
    (``from .x import y``) made absolute, so they cannot hide a dependency."""
    if not node.level:
        return node.module or ""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    package = package[: len(package) - (node.level - 1)]
    return ".".join([*package, node.module] if node.module else package)


def _imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the modules of ours it imports, at the top or inside a function."""
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = _registration(tree) if path.name == "__init__.py" else set()
        for node in ast.walk(tree):
            if node in skipped:
                continue
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                # "from package import module" depends on the module; "from module
                # import name" on the module the name lives in.
                base = _absolute(name, path, node)
                for alias in node.names:
                    submodule = f"{base}.{alias.name}"
                    targets.add(submodule if submodule in modules else base)
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def _circles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected sets of two or more modules (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    result: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            members = set()
            while True:
                member = stack.pop()
                members.add(member)
                if member == node:
                    break
            if len(members) > 1:
                result.append(members)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return result


def test_no_new_import_circle() -> None:
    circles = _circles(_imports(_modules()))
    for circle in circles:
        assert any(circle <= known for known in KNOWN_CIRCLES), sorted(circle)
    # A circle that is gone leaves the list, so it cannot come back unnoticed.
    for known in KNOWN_CIRCLES:
        assert known in circles, f"no longer a circle, remove it: {sorted(known)}"


def test_relative_imports_count_as_dependencies() -> None:
    tree = ast.parse("from . import b\nfrom .c import d\nfrom ..e import f\n")
    found = [
        _absolute("pkg.sub.a", Path("a.py"), node)
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
    ]
    assert found == ["pkg.sub", "pkg.sub.c", "pkg.e"]
    (init,) = ast.parse("from .c import d\n").body
    assert isinstance(init, ast.ImportFrom)
    assert _absolute("pkg.sub", Path("__init__.py"), init) == "pkg.sub.c"


def test_the_circle_finder_finds_a_circle() -> None:
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]


def test_the_publisher_reads_the_builder_only_through_its_format() -> None:
    graph = _imports(_modules())
    for name, imported in graph.items():
        if (
            name.startswith("sphinx_mosaic.publish.")
            and name != "sphinx_mosaic.publish.after_build"
        ):
            builder = {m for m in imported if m.startswith("sphinx_mosaic.bookstack")}
            assert all(m.startswith("sphinx_mosaic.bookstack.format") for m in builder), (
                name,
                sorted(builder),
            )


def test_every_module_says_what_it_is_for() -> None:
    # The architecture page is made from these (docs/_ext/mosaic_docs.py, mosaic-modules).
    sys.path.insert(0, str(SRC.parent / "docs" / "_ext"))
    try:
        from mosaic_docs import module_summaries
    finally:
        sys.path.pop(0)
    summaries = dict(module_summaries(SRC / "sphinx_mosaic"))
    assert len(summaries) == len(_modules())
    assert [name for name, summary in summaries.items() if not summary] == []
    assert summaries["bookstack/format/"].startswith("What BookStack takes and keeps")


def test_the_bookstack_output_reads_the_layout_only_through_its_model() -> None:
    """The BookStack output maps the layout's model (``layout``, ``layout.model``, reached
    on the environment through ``envdata``), never the layout's Sphinx wiring."""
    allowed = {"sphinx_mosaic.layout", "sphinx_mosaic.layout.model"}
    readers: dict[str, set[str]] = {}
    for name, imported in _imports(_modules()).items():
        if name.startswith("sphinx_mosaic.bookstack"):
            other = {m for m in imported if m.startswith("sphinx_mosaic.layout")} - allowed
            if other:
                readers[name] = other
    assert readers == {}


def test_only_envdata_touches_what_we_keep_on_the_environment() -> None:
    """Every ``mosaic_*`` value on the build environment has its accessor in envdata.py,
    so its list there (which ``ENV_VERSION`` depends on) is complete."""
    touches = re.compile(
        r'env\.mosaic_\w+\s*=|env\.__dict__|(?:get|has|set)attr\([\w.]*env, *"mosaic_'
    )
    found = [
        f"{path.relative_to(SRC)}:{number}"
        for path in sorted(SRC.rglob("*.py"))
        if path.name != "envdata.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if touches.search(line)
    ]
    assert found == []


def test_outputs_know_no_component_strings() -> None:
    """What components add around a page (status line, path boxes, footer, extra-folder
    entries) is named once, in chrome.py: no output module spells those classes."""
    spelled = re.compile(r'"mosaic-(?:status-line|path-nav|page-footer|contents-extra)')
    found = [
        str(path.relative_to(SRC))
        for path in sorted(SRC.rglob("*.py"))
        if path.name != "chrome.py" and spelled.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


#: Imports every module of ours, then sets up two Sphinx apps with the extension (one
#: process makes many, as the tests do), reporting the registry after each step.
_OPTIONS_PROBE = """
import importlib, json, sys
from sphinx.application import Sphinx
from sphinx_mosaic.config import all_options

for name in sys.argv[2:]:
    importlib.import_module(name)
report = {"after_imports": [option.key for option in all_options()], "apps": []}
for run in ("one", "two"):
    app = Sphinx(
        sys.argv[1], None, f"{sys.argv[1]}/_build/{run}", f"{sys.argv[1]}/_doctrees/{run}",
        "html", confoverrides={"extensions": ["sphinx_mosaic"]}, status=None, warning=None,
    )
    report["apps"].append({
        "declared": [option.key for option in all_options()],
        "in_config": sorted(key for key in app.config.values if key.startswith("mosaic_")),
    })
print(json.dumps(report))
"""


def _options_written() -> list[str]:
    """The key of every ``Option(...)`` written in the source, read with ``ast``."""
    return sorted(
        f"mosaic_{node.args[0].value}"
        for path in SRC.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "Option"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    )


@pytest.fixture(scope="module")
def options_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    project = tmp_path_factory.mktemp("options")
    (project / "index.rst").write_text("Options\n=======\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", _OPTIONS_PROBE, str(project), *sorted(_modules())],
        capture_output=True,
        text=True,
        check=True,
        cwd=SRC,
    )
    report: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def test_importing_a_module_declares_no_option(options_report: dict[str, object]) -> None:
    """Options are declared from each component's ``setup_*``, not as an import's side
    effect: importing every module of ours leaves the registry empty."""
    assert options_report["after_imports"] == []


def test_setup_declares_every_option_once_however_many_apps(
    options_report: dict[str, object],
) -> None:
    written = _options_written()
    assert len(written) == len(set(written)) > 30
    apps = options_report["apps"]
    assert isinstance(apps, list) and len(apps) == 2
    for app in apps:
        # all_options() is sorted by key: the docs' options table lists them in that order.
        assert app["declared"] == written
        assert app["in_config"] == written


def _reads_config_option(node: ast.AST) -> bool:
    """Whether *node* reads a ``mosaic_*`` option off a config by name:
    ``app.config.mosaic_gc_freeze`` or ``getattr(config, "mosaic_gc_freeze")``."""

    def is_config(value: ast.AST) -> bool:
        return (isinstance(value, ast.Name) and value.id == "config") or (
            isinstance(value, ast.Attribute) and value.attr == "config"
        )

    if isinstance(node, ast.Attribute):
        return node.attr.startswith("mosaic_") and is_config(node.value)
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("getattr", "setattr")
        and len(node.args) >= 2
        and is_config(node.args[0])
        and isinstance(node.args[1], ast.Constant)
        and str(node.args[1].value).startswith("mosaic_")
    )


def test_options_are_read_through_option_value_only() -> None:
    """Code reads an option with ``config.option_value(config, OPTION)``, typed by the
    option, never as ``config.mosaic_*`` (an ``Any`` to mypy, where a misspelt name
    fails only at run time); config.py, which registers and validates them, is the
    exception."""
    found = [
        f"{path.relative_to(SRC)}:{node.lineno}"
        for path in sorted(SRC.rglob("*.py"))
        if path != SRC / "sphinx_mosaic/config.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if _reads_config_option(node)
    ]
    assert found == []
