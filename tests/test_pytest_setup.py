"""The suite itself: random order by default (pytest-randomly) and `--count N` to repeat a test
(pytest-repeat), both installed by `make install` from the dev dependencies."""

import importlib.util
import re
import tomllib
from pathlib import Path

PYPROJECT = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())


def _dev_requirements() -> dict[str, str]:
    requirements = {}
    for line in PYPROJECT["project"]["optional-dependencies"]["dev"]:
        name, spec = re.match(r"([A-Za-z0-9_.\-]+)(.*)", line).groups()
        requirements[name.lower()] = spec
    return requirements


def test_random_order_and_repeat_are_dev_dependencies():
    dev = _dev_requirements()
    assert dev["pytest-randomly"] == ">=3.15,<5"
    assert dev["pytest-repeat"] == ">=0.9,<1"
    assert importlib.util.find_spec("pytest_randomly")
    assert importlib.util.find_spec("pytest_repeat")


def test_random_order_is_not_switched_off_by_default():
    addopts = PYPROJECT["tool"]["pytest"]["ini_options"].get("addopts", "")
    assert "randomly" not in addopts
