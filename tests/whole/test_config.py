"""The option registry (config.py): declaring is idempotent, a clash is refused.

Every Sphinx app runs each component's ``setup_*``, which declares its options, and
one process makes many apps (the tests do): the same option declared again must
change nothing, while another option under a name already taken is a mistake.
"""

from __future__ import annotations

import pytest

from sphinx_mosaic import config
from sphinx_mosaic.config import Option, all_options, declare


@pytest.fixture(autouse=True)
def empty_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """A registry of this test's own, so the process's real one is left as it was."""
    monkeypatch.setattr(config, "_REGISTRY", {})


def test_declaring_an_option_again_keeps_one() -> None:
    first = Option("zeta", 1, "Last by name.", types=(int,))
    second = Option("alpha", "a", "First by name.", types=(str,))
    declare(first, second)
    declare(first)
    declare(Option("zeta", 1, "Last by name.", types=(int,)))  # an equal one, as a new app
    assert all_options() == [second, first]


def test_another_option_under_a_declared_name_is_refused() -> None:
    declare(Option("zeta", 1, "Last by name.", types=(int,)))
    with pytest.raises(ValueError, match="mosaic_zeta declared twice"):
        declare(Option("zeta", 2, "Last by name.", types=(int,)))
    assert [option.default for option in all_options()] == [1]
