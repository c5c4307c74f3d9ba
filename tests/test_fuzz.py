"""Fuzz suite (issue 15): every sample export and tenant.yaml, damaged many ways, through the
CLI in-process.

For each case the promise of the README holds: ``inspect`` exits 0 and reads the same users as
the intact file, or exits 2 with one line that names the damaged file; never a traceback, never
a hang (each case has a time limit, a guard rather than a timing goal).

The damage (``tests/fuzzing.py``): truncation mid-line; dropped, duplicated and renamed
columns; dropped and duplicated lines; junk and inserted bytes; other encodings; values of the
wrong JSON type; deep nesting; huge fields. Byte damage never touches a UPN: a changed UPN is
another valid export, which no reader could tell from the real one.

Default: about 300 cases (20 per file); ``pytest --fuzz`` runs ten times as many, and
``--fuzz-seed N`` others. A case is reproduced from its id alone (``users.csv-truncate-0-12``).
"""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from fuzzing import case_names, case_timeout, mutate, protected_spans
from paths import TENANTS

from playbook.cli import main
from playbook.errors import EXIT_BAD_INPUT, EXIT_OK
from playbook.messages import text
from playbook.runs.language import tenant_language
from playbook.tenant import load_tenant

CASES_PER_FILE = 20
CASE_SECONDS = 5
"""A guard against hangs (the 2 cores are shared), not a timing goal: cases take well under
a second; one that runs into this limit hangs or reads a damaged file for ever."""


def _samples() -> list[tuple[str, str, str]]:
    """(tenant, file in the tenant folder, source path relative to the tenant) for every
    sample export and tenant.yaml; after/ exports are fuzzed in the users/subscriptions slot."""
    out = []
    for folder in sorted(p for p in TENANTS.iterdir() if p.is_dir()):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                rel = path.relative_to(folder).as_posix()
                out.append((folder.name, path.name, rel))
    return out


SAMPLES = _samples()

def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "case" not in metafunc.fixturenames:
        return
    config = metafunc.config
    count = CASES_PER_FILE * (10 if config.getoption("--fuzz") else 1)
    seed = config.getoption("--fuzz-seed")
    params = []
    for tenant, _name, rel in SAMPLES:
        for name in case_names(seed, count):
            params.append(pytest.param((tenant, rel, name), id=f"{tenant}/{rel}-{name}"))
    metafunc.parametrize("case", params)


def _layout(tenant: str, rel: str) -> dict[str, Path]:
    """The files of a tenant folder in which ``rel`` is read: the tenant's own, with an
    after/ export standing in for its users.* or subscriptions.*."""
    folder = TENANTS / tenant
    files = {p.name: p for p in folder.iterdir() if p.is_file()}
    if rel.startswith("after/"):
        stem = Path(rel).name.split(".")[0]
        files = {k: v for k, v in files.items() if not k.startswith(stem + ".")}
        files[Path(rel).name] = folder / rel
    return files


@cache
def _intact_users(tenant: str, rel: str, tmp: Path) -> frozenset[str]:
    folder = tmp / "intact"
    for name, src in _layout(tenant, rel).items():
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, folder / name)
    users = frozenset(load_tenant(folder).licenses["upn"])
    shutil.rmtree(folder)
    return users


def test_damaged_input_is_read_the_same_or_refused_in_one_line(case, tmp_path_factory):
    tenant, rel, name = case
    base = tmp_path_factory.getbasetemp()
    intact = _intact_users(tenant, rel, base / f"intact-{tenant}-{rel.replace('/', '_')}")
    folder = tmp_path_factory.mktemp("case")
    damaged_name = Path(rel).name
    for file_name, src in _layout(tenant, rel).items():
        data = src.read_bytes()
        if file_name == damaged_name:
            data = mutate(data, name, protected_spans(data, sorted(intact)))
        (folder / file_name).write_bytes(data)

    with case_timeout(CASE_SECONDS):
        result = CliRunner().invoke(main, ["inspect", "--json", str(folder)])
        users = (frozenset(load_tenant(folder).licenses["upn"])
                 if result.exit_code == EXIT_OK else None)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback: {result.exception!r}") from result.exception
    assert result.exit_code in (EXIT_OK, EXIT_BAD_INPUT), result.output
    if result.exit_code == EXIT_OK:
        assert users == intact, f"read other users: {sorted(users ^ intact)[:5]}"
        return
    lines = result.stderr.strip().splitlines()
    said = text("error.error", tenant_language(folder))  # fejl in Danish, when tenant.yaml says
    assert len(lines) == 1 and lines[0].startswith(f"{said}: "), result.stderr[:500]
    assert damaged_name in lines[0], lines[0]
    assert result.stdout == ""
