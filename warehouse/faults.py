"""Fault injection for the fault suite: ``SHOPQL_FAULT=<point>`` kills the process (SIGKILL, as
``kill -9`` would) when it reaches that point, so tests can stop a sync exactly between two steps.

Points: ``before_commit`` (a file's rows written, its transaction not committed), ``in_commit``
(the kill is sent while the file's COMMIT runs), ``after_commit`` (files committed, OneID not
rebuilt), ``in_one_id`` (OneID computed, its transaction not committed).
"""

from __future__ import annotations

import os
import signal
import threading


def fault_point(name: str) -> None:
    """Die here, like kill -9, when SHOPQL_FAULT names this point."""
    if os.environ.get("SHOPQL_FAULT") == name:
        _kill()


def fault_soon(name: str) -> None:
    """When SHOPQL_FAULT names this point, die from another thread while the caller goes on
    (the statement the caller runs next is interrupted by the kill, wherever it is)."""
    if os.environ.get("SHOPQL_FAULT") == name:
        threading.Thread(target=_kill, daemon=True).start()


def _kill() -> None:
    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
