"""environment.yml (conda) and pyproject.toml (pip) must install the same runtime dependencies."""

from __future__ import annotations

import re
import tomllib

import yaml
from paths import REPO

_NAME = re.compile(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(.*)$")


def _split(spec: str) -> tuple[str, str]:
    m = _NAME.match(spec)
    assert m, spec
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def _pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_runtime_dependencies_agree() -> None:
    py = dict(_split(d) for d in _pyproject()["project"]["dependencies"])
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    specs = [d for d in env["dependencies"] if isinstance(d, str)]
    conda = dict(_split(d) for d in specs if not d.startswith(("python", "pip")))
    assert conda == py


def test_python_versions_agree() -> None:
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    specs = [d for d in env["dependencies"] if isinstance(d, str)]
    conda_python = next(d for d in specs if d.startswith("python"))
    assert conda_python.replace("python", "") == _pyproject()["project"]["requires-python"]


def test_conda_env_installs_the_package_with_test_extras() -> None:
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert any(line.startswith("-e") and "[test]" in line for line in pip_section)
