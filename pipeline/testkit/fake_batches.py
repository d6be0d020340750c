"""In-memory OpenAI Files + Batches endpoints for the fake server (tests of pipeline/llm/batch.py).

    POST   /v1/files                 multipart: purpose=batch, file=<JSONL>   → file object
    GET    /v1/files/{id}            file object;   GET /v1/files/{id}/content → the bytes;   DELETE /v1/files/{id}
    POST   /v1/batches               {"input_file_id", "endpoint": "/v1/chat/completions", "completion_window": "24h"}
    GET    /v1/batches/{id}          the batch; it is "validating", then "in_progress", and once `delay` seconds
                                     have passed since creation it is run and becomes "completed" (or "failed"
                                     when the input file is invalid, with `errors.data[].line` naming the line)
    POST   /v1/batches/{id}/cancel

Each input line is answered by the server's own rules (scripted replies and faults, see fake_rules.py): a
line whose fault is 400/429/500/hang/malformed gets a non-200 `response.status_code` and goes to the error
file; the others go to the output file, exactly as OpenAI splits them. Lines are not counted as chat
requests in /_stats; `batch_lines` counts them. With `api_key` set (FakeServer(batch_api_key=...)), every
Files/Batches call must carry `Authorization: Bearer <api_key>`, else it gets a 401 like OpenAI's.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .fake_rules import user_texts

if TYPE_CHECKING:
    from .fake_server import FakeServer

_FAULT_STATUS: dict[str | None, int] = {"400": 400, "401": 401, "429": 429, "500": 500, "hang": 504, "malformed": 500}
_FINAL = ("completed", "failed", "expired", "cancelled")


def _err(message: str, status: int = 400) -> web.Response:
    return web.json_response({"error": {"message": message, "type": "invalid_request_error"}}, status=status)


class FakeBatches:
    def __init__(self, server: FakeServer, *, delay: float = 0.2, api_key: str | None = None):
        self.server = server
        self.delay = float(delay)
        self.api_key = api_key
        self.files: dict[str, dict[str, Any]] = {}  # id → {"meta": file object, "data": bytes}
        self.batches: dict[str, dict[str, Any]] = {}
        self.batch_lines = 0
        self._n = 0

    def add_routes(self, app: web.Application) -> None:
        r, a = app.router, self._authorised
        r.add_post("/v1/files", a(self._upload))
        r.add_get("/v1/files/{fid}", a(self._file_meta))
        r.add_get("/v1/files/{fid}/content", a(self._file_content))
        r.add_delete("/v1/files/{fid}", a(self._file_delete))
        r.add_post("/v1/batches", a(self._create))
        r.add_get("/v1/batches/{bid}", a(self._retrieve))
        r.add_post("/v1/batches/{bid}/cancel", a(self._cancel))

    def _authorised(
        self, handler: Callable[[web.Request], Awaitable[web.Response]]
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def guarded(request: web.Request) -> web.Response:
            if self.api_key is not None and request.headers.get("Authorization") != f"Bearer {self.api_key}":
                return _err("Incorrect API key provided (fake)", 401)
            return await handler(request)

        return guarded

    def _id(self, prefix: str) -> str:
        self._n += 1
        return f"{prefix}-fake{self._n:06d}"

    def _store(self, data: bytes, filename: str, purpose: str) -> dict[str, Any]:
        fid = self._id("file")
        meta = {
            "id": fid,
            "object": "file",
            "bytes": len(data),
            "created_at": int(time.time()),
            "filename": filename,
            "purpose": purpose,
            "status": "processed",
        }
        self.files[fid] = {"meta": meta, "data": data}
        return meta

    # ---- files -----------------------------------------------------------------------------------
    async def _upload(self, request: web.Request) -> web.Response:
        if not request.content_type.startswith("multipart/"):
            return _err("POST /v1/files expects multipart/form-data with 'purpose' and 'file'")
        form = await request.post()
        upload, purpose = form.get("file"), form.get("purpose")
        if purpose is None or not isinstance(upload, web.FileField):
            return _err("both 'purpose' and 'file' form fields are required")
        return web.json_response(self._store(upload.file.read(), upload.filename or "upload", str(purpose)))

    def _get_file(self, request: web.Request) -> dict[str, Any] | None:
        return self.files.get(request.match_info["fid"])

    async def _file_meta(self, request: web.Request) -> web.Response:
        f = self._get_file(request)
        return web.json_response(f["meta"]) if f else _err("no such file", 404)

    async def _file_content(self, request: web.Request) -> web.Response:
        f = self._get_file(request)
        return web.Response(body=f["data"], content_type="application/octet-stream") if f else _err("no such file", 404)

    async def _file_delete(self, request: web.Request) -> web.Response:
        fid = request.match_info["fid"]
        if self.files.pop(fid, None) is None:
            return _err("no such file", 404)
        return web.json_response({"id": fid, "object": "file", "deleted": True})

    # ---- batches ---------------------------------------------------------------------------------
    async def _create(self, request: web.Request) -> web.Response:
        try:
            req = await request.json()
        except ValueError:
            return _err("body is not JSON")
        if req.get("input_file_id") not in self.files:
            return _err(f"input file {req.get('input_file_id')!r} not found", 404)
        if req.get("endpoint") != "/v1/chat/completions":
            return _err("only endpoint /v1/chat/completions is supported by the fake")
        if req.get("completion_window") != "24h":
            return _err("completion_window must be '24h'")
        bid = self._id("batch")
        batch = {
            "id": bid,
            "object": "batch",
            "endpoint": req["endpoint"],
            "input_file_id": req["input_file_id"],
            "completion_window": "24h",
            "status": "validating",
            "output_file_id": None,
            "error_file_id": None,
            "errors": None,
            "created_at": int(time.time()),
            "metadata": req.get("metadata"),
            "request_counts": {"total": 0, "completed": 0, "failed": 0},
        }
        self.batches[bid] = {"obj": batch, "t0": time.monotonic()}
        return web.json_response(batch)

    async def _retrieve(self, request: web.Request) -> web.Response:
        entry = self.batches.get(request.match_info["bid"])
        if entry is None:
            return _err("no such batch", 404)
        obj = entry["obj"]
        if obj["status"] not in _FINAL:
            age = time.monotonic() - entry["t0"]
            if age >= self.delay:
                self._run(obj)
            elif age >= self.delay / 2:
                obj["status"] = "in_progress"
        return web.json_response(obj)

    async def _cancel(self, request: web.Request) -> web.Response:
        entry = self.batches.get(request.match_info["bid"])
        if entry is None:
            return _err("no such batch", 404)
        if entry["obj"]["status"] not in _FINAL:
            entry["obj"]["status"] = "cancelled"
        return web.json_response(entry["obj"])

    def _run(self, obj: dict[str, Any]) -> None:
        """Validate the whole input file, then answer every line with the server's rules."""
        lines = self.files[obj["input_file_id"]]["data"].decode("utf-8", "replace").splitlines()
        parsed, seen = [], set()
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            problem = None
            try:
                item = json.loads(line)
                body = item.get("body") if isinstance(item, dict) else None
                if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
                    problem = "each line needs a 'body' object with a 'messages' list"
                elif item.get("url") != obj["endpoint"] or item.get("method") != "POST":
                    problem = f"'method' must be POST and 'url' {obj['endpoint']}"
                elif not isinstance(item.get("custom_id"), str) or item["custom_id"] in seen:
                    problem = "'custom_id' must be a string, unique within the file"
            except ValueError as e:
                problem = f"not JSON: {e}"
            if problem:
                obj["status"] = "failed"
                obj["errors"] = {"object": "list", "data": [{"code": "invalid_request", "message": problem, "line": n}]}
                return
            seen.add(item["custom_id"])
            parsed.append(item)
        out: list[str] = []
        errs: list[str] = []
        for item in parsed:
            self.batch_lines += 1
            body = item["body"]
            texts = user_texts(body)
            fault, _ = self.server.rules.pick_fault(texts)
            status = _FAULT_STATUS.get(fault, 200)
            if status == 200:
                reply, _ = self.server.rules.reply(body, texts)
                rbody = self.server._completion(body, reply, fault)
            else:
                rbody = {
                    "error": {
                        "message": f"fault {fault} (fake)",
                        "type": "server_error" if status >= 500 else "invalid_request_error",
                    }
                }
            line = {
                "id": self._id("batch_req"),
                "custom_id": item["custom_id"],
                "response": {"status_code": status, "request_id": self._id("req"), "body": rbody},
                "error": None,
            }
            (out if status == 200 else errs).append(json.dumps(line))
        obj["request_counts"] = {"total": len(parsed), "completed": len(out), "failed": len(errs)}
        if out:
            obj["output_file_id"] = self._store(("\n".join(out) + "\n").encode(), "batch_output.jsonl", "batch_output")[
                "id"
            ]
        if errs:
            obj["error_file_id"] = self._store(("\n".join(errs) + "\n").encode(), "batch_errors.jsonl", "batch_output")[
                "id"
            ]
        obj["status"] = "completed"
        obj["completed_at"] = int(time.time())
