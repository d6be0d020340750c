"""A local stand-in for the few Hub endpoints huggingface_hub uses to push a dataset.

Implements exactly what `HfApi.create_repo`, `list_repo_tree`, `create_commit`
(validate-yaml, preupload, NDJSON commit), `repo_info` and `hf_hub_download`
(HEAD/GET resolve) call, on 127.0.0.1, storing each repo's files under
`root/<org>/<name>/`. Every file is accepted in "regular" mode (base64 inside
the NDJSON commit), so no LFS / Xet transfer protocol is needed; the tree
listing reports `.parquet` files with LFS metadata (sha256), as the Hub does
for LFS-tracked files, so both comparison paths of the pusher are exercised.
Write calls require `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import yaml


def _git_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class HubStandIn:
    def __init__(self, root: Path, token: str):
        self.root = Path(root)
        self.token = token
        self.repos: dict[str, dict] = {}  # repo_id -> {"private": bool, "sha": str}
        self.commits: list[dict] = []  # {"repo", "summary", "paths"}
        self.requests: list[tuple[str, str]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> HubStandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def repo_dir(self, repo_id: str) -> Path:
        return self.root / repo_id

    def files(self, repo_id: str) -> dict[str, bytes]:
        d = self.repo_dir(repo_id)
        return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}

    # -- HTTP ------------------------------------------------------------------------------
    def _handler(self):
        hub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def _send(
                self, code: int, body=None, headers: dict | None = None, raw: bytes | None = None, head: bool = False
            ):
                data = raw if raw is not None else json.dumps(body if body is not None else {}).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/octet-stream" if raw is not None else "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                if not head:
                    self.wfile.write(data)

            def _body(self) -> bytes:
                n = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(n) if n else b""

            def _authorized(self) -> bool:
                if self.headers.get("Authorization") == f"Bearer {hub.token}":
                    return True
                self._send(401, {"error": "Invalid credentials"}, {"X-Error-Message": "Invalid credentials"})
                return False

            def _repo(self, parts: list[str]) -> str | None:
                repo = "/".join(parts[:2])
                if repo not in hub.repos:
                    self._send(404, {"error": "Repository not found"}, {"X-Error-Code": "RepositoryNotFound"})
                    return None
                return repo

            def do_POST(self):
                url = urlparse(self.path)
                hub.requests.append(("POST", url.path))
                body = self._body()
                if not self._authorized():
                    return
                if url.path == "/api/repos/create":
                    p = json.loads(body)
                    repo = f"{p['organization']}/{p['name']}"
                    if p.get("type") != "dataset":
                        return self._send(400, {"error": "only dataset repos here"})
                    if repo in hub.repos:
                        return self._send(
                            409, {"error": "You already created this dataset repo", "url": f"{hub.url}/datasets/{repo}"}
                        )
                    hub.repos[repo] = {
                        "private": p.get("visibility") == "private" or bool(p.get("private")),
                        "sha": "0" * 40,
                    }
                    hub.repo_dir(repo).mkdir(parents=True, exist_ok=True)
                    return self._send(200, {"url": f"{hub.url}/datasets/{repo}", "name": repo})
                if url.path == "/api/validate-yaml":
                    content = json.loads(body)["content"]
                    try:
                        meta = yaml.safe_load(content.split("---\n")[1]) if content.startswith("---\n") else {}
                        assert isinstance(meta, dict)
                    except Exception as e:  # noqa: BLE001 - report like the Hub does
                        return self._send(400, {"errors": [{"message": f"invalid YAML: {e}"}]})
                    return self._send(200, {"errors": [], "warnings": []})
                parts = url.path.split("/")  # ['', 'api', 'datasets', org, name, action, rev]
                if len(parts) >= 7 and parts[1] == "api" and parts[2] == "datasets":
                    repo = self._repo(parts[3:5])
                    if repo is None:
                        return
                    if parts[5] == "preupload":
                        files = json.loads(body)["files"]
                        return self._send(
                            200,
                            {
                                "files": [
                                    {"path": f["path"], "uploadMode": "regular", "shouldIgnore": False} for f in files
                                ]
                            },
                        )
                    if parts[5] == "commit":
                        return self._commit(repo, body)
                self._send(404, {"error": f"no route POST {url.path}"})

            def _commit(self, repo: str, body: bytes):
                lines = [json.loads(x) for x in body.decode().splitlines() if x.strip()]
                header = lines[0]
                assert header["key"] == "header", header
                paths = []
                for item in lines[1:]:
                    if item["key"] != "file":
                        return self._send(400, {"error": f"unsupported operation {item['key']}"})
                    v = item["value"]
                    assert v["encoding"] == "base64"
                    dest = hub.repo_dir(repo) / v["path"]
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    dest.write_bytes(base64.b64decode(v["content"]))
                    paths.append(v["path"])
                sha = hashlib.sha1((hub.repos[repo]["sha"] + json.dumps(paths)).encode()).hexdigest()
                hub.repos[repo]["sha"] = sha
                hub.commits.append({"repo": repo, "summary": header["value"]["summary"], "paths": paths})
                self._send(
                    200,
                    {"commitUrl": f"{hub.url}/datasets/{repo}/commit/{sha}", "commitOid": sha, "pullRequestUrl": None},
                )

            def _resolve(self, head: bool):
                url = urlparse(self.path)
                parts = unquote(url.path).split("/")  # ['', 'datasets', org, name, 'resolve', rev, *path]
                repo = self._repo(parts[2:4])
                if repo is None:
                    return
                f = hub.repo_dir(repo) / "/".join(parts[6:])
                if not f.is_file():
                    return self._send(404, {"error": "Entry not found"}, {"X-Error-Code": "EntryNotFound"}, head=head)
                data = f.read_bytes()
                self._send(
                    200,
                    raw=data,
                    head=head,
                    headers={"ETag": f'"{_git_sha1(data)}"', "X-Repo-Commit": hub.repos[repo]["sha"]},
                )

            def do_HEAD(self):
                hub.requests.append(("HEAD", urlparse(self.path).path))
                if self.path.startswith("/datasets/"):
                    return self._resolve(head=True)
                self._send(404, {}, head=True)

            def do_GET(self):
                url = urlparse(self.path)
                hub.requests.append(("GET", url.path))
                if url.path.startswith("/datasets/"):
                    return self._resolve(head=False)
                parts = unquote(url.path).split("/")  # ['', 'api', 'datasets', org, name, ...]
                if len(parts) < 5 or parts[1:3] != ["api", "datasets"]:
                    return self._send(404, {"error": f"no route GET {url.path}"})
                repo = self._repo(parts[3:5])
                if repo is None:
                    return
                if hub.repos[repo]["private"] and not self._authorized():
                    return
                if len(parts) == 5 or parts[5] == "revision":
                    return self._send(
                        200,
                        {
                            "id": repo,
                            "sha": hub.repos[repo]["sha"],
                            "private": hub.repos[repo]["private"],
                            "siblings": [{"rfilename": p} for p in hub.files(repo)],
                        },
                    )
                if parts[5] == "tree":
                    prefix = "/".join(parts[7:])
                    recursive = parse_qs(url.query).get("recursive", ["false"])[0].lower() == "true"
                    return self._send(200, self._tree(repo, prefix, recursive))
                self._send(404, {"error": f"no route GET {url.path}"})

            def _tree(self, repo: str, prefix: str, recursive: bool) -> list[dict]:
                base = hub.repo_dir(repo)
                start = base / prefix if prefix else base
                entries = []
                for p in sorted(start.rglob("*") if recursive else start.iterdir()):
                    rel = p.relative_to(base).as_posix()
                    if p.is_dir():
                        entries.append({"type": "directory", "oid": "0" * 40, "path": rel})
                        continue
                    data = p.read_bytes()
                    e = {"type": "file", "oid": _git_sha1(data), "size": len(data), "path": rel}
                    if p.suffix == ".parquet":
                        e["lfs"] = {"oid": hashlib.sha256(data).hexdigest(), "size": len(data), "pointerSize": 132}
                    entries.append(e)
                return entries

        return Handler
