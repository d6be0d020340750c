"""What the `ifgen` process does around a command: user messages and library warnings on stderr with secrets
scrubbed, tracebacks redacted, SIGTERM unwinding like Ctrl-C."""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from types import TracebackType

from ..redact import redact


def say(message: str) -> None:
    """One line for the user on stderr, secrets scrubbed (an error may quote what a server sent back)."""
    print(redact(message), file=sys.stderr)


def redacted_excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    sys.stderr.write(redact("".join(traceback.format_exception(kind, value, tb))))


class StderrHandler(logging.Handler):
    """Warnings to whatever sys.stderr is when they are emitted (as logging's last-resort handler does)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(redact(self.format(record)) + "\n")
        except Exception:  # noqa: BLE001 - logging must never break a run
            self.handleError(record)


def log_to_stderr() -> None:
    """Warnings of every library on stderr, one line each, prefixed like ifgen's own messages (once)."""
    root = logging.getLogger()
    if not any(isinstance(h, StderrHandler) for h in root.handlers):
        handler = StderrHandler(logging.WARNING)
        handler.setFormatter(logging.Formatter("ifgen: %(message)s"))
        root.addHandler(handler)


class Terminated(KeyboardInterrupt):
    """SIGTERM, where SIGINT has no handler to hand it to (a process started with SIGINT ignored)."""


signals: list[str] = []  # what stopped the current command: ["SIGTERM"] when SIGTERM did


def on_sigterm(signum: int, frame: object) -> None:
    signals.append("SIGTERM")
    if signal.getsignal(signal.SIGINT) in (signal.SIG_IGN, signal.SIG_DFL, None):
        raise Terminated
    signal.raise_signal(signal.SIGINT)  # whoever handles Ctrl-C now (asyncio's runner cancels its main task)


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """While a command runs, SIGTERM stops it the way SIGINT does, by delivering SIGINT: inside asyncio the
    runner cancels its main task (executors close, batches in flight are dropped), elsewhere KeyboardInterrupt
    unwinds every `finally` (the state DB commits nothing half-done); it ends with the "rerun to resume" line."""
    signals.clear()
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
