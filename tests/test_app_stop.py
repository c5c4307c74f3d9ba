"""``e4-playbook app`` leaves nothing behind when it is stopped: its temporary working copy of
the notebooks is removed and its Voila server ends, on SIGTERM and SIGINT as on a normal exit
(issue 17's rough edge: SIGTERM left the folder, and the server, behind).

Every process here is started by the test in its own session, bounded by a timeout, and its
whole group killed in a ``finally`` when anything is left.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from paths import REPO, TENANTS

from playbook.runs.stopping import call_until_stopped, temporary_folder

APP_START_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=3).close()
    except urllib.error.HTTPError:
        return True  # an answer all the same
    except OSError:
        return False
    return True


def _start(cmd: list[str], tmp_path: Path) -> subprocess.Popen:
    """``cmd`` in its own session (so a failed test can end its whole group), its temporary
    files under ``tmp_path/tmp``, its output in ``tmp_path/log.txt``."""
    (tmp_path / "tmp").mkdir()
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp"),
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    log = (tmp_path / "log.txt").open("w", encoding="utf-8")
    try:
        return subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    finally:
        log.close()


def _end_group(proc: subprocess.Popen) -> None:
    """Kill what is left of the group the test started (nothing, when the test passed)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)


def _copies(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "tmp").glob("e4-playbook-app-*"))


def _wait_for(check, timeout: float, proc: subprocess.Popen, tmp_path: Path) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        log = (tmp_path / "log.txt").read_text(encoding="utf-8", errors="replace")
        assert proc.poll() is None, f"exited early ({proc.returncode}):\n{log}"
        assert time.monotonic() < deadline, f"not ready in {timeout:.0f} s:\n{log}"
        time.sleep(0.3)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_app_removes_its_working_copy_and_stops_its_server_when_stopped(tmp_path, stop):
    tenant = shutil.copytree(TENANTS / "contoso-direct", tmp_path / "contoso-direct")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    proc = _start([sys.executable, "-m", "playbook", "app", str(tenant), "--voila=--no-browser",
                   f"--voila=--port={port}", "--voila=--Voila.port_retries=0"], tmp_path)
    try:
        _wait_for(lambda: _copies(tmp_path) and _answers(url), APP_START_TIMEOUT, proc, tmp_path)
        copy = tmp_path / "tmp" / _copies(tmp_path)[0]
        assert (copy / "00-app.ipynb").is_file()  # the working copy the server serves

        proc.send_signal(stop)  # to the command only, as `kill` does
        proc.wait(STOP_TIMEOUT)

        assert not copy.exists() and _copies(tmp_path) == []
        assert not _answers(url)  # the server went with it
    finally:
        _end_group(proc)


SCRIPT = textwrap.dedent("""
    import sys
    from playbook.runs.stopping import call_until_stopped, temporary_folder
    with temporary_folder("e4-playbook-app-") as folder:
        (folder / "marker").write_text("x")
        code = call_until_stopped([sys.executable, "-c", sys.argv[1]])
    print("returned", code, flush=True)
""")


def test_a_stopped_command_stops_its_child_before_removing_the_folder(tmp_path):
    # the child says its pid, then outlives any test unless it is stopped
    child = "import os, time; print(os.getpid(), flush=True); time.sleep(600)"
    proc = _start([sys.executable, "-c", SCRIPT, child], tmp_path)
    try:
        _wait_for(lambda: len((tmp_path / "log.txt").read_text().split()) >= 1
                  and _copies(tmp_path), 60, proc, tmp_path)
        child_pid = int((tmp_path / "log.txt").read_text().split()[0])
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(STOP_TIMEOUT) == 0
        lines = (tmp_path / "log.txt").read_text().split("\n")
        assert lines[1] == f"returned {-signal.SIGTERM}"  # the child was stopped by SIGTERM
        assert _copies(tmp_path) == []
        with pytest.raises(ProcessLookupError):
            os.kill(child_pid, 0)
    finally:
        _end_group(proc)


def test_the_folder_goes_on_a_normal_exit_with_the_childs_exit_code():
    with temporary_folder("e4-playbook-app-") as folder:
        (folder / "plan.json").write_text("{}", encoding="utf-8")
        code = call_until_stopped([sys.executable, "-c", "raise SystemExit(3)"])
    assert code == 3 and not folder.exists()


def test_a_stop_before_the_server_starts_ends_the_command_and_removes_the_folder():
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(SystemExit) as stopped, temporary_folder("e4-playbook-app-") as folder:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(10)  # the handler ends this at once
    assert stopped.value.code == 128 + signal.SIGTERM
    assert not folder.exists()
    assert signal.getsignal(signal.SIGTERM) is before  # the process's own handler is back
