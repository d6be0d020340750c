"""Sink push: upload the export folder to a Hub dataset repo, resumably.

Reads: outputs/<run>/export/ (the card and the dataset files; export must have finished).
Writes: the Hub dataset repo `push.repo_id`; push/stats.json (files uploaded / unchanged, commits).

Resumable by diffing, not by bookkeeping: the remote tree is listed, and only
files that are missing or differ (sha256 for LFS-tracked files, the git blob
sha1 otherwise, and size) are committed. Files go in size-bounded commits with
the card last, so an interrupted push keeps what it finished and the card never
points at files that are not there yet; pushing an unchanged folder again
commits nothing. The token comes from the environment (HF_TOKEN, or the token
huggingface_hub has saved); the endpoint from `push.endpoint` or HF_ENDPOINT.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..records import content_id
from .base import Sink, StageError
from .export.write import KINDS

COMMIT_BYTES = 512 * 1024 * 1024  # at most this much new data per commit
CARD = "README.md"


def git_blob_sha1(path: Path) -> str:
    """The id git (and the Hub tree API, as `oid`) gives a regular file's content."""
    h = hashlib.sha1()
    h.update(b"blob %d\0" % path.stat().st_size)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def local_files(folder: Path) -> list[str]:
    """Repo paths to publish: the card and the dataset files (no scratch, no stats)."""
    folder = Path(folder)
    if not (folder / CARD).is_file():
        raise StageError(f"nothing to push: {folder / CARD} not found; run `ifgen export` first")
    out = [CARD]
    for kind in KINDS:
        d = folder / kind
        if d.is_dir():
            out += sorted(
                p.relative_to(folder).as_posix()
                for p in d.iterdir()
                if p.is_file() and p.suffix in (".parquet", ".jsonl")
            )
    return out


def unchanged(local: Path, remote: Any) -> bool:
    """Whether the remote file (a huggingface_hub RepoFile) holds the same bytes as `local`."""
    size = local.stat().st_size
    lfs = getattr(remote, "lfs", None)
    if lfs is not None:
        return int(lfs.size) == size and lfs.sha256 == file_sha256(local)
    return int(remote.size) == size and remote.blob_id == git_blob_sha1(local)


def push_folder(
    folder: Path,
    repo_id: str,
    *,
    private: bool = False,
    endpoint: str | None = None,
    token: str | None = None,
    message: str = "ifgen export",
) -> dict[str, Any]:
    """Create the dataset repo if needed and upload what differs. Returns counts and the paths sent."""
    from huggingface_hub import CommitOperationAdd, HfApi
    from huggingface_hub.utils import EntryNotFoundError

    folder = Path(folder)
    api = HfApi(
        endpoint=endpoint or os.environ.get("HF_ENDPOINT") or None, token=token or os.environ.get("HF_TOKEN") or None
    )
    api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
    try:
        remote = {
            f.path: f for f in api.list_repo_tree(repo_id, repo_type="dataset", recursive=True) if hasattr(f, "blob_id")
        }
    except EntryNotFoundError:  # a brand-new repo without a commit
        remote = {}
    paths = local_files(folder)
    todo = [p for p in paths if p not in remote or not unchanged(folder / p, remote[p])]
    todo.sort(key=lambda p: (p == CARD, p))  # the card goes last
    batches: list[list[str]] = []
    size = 0
    for p in todo:
        n = (folder / p).stat().st_size
        if not batches or size + n > COMMIT_BYTES or p == CARD:
            batches.append([])
            size = 0
        batches[-1].append(p)
        size += n
    for i, batch in enumerate(batches, 1):
        ops = [CommitOperationAdd(path_in_repo=p, path_or_fileobj=str(folder / p)) for p in batch]
        api.create_commit(
            repo_id, ops, repo_type="dataset", commit_message=f"{message} ({i}/{len(batches)}: {len(batch)} file(s))"
        )
    return {
        "repo_id": repo_id,
        "files": len(paths),
        "uploaded": len(todo),
        "unchanged": len(paths) - len(todo),
        "commits": len(batches),
        "uploaded_paths": todo,
        "bytes_uploaded": sum((folder / p).stat().st_size for p in todo),
    }


class PushSink(Sink):
    name = "push"

    @property
    def export_dir(self) -> Path:
        return self.run_dir / "export"

    def settings(self) -> dict[str, Any]:
        """Where to push, and the run name (in the commit message)."""
        return {"push": self.config.push.model_dump(mode="json"), "run": {"name": self.config.run.name}}

    def fingerprint(self, inputs: Mapping[str, str]) -> str:
        """Settings and the export's own fingerprint (what it last wrote), plus the files as they are now."""
        if not self.config.push.repo_id:
            raise StageError("push.repo_id is not set; use `ifgen push --repo-id ORG/NAME`")
        listing = [(f, (self.export_dir / f).stat().st_size) for f in local_files(self.export_dir)]
        return content_id(super().fingerprint(inputs), listing)

    def write(self, out_dir: Path) -> dict[str, Any]:
        p = self.config.push
        assert p.repo_id is not None  # fingerprint() checked it
        return push_folder(
            self.export_dir,
            p.repo_id,
            private=p.private,
            endpoint=p.endpoint,
            message=f"ifgen export of run {self.config.run.name}",
        )
