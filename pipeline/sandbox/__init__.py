"""Run untrusted (LLM-written) checker code `evaluate(response) -> bool` in isolated workers.

Public API:
  SandboxPool(workers, timeout_s, mem_mb, ...).run(code, responses) -> [{"ok", "error"}]
  await SandboxPool.arun(code, responses)
  exec_file(code_path, responses_path) -> Iterator[{"ok", "error"}]
  probe_isolation(port, canary) -> dict   (what code that beat the Python layer could still do)

Layers: policy.py (AST check, reduced builtins, import allowlist, read-only module copies),
shared_state.py (a job that patched a shared class is voided and its worker retired),
isolation.py (netns, chroot, rlimits, unprivileged uid, prctl), process.py/pool.py
(wall-clock SIGKILL, replace, recycle). worker.py is the child's main loop; probe.py a
trusted self-test of the OS layer; checker_file.py runs one checker file over a JSONL of responses
(`ifgen checkers exec`). The worker side is stdlib-only (`python -I -S`).
"""

from .checker_file import exec_file, read_responses
from .policy import ALLOWED_MODULES, PolicyViolation, check_source
from .pool import Result, SandboxPool, SandboxUnavailable
from .probing import probe_isolation

__all__ = [
    "ALLOWED_MODULES",
    "PolicyViolation",
    "Result",
    "SandboxPool",
    "SandboxUnavailable",
    "check_source",
    "exec_file",
    "probe_isolation",
    "read_responses",
]
