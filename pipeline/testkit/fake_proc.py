"""Run the fake OpenAI server as a subprocess (so its CPU is not charged to the client under test).

with FakeServerProcess(latency=1.0, fault_rate=0.0) as srv:
    srv.url          # api_base, http://127.0.0.1:PORT/v1
    srv.stats()      # GET /_stats
    srv.cpu_s()      # user+sys CPU seconds the server process used so far (Linux /proc)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing_extensions import Self


def http_json(url: str, method: str = "GET", timeout: float = 10.0) -> Any:
    req = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read())


class FakeServerProcess:
    def __init__(
        self,
        *,
        latency: float = 0.0,
        latency_max: float | None = None,
        fault_rate: float = 0.0,
        fault_kinds: list[str] | None = None,
        retry_after: float | None = None,
        rules: str | Path | None = None,
        lifetime: float = 3600.0,
        startup_timeout: float = 30.0,
        capacity: int | None = None,
        queue_capacity: int | None = None,
        api_key: str | None = None,
        echo_auth: bool = False,
    ):
        args = [
            sys.executable,
            "-m",
            "pipeline.testkit.fake_server",
            "--port",
            "0",
            "--latency",
            str(latency),
            "--fault-rate",
            str(fault_rate),
            "--lifetime",
            str(lifetime),
        ]
        if latency_max is not None:
            args += ["--latency-max", str(latency_max)]
        if fault_kinds:
            args += ["--fault-kinds", ",".join(fault_kinds)]
        if retry_after is not None:
            args += ["--retry-after", str(retry_after)]
        if capacity is not None:
            args += ["--capacity", str(capacity)]
        if queue_capacity is not None:
            args += ["--queue-capacity", str(queue_capacity)]
        if rules is not None:
            args += ["--rules", str(rules)]
        if api_key is not None:
            args += ["--api-key", api_key]
        if echo_auth:
            args += ["--echo-auth"]
        self.args = args
        self.startup_timeout = startup_timeout
        self.proc: subprocess.Popen | None = None
        self.url = ""

    @property
    def root(self) -> str:
        return self.url[: -len("/v1")]

    def __enter__(self) -> Self:
        self.proc = subprocess.Popen(
            self.args,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=str(Path(__file__).resolve().parents[2]),
        )
        assert self.proc.stdout is not None and self.proc.stderr is not None  # PIPEs
        line = self.proc.stdout.readline().strip()
        if not line.startswith("http://"):
            err = self.proc.stderr.read() if self.proc.poll() is not None else ""
            self.close()
            raise RuntimeError(f"fake server did not start: first line {line!r}; stderr: {err[-2000:]}")
        self.url = line
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def stats(self) -> dict[str, Any]:
        return http_json(self.root + "/_stats")

    def reset(self) -> None:
        http_json(self.root + "/_reset", method="POST")

    def cpu_s(self) -> float:
        """CPU seconds (user+sys) of the server process, from /proc/PID/stat."""
        if self.proc is None:
            return 0.0
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks
