"""The examples in the package's docstrings run and show what they say (doctest)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import unspin

# Every module but the command-line entry point (importing it runs the command).
MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(unspin.__path__, "unspin.")
    if not m.name.endswith(".__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
