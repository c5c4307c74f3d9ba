"""The installed wheel works outside a clone: ``demo`` and ``run`` from an empty folder.

An admin installs the playbook with ``pipx install`` (or pip) and never sees the repository, so
the wheel must carry the notebooks and sample tenants (``setup.py`` copies them in at build
time) and every command must find them there.

How the fresh environment is made, and why: a venv *without* the system site-packages, into
which the wheel is installed with ``--no-deps``; the dependencies come from the running test
venv through a ``.pth`` line naming its site-packages. Installing pandas, JupyterLab, Voila
... from the index for every test run would take minutes and need the network; the ``.pth``
gives the same libraries while ``playbook`` itself can only come from the wheel (a ``.pth``
path line does not run the test venv's own ``.pth`` files, so its editable install of the
checkout stays invisible; the test checks where ``playbook`` is imported from). Building
the wheel uses pip's normal isolated build (setuptools from pip's cache after the first time).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from paths import REPO, TENANTS

pytestmark = pytest.mark.notebook

_SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "playbook", "notebooks",
            "data/tenants")
_IGNORE = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "bundled", "*.egg-info")


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 300
         ) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A fresh venv with the wheel installed; returns its bin folder and the env to run in."""
    root = tmp_path_factory.mktemp("wheel")
    src = root / "src"
    for name in _SOURCES:  # build from a copy: nothing is written into the checkout
        item = REPO / name
        if item.is_dir():
            shutil.copytree(item, src / name, ignore=_IGNORE)
        else:
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(item, src / name)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(root / "dist"),
          str(src)], root, env)
    (wheel,) = (root / "dist").glob("e4_playbook-*.whl")

    venv = root / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], root, env)
    python = venv / "bin" / "python"
    purelib = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                         "['purelib'])"], root, env).stdout.strip())
    (purelib / "_e4_test_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
          str(wheel)], root, env)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return venv / "bin", env


def test_the_package_comes_from_the_wheel_with_its_files(installed, tmp_path):
    bin_dir, env = installed
    out = _run([str(bin_dir / "python"), "-c",
                "import playbook, playbook.shipped as s; print(playbook.__file__); "
                "print(s.notebooks_dir()); print(s.sample_tenants_dir())"], tmp_path, env).stdout
    package, notebooks, tenants = (Path(line) for line in out.split())
    venv = bin_dir.parent
    assert venv in package.parents and REPO not in package.parents
    assert notebooks == package.parent / "bundled" / "notebooks"
    assert sorted(p.name for p in notebooks.glob("*.ipynb")) == sorted(
        p.name for p in (REPO / "notebooks").glob("*.ipynb"))
    assert sorted(p.name for p in tenants.iterdir()) == sorted(
        p.name for p in TENANTS.iterdir() if p.is_dir())


def test_demo_runs_from_an_empty_folder(installed, tmp_path):
    bin_dir, env = installed
    done = _run([str(bin_dir / "e4-playbook"), "demo", "--out", "scratch", "--workers", "2"],
                tmp_path, env, timeout=600)
    text = done.stdout
    assert ("Demo: copied 4 sample tenants (adatum-legacy, contoso-direct, fabrikam-invoice, "
            "northwind-partner)") in text
    assert "Ran 4 of 4 tenants" in text and "0 did not complete" in text
    assert (tmp_path / "scratch" / "runs" / "summary.html").is_file()
    assert "not found" not in done.stderr


def test_run_of_a_sample_tenant_from_an_empty_folder(installed, tmp_path):
    bin_dir, env = installed
    shutil.copytree(TENANTS / "contoso-direct", tmp_path / "contoso-direct")
    done = _run([str(bin_dir / "e4-playbook"), "run", "contoso-direct", "--out", "runs"],
                tmp_path, env, timeout=600)
    (run_dir,) = (tmp_path / "runs" / "contoso-direct").iterdir()
    record = json.loads((run_dir / "result.json").read_text(encoding="utf-8"))
    assert record["status"] == "ok", done.stdout
    assert [n["status"] for n in record["notebooks"]] == ["ok"] * 4
    assert (run_dir / "plan" / "plan.csv").is_file()
    assert "contoso-direct" in done.stdout


def test_lab_writes_a_working_copy_pointed_at_the_tenant(installed, tmp_path):
    bin_dir, env = installed
    shutil.copytree(TENANTS / "northwind-partner", tmp_path / "mine")
    done = _run([str(bin_dir / "e4-playbook"), "lab", "mine", "--no-start"], tmp_path, env)
    copy = tmp_path / "e4-playbook-mine"
    assert f"Notebooks for mine in {copy}" in done.stdout
    nb = json.loads((copy / "01-eligibility.ipynb").read_text(encoding="utf-8"))
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert str(tmp_path / "mine") in "".join(injected[0]["source"])
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
