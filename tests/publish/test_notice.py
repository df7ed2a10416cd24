"""The optional page notice: "this page is generated from Git: edit <source URL>"."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.fake_bookstack.fixtures import run_publish, small_shelf, write_output
from helpers.fake_bookstack.server import FakeBookStack

from sphinx_mosaic.publish.errors import SettingsError

TEMPLATE = (
    '<p class="callout info">This page is generated from Git: '
    '<a href="https://git.example/docs/-/edit/main/{source}">edit {source}</a></p>'
)


@pytest.mark.parametrize("use_import", [True, False], ids=["imports-api", "page-by-page"])
def test_every_page_gets_the_notice_and_a_rerun_writes_nothing(
    tmp_path: Path, use_import: bool
) -> None:
    out = write_output(small_shelf(), tmp_path)
    with FakeBookStack() as server:
        report, _ = run_publish(server, out, use_import=use_import, page_notice=TEMPLATE)
        assert report.ok, report.result.errors
        pages = server.tagged("pages", "mosaic-project", "Demo")
        assert len(pages) == 5
        for page in pages:
            source = next(t["value"] for t in page["tags"] if t["name"] == "mosaic-source")
            link = f'<a href="https://git.example/docs/-/edit/main/{source}">edit {source}</a>'
            assert page["html"].startswith('<p class="callout info">This page is generated')
            assert link in page["html"]
        server.reset_counts()
        again, _ = run_publish(server, out, use_import=use_import, page_notice=TEMPLATE)
        assert again.ok and server.writes == 0
        # A new template rewrites every page once; no template takes the notice away.
        changed, _ = run_publish(server, out, use_import=use_import, page_notice="<p>{name}</p>")
        assert changed.ok and server.counts["PUT"] == 5
        assert all(p["html"].startswith(f"<p>{p['name']}</p>") for p in server.live("pages"))
        server.reset_counts()
        run_publish(server, out, use_import=use_import)
        assert server.counts["PUT"] == 5
        assert not any("generated" in p["html"] for p in server.live("pages"))


def test_the_notice_values_are_escaped(tmp_path: Path) -> None:
    spec = small_shelf()
    spec.page("reference/glossary").name = 'Terms <&> "quotes"'
    out = write_output(spec, tmp_path)
    with FakeBookStack() as server:
        assert run_publish(server, out, page_notice="<p>{name}</p>", use_import=False)[0].ok
        [page] = [p for p in server.live("pages") if p["name"].startswith("Terms")]
    assert page["html"].startswith("<p>Terms &lt;&amp;&gt; &quot;quotes&quot;</p>")


@pytest.mark.parametrize(
    ("template", "message"),
    [("<p>{src}</p>", "uses {src}; it may use {source}"), ("<p>{source</p>", "not valid")],
)
def test_a_bad_template_is_refused_before_anything_is_sent(
    tmp_path: Path, template: str, message: str
) -> None:
    out = write_output(small_shelf(), tmp_path)
    with FakeBookStack() as server:
        with pytest.raises(SettingsError, match=message):
            run_publish(server, out, page_notice=template)
        assert server.log == []
