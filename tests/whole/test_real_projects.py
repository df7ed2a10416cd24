"""Real projects nobody here wrote, built with ``-b bookstack``: the docs their sdists ship.

Each project's source distribution is downloaded from PyPI (pinned, so the
test sees the same sources every run; cached between runs: ``real_projects``),
its docs are built as html (in alongside mode) and as bookstack with its own
``conf.py``, and :func:`helpers.project_check.check` asserts what a reader of the
imported books expects: every ZIP keeps BookStack's import rules and passes
BookStack's content filter unchanged, no image is broken, no link leads to its
own page (``href="#"``) or to a ``#fragment`` its page lacks, no URL is
relative; every html page made from a document is in exactly one BookStack
page (or named in the one warning listing the documents left out on purpose);
every image an html page shows is in its BookStack page; and the alongside
output is ``-b bookstack``'s, byte for byte.  The extensions those
``conf.py`` files load are in our ``test`` extra.

The two larger ones: pytest (glob images, crossref types made with
``app.add_crossref_type``, and an ``:orphan:`` ``contents.rst`` holding the
full table of contents beside the landing page) and Flask (orphan pages left
out on purpose, sphinx-tabs, images in ``_static``).

Not here: sphinx-design and MyST-Parser ship no docs in their sdists (their
flit sdists hold the package only); sphinx-copybutton's docs need myst-nb and
IPython (a Jupyter kernel); Furo's own docs stop Sphinx itself with current
MyST-Parser (``furo.sphinxext``: "Expected separator line containing only
'+++'"), with any builder.

Marked ``network``: without PyPI the test is skipped on a developer's machine
and fails in CI.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.pdf import skip_or_fail
from helpers.project_check import check
from helpers.real_projects import PROJECTS, Unavailable, sdist_docs


@pytest.mark.slow
@pytest.mark.network
@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_a_real_project_becomes_books(name: str, tmp_path: Path) -> None:
    try:
        docs = sdist_docs(PROJECTS[name])
    except Unavailable as error:
        skip_or_fail(str(error))
    result = check(docs, tmp_path)
    for builder, (status, stderr) in result.builds.items():
        assert status == 0, f"{builder}: {stderr[-2000:]}"
        assert "Traceback (most recent call last)" not in stderr
        assert "Exception occurred" not in stderr
    assert result.books, "no book"
    assert {name: found for name, found in result.problems.items() if found} == {}
    assert result.html_pages, "no html page"
    assert result.missing == [] and result.twice == []
    assert result.images_lost == {}
    assert result.alongside_differs == []
    assert result.ok
