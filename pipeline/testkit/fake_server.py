"""A fake OpenAI-compatible chat server for tests and benchmarks (127.0.0.1 only).

In-process:   async with FakeServer(latency=0.05, fault_rate=0.3) as srv: ...  (srv.url is the api_base)
Subprocess:   python -m pipeline.testkit.fake_server --port 0 --latency 1.0 --fault-rate 0.3 --rules FILE
              prints its api_base URL (http://127.0.0.1:PORT/v1) on the first line, then serves until
              SIGTERM/SIGINT or --lifetime seconds.

Endpoints: POST /v1/chat/completions, GET /v1/models, GET /health, GET /_stats, POST|GET /_reset, and the
OpenAI Files + Batches endpoints (in memory, fake_batches.py; a batch completes after `batch_delay` s).
/_stats: requests received, in-flight now, max in-flight observed, arrivals per second since start/reset,
counts per fault kind and per status, arrival times (s since start) of requests matching a script key, and
`in_flight_trace` ([arrival s, in-flight incl. that request] per request).
Keys: with `api_key` set, a chat request must carry `Authorization: Bearer <api_key>` or gets a 401; with
`echo_auth`, the server quotes the Authorization header it received in 401 bodies and reply texts (some providers
and proxies echo it), which is what the secret-redaction tests need.
Capacity models: `capacity=N` answers 429 + Retry-After to any request arriving while N are in flight (an
API that refuses); `queue_capacity=N` answers at most N at once and queues the rest, so latency grows with
in-flight beyond N (a vLLM/SGLang-style server that never refuses).
Per-request work is a dict lookup, a JSON dump and counters: no logging, so it sustains 1000+ concurrent
requests on one core. Handlers are cancelled when the client disconnects, so a "hang" stops counting as
in flight as soon as the client times out.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import signal
import sys
import time
from collections import defaultdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing_extensions import Self

from aiohttp import web

from .fake_batches import FakeBatches
from .fake_rules import Rules, count_words, load_rules_file, user_texts

_MALFORMED = (
    b'{"id": "chatcmpl-broken", "object": "chat.completion", "choices": [{"index": 0, "message": {"content": "tru'
)
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_RULE_KEYS = ("replies", "queue", "faults", "fault_rate", "fault_kinds", "seed", "reply")
_SERVER_KEYS = (
    "latency",
    "latency_max",
    "retry_after",
    "hang_s",
    "model",
    "capacity",
    "queue_capacity",
    "batch_delay",
    "batch_api_key",
    "api_key",
    "echo_auth",
)


class FakeServer:
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        latency_max: float | None = None,
        retry_after: float = 1.0,
        hang_s: float = 600.0,
        model: str = "fake-model",
        capacity: int | None = None,
        queue_capacity: int | None = None,
        batch_delay: float = 0.2,
        batch_api_key: str | None = None,
        api_key: str | None = None,
        echo_auth: bool = False,
        **rules: Any,
    ):
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the fake server only listens on loopback")
        unknown = set(rules) - set(_RULE_KEYS)
        if unknown:
            raise TypeError(f"unknown FakeServer options: {sorted(unknown)}")
        self.host, self.port = host, port
        self.latency, self.latency_max = float(latency), latency_max
        self.retry_after, self.hang_s, self.model = retry_after, hang_s, model
        for name, cap in (("capacity", capacity), ("queue_capacity", queue_capacity)):
            if cap is not None and cap < 1:
                raise ValueError(f"{name} must be >= 1, got {cap}")
        self.capacity, self.queue_capacity = capacity, queue_capacity
        self.api_key, self.echo_auth = api_key, echo_auth
        self._queue: asyncio.Semaphore | None = None  # made in start(), on the serving loop
        self.rules = Rules(**rules)
        self.batches = FakeBatches(self, delay=batch_delay, api_key=batch_api_key)
        self._runner: web.AppRunner | None = None
        self._lat_rng = random.Random(rules.get("seed", 0))
        self.reset()

    # ---- stats ---------------------------------------------------------------------------------
    def reset(self) -> None:
        self.t0 = time.monotonic()
        self.requests = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.arrivals: dict[int, int] = defaultdict(int)
        self.fault_counts: dict[str, int] = defaultdict(int)
        self.status_counts: dict[int, int] = defaultdict(int)
        self.hits: dict[str, list[float]] = defaultdict(list)
        self.with_auth = 0  # requests that carried an Authorization header (the value is never kept)
        self.trace: list[tuple[float, int]] = []  # (arrival s since start, in-flight incl. this one)
        self.rules.reset()

    def stats(self) -> dict[str, Any]:
        last = max(self.arrivals) + 1 if self.arrivals else 0
        return {
            "requests": self.requests,
            "in_flight": self.in_flight,
            "max_in_flight": self.max_in_flight,
            "arrivals_per_second": [self.arrivals.get(i, 0) for i in range(last)],
            "faults": dict(self.fault_counts),
            "statuses": {str(k): v for k, v in self.status_counts.items()},
            "hits": {k: list(v) for k, v in self.hits.items()},
            "with_auth": self.with_auth,
            "elapsed_s": time.monotonic() - self.t0,
            "in_flight_trace": [list(x) for x in self.trace],
            "batch_lines": self.batches.batch_lines,
        }

    # ---- lifecycle -----------------------------------------------------------------------------
    @property
    def root(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """The api_base to give a client."""
        return self.root + "/v1"

    def app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_get("/v1/models", self._models)
        app.router.add_get("/health", self._health)
        app.router.add_get("/_stats", self._stats)
        app.router.add_route("*", "/_reset", self._reset)
        self.batches.add_routes(app)
        return app

    async def start(self) -> Self:
        if self.queue_capacity is not None:
            self._queue = asyncio.Semaphore(self.queue_capacity)
        self._runner = web.AppRunner(self.app(), access_log=None, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, backlog=4096, reuse_address=True)
        await site.start()
        self.port = self._runner.addresses[0][1]  # port 0 → the one the OS chose
        self.reset()
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ---- handlers ------------------------------------------------------------------------------
    async def _health(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def _models(self, request: web.Request) -> web.Response:
        return web.json_response(
            {"object": "list", "data": [{"id": self.model, "object": "model", "owned_by": "fake"}]}
        )

    async def _stats(self, request: web.Request) -> web.Response:
        return web.json_response(self.stats())

    async def _reset(self, request: web.Request) -> web.Response:
        self.reset()
        return web.json_response({"reset": True})

    def _delay(self) -> float:
        if self.latency_max is not None and self.latency_max > self.latency:
            return self._lat_rng.uniform(self.latency, self.latency_max)
        return self.latency

    async def _chat(self, request: web.Request) -> web.Response:
        now = time.monotonic() - self.t0
        self.requests += 1
        self.arrivals[int(now)] += 1
        if "Authorization" in request.headers:
            self.with_auth += 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        self.trace.append((now, self.in_flight))
        try:
            if self.capacity is not None and self.in_flight > self.capacity:
                self.fault_counts["over_capacity"] += 1
                resp = web.json_response(
                    {"error": {"message": "over capacity (fake)", "type": "rate_limit_error"}},
                    status=429,
                    headers={"Retry-After": f"{self.retry_after:g}"},
                )
            elif self._queue is not None:
                async with self._queue:  # a server that serializes: at most queue_capacity answered at once
                    resp = await self._answer(request, now)
            else:
                resp = await self._answer(request, now)
        finally:
            self.in_flight -= 1
        self.status_counts[resp.status] += 1
        return resp

    async def _answer(self, request: web.Request, now: float) -> web.Response:
        try:
            body = json.loads(await request.read())
            if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
                raise TypeError("body must be an object with a 'messages' list")
        except (ValueError, TypeError) as e:
            return web.json_response(
                {"error": {"message": f"bad request: {e}", "type": "invalid_request_error"}}, status=400
            )
        texts = user_texts(body)
        fault, fkey = self.rules.pick_fault(texts)
        if fkey is not None:
            self.hits[fkey].append(now)
        auth = request.headers.get("Authorization", "")
        if fault is None and self.api_key is not None and auth != f"Bearer {self.api_key}":
            fault = "401"
        if fault is not None:
            self.fault_counts[fault] += 1
        if fault == "401":
            message = "Incorrect API key provided (fake)"
            if self.echo_auth:  # a misbehaving provider or proxy: the key comes back in the error text
                message += f"; received Authorization: {auth or '(none)'}"
            return web.json_response({"error": {"message": message, "type": "invalid_request_error"}}, status=401)
        if fault == "429":
            return web.json_response(
                {"error": {"message": "rate limited (fake)", "type": "rate_limit_error"}},
                status=429,
                headers={"Retry-After": f"{self.retry_after:g}"},
            )
        if fault == "400":
            return web.json_response(
                {"error": {"message": "bad request (fake)", "type": "invalid_request_error"}}, status=400
            )
        if fault == "hang":
            await asyncio.sleep(self.hang_s)
            return web.json_response({"error": {"message": "hung (fake)"}}, status=504)
        delay = self._delay()
        if delay > 0:
            await asyncio.sleep(delay)
        if fault == "500":
            return web.json_response(
                {"error": {"message": "internal error (fake)", "type": "server_error"}}, status=500
            )
        if fault == "malformed":
            return web.Response(body=_MALFORMED, status=200, content_type="application/json")
        reply, rkey = self.rules.reply(body, texts)
        if rkey is not None and rkey != fkey:
            self.hits[rkey].append(now)
        if self.echo_auth:  # and in a normal reply's text
            reply = {**reply, "content": f"{reply['content']} (request authorised by {auth or 'nobody'})"}
        return web.Response(body=_dumps(self._completion(body, reply, fault)).encode(), content_type="application/json")

    def _completion(self, body: dict, reply: dict, fault: str | None) -> dict:
        text = reply["content"]
        finish = reply.get("finish_reason", "stop")
        words = text.split()
        max_tokens = body.get("max_tokens")
        if fault == "empty":
            text, words = "", []
        elif fault == "length":
            keep = max(1, len(words) // 2)
            text, words, finish = " ".join(words[:keep]), words[:keep], "length"
        elif isinstance(max_tokens, int) and len(words) > max_tokens:
            text, words, finish = " ".join(words[:max_tokens]), words[:max_tokens], "length"
        message: dict[str, Any] = {"role": "assistant", "content": text}
        if reply.get("reasoning_content"):
            message["reasoning_content"] = reply["reasoning_content"]
        ptok = count_words(body)
        return {
            "id": f"chatcmpl-fake-{self.requests}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model") or self.model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": ptok, "completion_tokens": len(words), "total_tokens": ptok + len(words)},
        }


# ---- subprocess entry point ------------------------------------------------------------------------
def _parse(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m pipeline.testkit.fake_server", description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--latency", type=float, default=None, help="seconds per reply (fixed, or min with --latency-max)")
    ap.add_argument("--latency-max", type=float, default=None)
    ap.add_argument("--fault-rate", type=float, default=None)
    ap.add_argument("--fault-kinds", default=None, help="comma list, e.g. 429,500,hang,malformed")
    ap.add_argument("--retry-after", type=float, default=None)
    ap.add_argument("--hang-s", type=float, default=None)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--capacity", type=int, default=None, help="429 above this many in flight")
    ap.add_argument("--queue-capacity", type=int, default=None, help="answer this many at once, queue the rest")
    ap.add_argument("--api-key", default=None, help="require Authorization: Bearer API_KEY (else 401)")
    ap.add_argument("--echo-auth", action="store_true", default=None, help="quote the Authorization header back")
    ap.add_argument("--rules", default=None, help="JSON/YAML file: replies, queue, faults, and any option above")
    ap.add_argument("--lifetime", type=float, default=3600.0, help="exit after this many seconds (safety bound)")
    return ap.parse_args(argv)


async def _serve(srv: FakeServer, lifetime: float) -> None:
    await srv.start()
    print(srv.url, flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await asyncio.wait_for(stop.wait(), timeout=lifetime)
    except asyncio.TimeoutError:
        pass
    await srv.stop()


def main(argv: list[str] | None = None) -> int:
    a = _parse(argv)
    try:
        opts: dict[str, Any] = load_rules_file(a.rules) if a.rules else {}
    except ValueError as e:
        print(str(e), file=sys.stderr)
        return 2
    bad = set(opts) - set(_RULE_KEYS) - set(_SERVER_KEYS) - {"reply"}
    if bad or "reply" in opts:
        print(
            f"{a.rules}: unknown or unsupported keys in rules file: {sorted(bad | ({'reply'} & set(opts)))}",
            file=sys.stderr,
        )
        return 2
    cli = {
        "latency": a.latency,
        "latency_max": a.latency_max,
        "fault_rate": a.fault_rate,
        "retry_after": a.retry_after,
        "hang_s": a.hang_s,
        "seed": a.seed,
        "capacity": a.capacity,
        "queue_capacity": a.queue_capacity,
        "api_key": a.api_key,
        "echo_auth": a.echo_auth,
        "fault_kinds": a.fault_kinds.split(",") if a.fault_kinds else None,
    }
    opts.update({k: v for k, v in cli.items() if v is not None})
    try:
        srv = FakeServer(port=a.port, **opts)
    except (TypeError, ValueError) as e:
        print(f"{a.rules or 'options'}: {e}", file=sys.stderr)
        return 2
    # Thousands of concurrent handlers keep many objects alive; at the default gen0 threshold (700) the
    # cyclic GC rescans them constantly (measured ~30 % of this process's CPU at 1024 in flight).
    gc.set_threshold(20_000, 20, 50)
    asyncio.run(_serve(srv, a.lifetime))
    return 0


if __name__ == "__main__":
    sys.exit(main())
