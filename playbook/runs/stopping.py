"""Stopping cleanly: the app's temporary working copy and its server end with the command.

``e4-playbook app`` writes a working copy of the notebooks to a temporary folder and serves it
with Voila in a child process. Python removes a ``TemporaryDirectory`` on a normal exit and on
Ctrl+C, but SIGTERM (a service manager, ``kill``, a closed terminal session's supervisor) ends
the process at once: the folder stayed behind, and the Voila child kept serving it. Here a stop
signal (SIGTERM or SIGINT) is turned into an orderly end: the server is asked to stop and
waited for, then the folder is removed. Only SIGKILL, which no process can catch, leaves them.
"""

from __future__ import annotations

import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
"""What ends the app: ``kill`` (SIGTERM) and Ctrl+C (SIGINT)."""

STOP_TIMEOUT = 20.0
"""Seconds a stopped server gets to shut its kernels down before it is killed."""

Handler = Callable[[int, FrameType | None], Any]


@contextmanager
def _handling(handler: Handler) -> Iterator[None]:
    """``handler`` for :data:`STOP_SIGNALS` inside the block, the previous ones restored after.

    Only the main thread may set handlers; elsewhere (a caller's worker thread) the block runs
    with the process's own, as before.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, handler) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, old in previous.items():
            signal.signal(s, old)


def _exit_on_stop(signum: int, _frame: FrameType | None) -> None:
    """A stop signal ends the command like an error would: blocks unwind, folders go."""
    raise SystemExit(128 + signum)


@contextmanager
def temporary_folder(prefix: str) -> Iterator[Path]:
    """A new folder that is removed when the block ends: normally, by an error, or by SIGTERM
    or SIGINT (which end the command with exit code 128 + the signal's number)."""
    with _handling(_exit_on_stop), tempfile.TemporaryDirectory(prefix=prefix) as work:
        yield Path(work)


def call_until_stopped(command: Sequence[str], *, cwd: Path | None = None,
                       timeout: float = STOP_TIMEOUT) -> int:
    """Run ``command`` (in ``cwd``) until it ends; its exit code.

    A stop signal to this process is passed on to the child as SIGTERM (Voila then stops its
    kernels; Ctrl+C in a terminal has already sent it SIGINT, and a second SIGINT could cut
    its shutdown short), and the child is waited for, so a folder it serves is removed only
    once it has stopped. A child still running when this returns (an error here) is stopped,
    then killed after ``timeout`` seconds: no server outlives the command.
    """
    child = subprocess.Popen(list(command), cwd=cwd)

    def forward(_signum: int, _frame: FrameType | None) -> None:
        child.terminate()

    try:
        with _handling(forward):
            return child.wait()
    finally:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
