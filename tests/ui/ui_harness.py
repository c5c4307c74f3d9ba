"""The browser harness behind the UI tests: a throwaway JupyterLab or Voila, headless Chromium.

Admins meet the playbook in a browser, so these helpers drive a real one: the system Chromium
through Playwright (never a browser download), against servers started on 127.0.0.1 with
throwaway Jupyter config/data/runtime folders so nothing on the machine (a user's Lab settings,
extensions, kernels) changes what the tests see, and nothing the tests do leaks back.

Kept apart from ``conftest.py`` so the fixtures there stay a readable list of what is started
and stopped, and so these functions can be reused from a REPL when a UI test needs debugging.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM_ENV = "E4_PLAYBOOK_CHROMIUM"
"""Environment variable naming a Chromium/Chrome binary (wins over the ones found on PATH)."""

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome-stable", "google-chrome")
"""Binaries looked up on PATH, Debian's package name first (what .ci/run installs)."""

CHROMIUM_FLAGS = (
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)

SKIP_REASON = (
    "no Chromium found for the browser tests: install Debian's chromium package "
    f"(`apt-get install chromium`) or set {CHROMIUM_ENV}=/path/to/chromium"
)

SERVER_START_TIMEOUT = 90.0
"""Seconds a Lab/Voila server may take to answer (a cold start on 2 busy cores takes ~10 s)."""

ERROR_WORDS = ("Traceback", "Error", "Exception")
"""Words that turn a stderr output into a failure (plain warnings on stderr do not)."""


def find_chromium() -> str | None:
    """The Chromium binary to drive: ``$E4_PLAYBOOK_CHROMIUM``, else the first one on PATH."""
    explicit = os.environ.get(CHROMIUM_ENV, "").strip()
    if explicit:
        path = Path(explicit)
        return str(path) if path.is_file() and os.access(path, os.X_OK) else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it; the server binds it next)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ---------------------------------------------------------------------------------------------
# Scratch tenant repo and throwaway Jupyter environment


def make_scratch_repo(repo: Path, dest: Path) -> Path:
    """Copy what the notebooks read (notebooks/, data/tenants/) into ``dest``.

    Running cells in Lab saves outputs into the notebook files, so the tests work on a copy and
    the committed notebooks stay as they are. The package itself is imported from the repo
    (editable install), which is the code under test.
    """
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(repo / "notebooks", dest / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    tenants = repo / "data" / "tenants"
    if tenants.is_dir():
        shutil.copytree(tenants, dest / "data" / "tenants")
    return dest


def jupyter_env(home: Path) -> dict[str, str]:
    """Environment for a Jupyter server whose config, data, runtime and settings are all new.

    The ``python3`` kernelspec is written explicitly with this interpreter, so the kernel runs
    in the same virtualenv as the tests (and imports the playbook under test), whatever
    kernels the machine has. Lab's announcements, update checks and extension manager are
    switched off: they fetch from the internet, which a test must not depend on.
    """
    config, data, runtime = home / "config", home / "data", home / "runtime"
    settings, workspaces = home / "lab-settings", home / "lab-workspaces"
    for folder in (config, data, runtime, settings, workspaces):
        folder.mkdir(parents=True, exist_ok=True)

    kernel_dir = data / "kernels" / "python3"
    kernel_dir.mkdir(parents=True, exist_ok=True)
    (kernel_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }), encoding="utf-8")

    (config / "jupyter_server_config.json").write_text(json.dumps({
        "LabApp": {
            "news_url": None,
            "check_for_updates_class": "jupyterlab.handlers.announcements.NeverCheckForUpdate",
            "extension_manager": "readonly",
            "expose_app_in_browser": True,  # window.jupyterapp: run commands, not keystrokes
        },
        # a server orphaned by a killed test run stops by itself instead of living forever;
        # no XSRF check, so the harness can end kernels over REST (no token on 127.0.0.1 either)
        "ServerApp": {"shutdown_no_activity_timeout": 900, "disable_check_xsrf": True},
        "MappingKernelManager": {"cull_idle_timeout": 900, "cull_interval": 60},
    }), encoding="utf-8")

    # No notebook windowing: every cell stays in the DOM, so no error output can hide
    # off-screen; no news or update notifications over the page in screenshots.
    user_settings = {
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false", "checkForUpdates": False, "doNotDisturbMode": True},
        "@jupyterlab/apputils-extension/themes.jupyterlab-settings": {
            "theme": "JupyterLab Light"},
    }
    for rel, value in user_settings.items():
        path = settings / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value), encoding="utf-8")

    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_"))}
    env.update({
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_DATA_DIR": str(data),
        "JUPYTER_RUNTIME_DIR": str(runtime),
        "JUPYTER_PATH": str(data),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(workspaces),
        "JUPYTER_PLATFORM_DIRS": "1",
        "IPYTHONDIR": str(home / "ipython"),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYTHONUNBUFFERED": "1",
    })
    return env


# ---------------------------------------------------------------------------------------------
# Servers


@dataclass
class Server:
    """A server process we started, its base URL and its log (read when something goes wrong)."""

    name: str
    base_url: str
    process: subprocess.Popen
    log_path: Path
    _log: Any = field(default=None, repr=False)

    def log_tail(self, lines: int = 40) -> str:
        """The last lines the server printed, for failure messages."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def shutdown_kernels(self) -> None:
        """End the kernels of earlier tests, so each notebook starts alone on a fresh one."""
        _shutdown_kernels(self.base_url)

    def stop(self, timeout: float = 20.0) -> None:
        """Shut down kernels through the REST API, then the server; kill only if it hangs.

        Kernels are started in their own sessions by jupyter_client, so signalling the server's
        process group would not reach them; asking the server to shut them down does.
        """
        if self.process.poll() is None:
            with contextlib.suppress(RuntimeError):  # the server's shutdown ends what is left
                _shutdown_kernels(self.base_url)
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self._log is not None:
            self._log.close()
            self._log = None


def _shutdown_kernels(base_url: str) -> None:
    """End every session and kernel of a Jupyter server (Voila has no such API: no-op)."""
    for kind in ("sessions", "kernels"):
        try:
            with urllib.request.urlopen(f"{base_url}/api/{kind}", timeout=5) as resp:
                items = json.load(resp)
        except (OSError, ValueError):
            continue
        for item in items:
            req = urllib.request.Request(f"{base_url}/api/{kind}/{item['id']}",
                                         method="DELETE")
            try:
                urllib.request.urlopen(req, timeout=10).close()
            except urllib.error.HTTPError as exc:
                if exc.code != 404:  # already gone is fine; anything else would leak kernels
                    raise RuntimeError(f"could not end {kind[:-1]} {item['id']}: {exc}") from exc
            except OSError:
                pass


def start_server(name: str, cmd: Sequence[str], *, env: dict[str, str], cwd: Path, port: int,
                 ready_path: str, log_path: Path,
                 timeout: float = SERVER_START_TIMEOUT) -> Server:
    """Start a server and wait (bounded) until ``ready_path`` answers 200.

    Fails with the server's log when it exits early or does not answer in time, and never
    leaves the process running in that case.
    """
    log = log_path.open("w", encoding="utf-8")
    proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    server = Server(name, f"http://127.0.0.1:{port}", proc, log_path, log)
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            server.stop()
            raise RuntimeError(f"{name} exited with code {proc.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.base_url + ready_path, timeout=5) as resp:
                if resp.status == 200:
                    return server
        except (OSError, urllib.error.HTTPError):
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"{name} did not answer within {timeout:.0f} s:\n"
                               f"{server.log_tail()}")
        time.sleep(0.3)


def lab_command(port: int, root_dir: Path) -> list[str]:
    """JupyterLab on 127.0.0.1 with no token or password (nothing but the test can reach it)."""
    return [
        sys.executable, "-m", "jupyter", "lab", "--no-browser",
        "--IdentityProvider.token=", "--ServerApp.password=", "--ServerApp.allow_root=True",
        "--ServerApp.ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root_dir}", "--ServerApp.open_browser=False",
    ]


def app_command(port: int, notebooks: Path | str) -> list[str]:
    """The playbook app exactly as ``make app`` starts it (Voila plus the URL hook)."""
    return [sys.executable, "-m", "playbook.app", "--no-browser", f"--port={port}",
            "--Voila.port_retries=0", str(notebooks)]


# ---------------------------------------------------------------------------------------------
# What a page shows

DOM_PROBE = """
() => {
  const out = [];
  const seen = new Set();
  const add = (kind, el) => {
    if (seen.has(el)) return;
    seen.add(el);
    out.push({kind, text: (el.innerText || el.textContent || '').trim().slice(0, 2000)});
  };
  document.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]')
    .forEach(el => add('stderr', el));
  document.querySelectorAll('.jp-OutputArea-output.jp-mod-error, .voila-error, .widget-error')
    .forEach(el => add('error', el));
  return out;
}
"""

MODEL_PROBE = """
() => {
  // Lab only: the notebook model knows an 'error' output from a stderr stream, the DOM does not
  const app = window.jupyterapp;
  const panel = app && app.shell && app.shell.currentWidget;
  if (!panel || !panel.content || !panel.content.widgets) return [];
  const out = [];
  panel.content.widgets.forEach((cell, i) => {
    if (!cell.model || !cell.model.outputs) return;
    cell.model.outputs.toJSON().forEach(o => {
      if (o.output_type === 'error') {
        out.push({kind: 'error', text: `cell ${i + 1}: ${o.ename}: ${o.evalue}`
                  + (o.traceback || []).join('\\n').slice(0, 1500)});
      }
    });
  });
  return out;
}
"""

WIDGET_FAILURES = ("Error displaying widget", "Error rendering widget",
                   "Failed to load model class", "There was an error when executing cell")


def error_outputs(page: Any) -> list[str]:
    """Error outputs on the page: errors, tracebacks, one-line input errors, broken widgets.

    In Lab the notebook model is asked for ``error`` outputs (the DOM renders them like any
    stderr); on any page, a stderr output counts when it carries a traceback, an ``...Error``
    or an ``error: ...`` line (how the playbook shows bad input), so a library's harmless
    warning does not fail a test while every real error does. Widgets that could not render
    leave "Error displaying widget" in the page, caught as text.
    """
    found = [f"[{o['kind']}] {o['text']}" for o in page.evaluate(MODEL_PROBE)]
    for item in page.evaluate(DOM_PROBE):
        text = item["text"]
        if item["kind"] == "error" or _looks_like_error(text):
            found.append(f"[{item['kind']}] {text}")
    body = page.evaluate("() => document.body.innerText")
    found += [f"[page] {marker}" for marker in WIDGET_FAILURES if marker in body]
    return found


def _looks_like_error(text: str) -> bool:
    if any(word in text for word in ERROR_WORDS):
        return True
    return any(line.lstrip().lower().startswith("error:") for line in text.splitlines())


def visible_widget_count(page: Any) -> int:
    """How many rendered ipywidgets views are visible (0 means the widgets never drew)."""
    return int(page.evaluate(
        """() => [...document.querySelectorAll('.jupyter-widgets')]
              .filter(el => el.offsetParent !== null && el.getClientRects().length).length"""
    ))


def wait_for_text(page: Any, locator: Any, text: str, timeout_ms: int = 30_000) -> None:
    """Wait (bounded) until an element shows exactly ``text``, as widgets redraw asynchronously.

    Returns quietly on timeout: the caller's assertion on the element's text then reports the
    difference, which says more than a timeout would.
    """
    with contextlib.suppress(Exception):  # playwright's TimeoutError
        page.wait_for_function("([el, want]) => el.innerText.trim() === want",
                               arg=[locator.element_handle(timeout=timeout_ms), text.strip()],
                               timeout=timeout_ms)


def wait_for_link_query(page: Any, locator: Any, key: str, value: str,
                        timeout_ms: int = 30_000) -> None:
    """Wait (bounded) until every link inside ``locator`` has ``?key=value`` in its URL.

    A widget redraws its parts one message at a time: the verdict can show the new tenant
    while the links beside it still point at the old one. Returns quietly on timeout, like
    :func:`wait_for_text`, so the caller's assertion reports the difference.
    """
    with contextlib.suppress(Exception):  # playwright's TimeoutError
        page.wait_for_function(
            "([el, key, want]) => { const links = [...el.querySelectorAll('a')];"
            " return links.length > 0 && links.every(a =>"
            " new URL(a.getAttribute('href'), location.href).searchParams.get(key) === want); }",
            arg=[locator.element_handle(timeout=timeout_ms), key, value], timeout=timeout_ms)


# ---------------------------------------------------------------------------------------------
# JupyterLab


def open_in_lab(page: Any, base_url: str, rel_path: str, timeout_ms: int = 60_000) -> None:
    """Open a notebook in Lab, alone, and wait until its kernel is idle.

    A new workspace per call keeps Lab from restoring the tabs of an earlier test, so the
    notebook opened is the current one that commands act on.
    """
    workspace = f"t{uuid.uuid4().hex[:12]}"
    page.goto(f"{base_url}/lab/workspaces/{workspace}/tree/{rel_path}",
              wait_until="domcontentloaded")
    page.wait_for_function(
        """(path) => {
          const app = window.jupyterapp;
          const w = app && app.shell && app.shell.currentWidget;
          return !!(w && w.context && w.context.path === path);
        }""",
        arg=rel_path, timeout=timeout_ms,
    )
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=timeout_ms)
    wait_kernel_idle(page, timeout_ms)


_CURRENT_SESSION = """
() => {
  const w = window.jupyterapp.shell.currentWidget;
  const ctx = w && w.sessionContext;
  const kernel = ctx && ctx.session && ctx.session.kernel;
  return kernel ? kernel.status : null;
}
"""


def wait_kernel_idle(page: Any, timeout_ms: int = 60_000) -> None:
    """Wait until the current notebook's kernel reports idle."""
    page.wait_for_function(f"() => ({_CURRENT_SESSION})() === 'idle'", timeout=timeout_ms)


def run_all_cells(page: Any, timeout_ms: int = 120_000) -> None:
    """Run every cell of the current notebook through Lab's own command, and wait for it.

    ``notebook:run-all-cells`` resolves when the run is over (all cells ran, or one failed and
    Lab dropped the rest); a bounded race keeps a hung kernel from hanging the test. The check
    after it makes sure no cell is still queued (``[*]``).
    """
    page.evaluate(
        """(ms) => Promise.race([
             window.jupyterapp.commands.execute('notebook:run-all-cells'),
             new Promise((_, reject) => setTimeout(
               () => reject(new Error('run-all-cells still running after ' + ms + ' ms')), ms)),
           ])""",
        timeout_ms,
    )
    page.wait_for_function(
        """() => ![...document.querySelectorAll(
                 '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')]
               .some(p => p.textContent.includes('*'))""",
        timeout=timeout_ms,
    )
    wait_kernel_idle(page, timeout_ms)


def cells_not_run(page: Any) -> list[int]:
    """1-based positions of code cells (with code) that have no execution number after a run."""
    return list(page.evaluate(
        """() => {
          const cells = [...document.querySelectorAll(
            '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Notebook-cell')];
          const missing = [];
          cells.forEach((cell, i) => {
            if (!cell.classList.contains('jp-CodeCell')) return;
            const src = cell.querySelector('.jp-InputArea-editor');
            const prompt = cell.querySelector('.jp-InputArea-prompt');
            if (src && src.textContent.trim() && !/\\[\\d+\\]/.test(prompt.textContent)) {
              missing.push(i + 1);
            }
          });
          return missing;
        }"""
    ))


# ---------------------------------------------------------------------------------------------
# Voila

VOILA_RAN = """() => !document.getElementById('loading') && !document.querySelector(
    'script[type="application/vnd.voila.cell-output+json"]')"""

PAGE_SIZE = """() => [document.querySelectorAll('.jupyter-widgets, .jp-OutputArea-output').length,
                     document.body.innerText.length]"""


def wait_voila_drawn(page: Any, ready: str, timeout_ms: int = 120_000) -> None:
    """Wait until Voila ran every cell and drew the outputs, ``ready`` (a selector) among them.

    Voila streams the page while the kernel runs the cells (a spinner until the last one),
    then turns each cell's output script into outputs and widgets, the widgets only once their
    models came over the websocket: so wait for the spinner and scripts to go, for the one
    element the page is for, then for the page to stop growing.
    """
    page.wait_for_function(VOILA_RAN, timeout=timeout_ms)
    page.locator(ready).first.wait_for(state="visible", timeout=timeout_ms)
    deadline = time.monotonic() + timeout_ms / 1000
    last = page.evaluate(PAGE_SIZE)
    while time.monotonic() < deadline:
        page.wait_for_timeout(400)
        now = page.evaluate(PAGE_SIZE)
        if now == last:
            return
        last = now
    raise TimeoutError(f"the Voila page kept changing for {timeout_ms} ms")


SCREENSHOT_STYLE = ".jp-Statusbar-ProgressCircle { visibility: hidden !important; }"
"""Hidden in screenshots only: Lab's run-progress circle, redrawn with sub-pixel noise on
every run, would make every run rewrite the PNGs with no visible change."""


def save_screenshot(target: Any, path: Path) -> Path:
    """Save a PNG of a page or locator; rewrite the file only when its bytes changed.

    Unchanged screenshots then leave ``git status`` clean after a test run.
    """
    data = target.screenshot(animations="disabled", caret="hide", style=SCREENSHOT_STYLE)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)
    return path
