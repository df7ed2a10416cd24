"""Every builder we support builds a small numbered project without warnings."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.builders import ALL_BUILDERS
from sphinx.testing.util import SphinxTestApp

BUILDERS = ALL_BUILDERS


@pytest.mark.parametrize("buildername", BUILDERS)
def test_builds_without_warnings(
    make_app: Callable[..., SphinxTestApp], rootdir: Path, tmp_path: Path, buildername: str
) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-layout-basic", srcdir)
    app = make_app(buildername, srcdir=srcdir)
    app.build()
    assert app.statuscode == 0
    assert app.warning.getvalue() == ""
    assert any(Path(app.outdir).iterdir())


@pytest.mark.sphinx("html", testroot="layout-basic")
def test_setup_metadata(app: SphinxTestApp) -> None:
    import sphinx_mosaic

    extension = app.extensions["sphinx_mosaic"]
    assert extension.version == sphinx_mosaic.__version__
    assert extension.parallel_read_safe is True
    assert extension.parallel_write_safe is True
    assert app.registry.get_envversion(app)["sphinx_mosaic"] == sphinx_mosaic.ENV_VERSION


@pytest.mark.sphinx("html", testroot="layout-basic")
def test_loads_beside_furo_copybutton_and_design(make_app, app_params) -> None:  # type: ignore[no-untyped-def]
    args, kwargs = app_params
    kwargs["confoverrides"] = {
        "extensions": ["myst_parser", "sphinx_mosaic", "sphinx_copybutton", "sphinx_design"],
        "html_theme": "furo",
    }
    app = make_app(*args, **kwargs)
    app.build()
    assert app.statuscode == 0
    assert app.warning.getvalue() == ""
