"""Fixtures for the browser tests: headless Chromium, one JupyterLab and one Voila per session.

Everything started here is stopped in teardown, also when a test fails. Servers listen on
127.0.0.1 on a port the test picks, with throwaway Jupyter folders under pytest's tmp_path, and
serve a scratch copy of the repo (notebooks + sample tenants) so running cells never touches the
committed notebooks.

Without a Chromium the tests skip with a reason saying how to enable them; on CI (``CI`` set),
where ``.ci/run`` installs Debian's chromium, a missing browser fails instead: a UI suite that
silently skips there would prove nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import ui_harness as h

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of the system Chromium; skip (or fail on CI) with how to get one."""
    path = h.find_chromium()
    if path is None:
        if _on_ci():
            pytest.fail("CI must run the browser tests but " + h.SKIP_REASON)
        pytest.skip(h.SKIP_REASON)
    return path


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[Any]:
    """One headless Chromium for the session, driven by Playwright (never a downloaded one)."""
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="the playwright package is missing: pip install -e '.[test]'")
    pw = sync_api.sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=chromium, headless=True,
                                     args=list(h.CHROMIUM_FLAGS))
        try:
            yield browser
        finally:
            browser.close()
    finally:
        pw.stop()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page (own context: no cookies or storage shared between tests).

    Uncaught JavaScript errors are collected in ``page.js_errors`` for failure messages.
    """
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    context.set_default_timeout(60_000)
    pg = context.new_page()
    pg.js_errors = []
    pg.on("pageerror", lambda exc: pg.js_errors.append(str(exc)))
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture(scope="session")
def scratch_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of notebooks/ and data/tenants/ that the servers serve and the tests may change."""
    return h.make_scratch_repo(REPO, tmp_path_factory.mktemp("repo"))


def _server(kind: str, cmd_for_port: Any, tmp: Path, cwd: Path, ready_path: str) -> h.Server:
    port = h.free_port()
    env = h.jupyter_env(tmp / "jupyter")
    try:
        return h.start_server(kind, cmd_for_port(port), env=env, cwd=cwd, port=port,
                              ready_path=ready_path, log_path=tmp / f"{kind}.log")
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def lab(chromium: str, scratch_repo: Path,
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[h.Server]:
    """One JupyterLab for every notebook test (starting Lab costs more than running a step)."""
    tmp = tmp_path_factory.mktemp("lab")
    server = _server("jupyterlab", lambda port: h.lab_command(port, scratch_repo), tmp,
                     scratch_repo, "/api/status")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def _lab_kernels_end_with_the_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """Close the kernels a Lab test started: the next test's page then looks the same every
    run (Lab shows the count of running kernels) and idle kernels do not pile up."""
    yield
    if "lab" in request.fixturenames:
        request.getfixturevalue("lab").shutdown_kernels()


@pytest.fixture(scope="session")
def voila(chromium: str, scratch_repo: Path,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[h.Server]:
    """The app (Voila) serving the scratch notebooks/ folder, started as ``make app`` does."""
    tmp = tmp_path_factory.mktemp("voila")
    notebooks = scratch_repo / "notebooks"
    server = _server("voila", lambda port: h.app_command(port, notebooks), tmp, notebooks,
                     "/")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where the README's screenshots are written (the tests produce them, never a person)."""
    return SCREENSHOTS
