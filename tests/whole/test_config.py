"""The option registry (config.py): declaring is idempotent, a clash is refused, and
:func:`option_value` reads an option's value.

Every Sphinx app runs each component's ``setup_*``, which declares its options, and
one process makes many apps (the tests do): the same option declared again must
change nothing, while another option under a name already taken is a mistake.
"""

from __future__ import annotations

import pytest
from sphinx.config import Config

from sphinx_mosaic import config
from sphinx_mosaic.config import Option, all_options, declare, explicitly_set, option_value


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


ZETA = Option("zeta", 1, "Set in conf.py.", types=(int,))
ALPHA = Option("alpha", "a", "Set with -D.", types=(str,))
BETA = Option("beta", True, "Left at its default.", types=(bool,))


@pytest.fixture
def sphinx_config() -> Config:
    """A Sphinx ``Config`` with the three options added, as ``setup_config`` adds them."""
    sphinx_config = Config({"mosaic_zeta": 5}, {"mosaic_alpha": "x"})
    for option in (ZETA, ALPHA, BETA):
        sphinx_config.add(option.key, option.default, option.rebuild, option.types)
    return sphinx_config


def test_option_value_is_the_configured_value_else_the_default(sphinx_config: Config) -> None:
    assert option_value(sphinx_config, ZETA) == 5
    assert option_value(sphinx_config, ALPHA) == "x"
    assert option_value(sphinx_config, BETA) is True


def test_explicitly_set_takes_the_option(sphinx_config: Config) -> None:
    assert explicitly_set(sphinx_config, ZETA)
    assert explicitly_set(sphinx_config, ALPHA)
    assert not explicitly_set(sphinx_config, BETA)
