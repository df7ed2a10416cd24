"""The status vocabulary, the roll-up rule and the Git history parser, without Sphinx."""

from __future__ import annotations

import io
from datetime import date

import pytest

from sphinx_mosaic.status.history import GitHistory, parse_stream
from sphinx_mosaic.status.rollup import Rollup, rollup
from sphinx_mosaic.status.vocabulary import DEFAULT_KINDS, Vocabulary, build_vocabulary

VOCABULARY = Vocabulary()


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("complete", "complete"),
        ("Complete", "complete"),
        ("COMPLETE ", "complete"),
        ("🟢", "complete"),
        ("🟢 Complete", "complete"),
        ("done", "complete"),
        ("published", "complete"),
        ("draft", "partial"),
        ("partial", "partial"),
        ("🟡 Partial", "partial"),
        ("Planned", "planned"),
        ("🔵", "planned"),
        ("not-started", "not-started"),
        ("not started", "not-started"),
        ("not_started", "not-started"),
        ("Not Started", "not-started"),
        ("⚪", "not-started"),
        ("⚪\ufe0f", "not-started"),
        ("⚪ Not started", "not-started"),
        ("finished", None),
        ("🟢 Partial", None),
        ("", None),
        ('["complete"]', None),
    ],
)
def test_spellings(written: str, key: str | None) -> None:
    assert VOCABULARY.resolve(written) == key


def test_vocabulary_extends_and_overrides_defaults() -> None:
    vocabulary = build_vocabulary(
        {
            "In Review": {"label": "In review", "colour": "purple", "emoji": "🟣", "weight": 0.8},
            "partial": {"label": "Work in progress", "colour": "#aa5500"},
            "planned": None,
        }
    )
    assert [kind.key for kind in vocabulary] == ["complete", "partial", "not-started", "in-review"]
    assert vocabulary.resolve("in_review") == "in-review"
    assert vocabulary.resolve("🟣") == "in-review"
    assert vocabulary.resolve("work in progress") == "partial"
    assert vocabulary.resolve("planned") is None
    assert vocabulary["partial"].hex_colour == "#aa5500"
    assert vocabulary["partial"].weight == 0.5  # untouched fields keep the default


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"complete": None}, "cannot be removed"),
        ({"x": {"colour": "plaid"}}, "colour 'plaid'"),
        ({"x": {"weight": 2}}, "from 0 to 1"),
        ({"x": {"shape": "star"}}, "shape 'star'"),
        ({"x": {"icon": "star"}}, "unknown fields ['icon']"),
        ({"x": "green"}, "must map to a dict"),
    ],
)
def test_vocabulary_errors_say_how_to_fix(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        build_vocabulary(overrides)


def test_default_vocabulary_is_the_shelf_readme_legend() -> None:
    assert [(k.emoji, k.label) for k in DEFAULT_KINDS] == [
        ("🟢", "Complete"),
        ("🟡", "Partial"),
        ("🔵", "Planned"),
        ("⚪", "Not started"),
    ]


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], Rollup(None, 0, 0, 0)),
        (["complete", "complete"], Rollup("complete", 2, 2, 100)),
        (["planned", "planned"], Rollup("planned", 0, 2, 0)),
        (["not-started", "not-started"], Rollup("not-started", 0, 2, 0)),
        (["planned", "not-started"], Rollup("not-started", 0, 2, 0)),
        (["planned", None], Rollup("not-started", 0, 2, 0)),
        ([None, None], Rollup("not-started", 0, 2, 0)),
        (["complete", "partial"], Rollup("partial", 1, 2, 75)),
        (["complete", "planned", "not-started"], Rollup("partial", 1, 3, 33)),
        (["partial", "partial"], Rollup("partial", 0, 2, 50)),
        (["complete", None], Rollup("partial", 1, 2, 50)),
    ],
)
def test_rollup_rule(statuses: list[str | None], expected: Rollup) -> None:
    assert rollup(statuses, VOCABULARY) == expected


def test_rollup_set_by_hand_wins() -> None:
    result = rollup(["not-started", "not-started"], VOCABULARY, explicit="complete")
    assert result == Rollup("complete", 0, 2, 0, by_hand=True)


def test_rollup_uses_custom_weights() -> None:
    vocabulary = build_vocabulary({"in-review": {"weight": 0.8}, "archived": {"weight": 1}})
    assert rollup(["in-review", "in-review"], vocabulary).status == "in-review"
    assert rollup(["in-review", "planned"], vocabulary) == Rollup("partial", 0, 2, 40)
    assert rollup(["archived", "complete"], vocabulary) == Rollup("complete", 2, 2, 100)


LOG = (
    "\x1e1700000000 aaa bbb\0\ndocs/a.md\0docs/sub/b.md\0"
    "\x1e1600000000 ccc\0\ndocs/a.md\0other/x.md\0docs/c.md\0"
    "\x1e1500000000 \0\ndocs/a.md\0docs/d.md\0"
)


def parse_log(log: str, prefix: str, shallow: bool) -> GitHistory:
    history, stopped = parse_stream(io.BytesIO(log.encode()), prefix, shallow)
    assert not stopped
    return history


def test_parse_log_takes_the_newest_commit_per_file() -> None:
    history = parse_log(LOG, "docs/", shallow=False)
    assert history.dates == {
        "a.md": date(2023, 11, 14),
        "sub/b.md": date(2023, 11, 14),
        "c.md": date(2020, 9, 13),
        "d.md": date(2017, 7, 14),
    }
    assert not history.cut


def test_parse_log_drops_dates_cut_by_a_shallow_clone() -> None:
    history = parse_log(LOG, "docs/", shallow=True)
    # the last commit has no parents in a shallow clone: it is the cut
    assert "d.md" not in history.dates
    assert history.cut == {"d.md"}
    assert history.dates["a.md"] == date(2023, 11, 14)


class Trickle(io.BytesIO):
    """``git log``'s pipe, a few bytes at a time: records arrive split across reads."""

    def __init__(self, data: bytes, size: int) -> None:
        super().__init__(data)
        self.size = size
        self.reads = 0

    def read1(self, size: int = -1) -> bytes:
        self.reads += 1
        return super().read1(self.size)


def test_parse_stream_joins_records_split_across_reads() -> None:
    stream = Trickle(LOG.encode(), size=7)
    history, stopped = parse_stream(stream, "docs/", shallow=False)
    assert not stopped
    assert history.dates == parse_log(LOG, "docs/", shallow=False).dates


def test_parse_stream_stops_once_every_wanted_file_is_dated() -> None:
    stream = Trickle(LOG.encode(), size=7)
    history, stopped = parse_stream(stream, "docs/", shallow=False, wanted={"a.md", "sub/b.md"})
    assert stopped
    assert history.dates == {"a.md": date(2023, 11, 14), "sub/b.md": date(2023, 11, 14)}
    assert stream.tell() < len(LOG.encode())  # the older commits were never read
