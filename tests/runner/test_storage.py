"""Disk full and read-only run folders: one line naming the path and the OS error, exit 1, nothing half-written,
and a rerun after the cause is fixed resumes to the rows of an uninterrupted run.

Two ways of getting there: real tmpfs mounts (a tiny one that fills up; one remounted read-only) where this
process may mount (root), and injected errors everywhere (the shard writer's fsync, SQLite's page limit)."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.jsonl import StorageError
from pipeline.runner.state import StateDB

ARGS = ["-c", "configs/demo.yaml", "--set", "seeds.path=seeds/default.jsonl", "--set", "run.batch_size=16", "-q"]


def _seeds(out: Path, *extra: str) -> int:
    return main(["seeds", "--run", "s", "--set", f"run.output_dir={out}", *ARGS, *extra])


def _rows(run_dir: Path, stage: str = "seeds") -> list[str]:
    return sorted(line for p in (run_dir / stage).glob("part-*.jsonl") for line in p.read_text().splitlines())


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("clean")
    assert _seeds(out) == 0
    return out / "s"


def _one_line_error(capsys, path_part: str, oserror: str) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err  # no traceback
    line = err[0]
    assert line.startswith("ifgen: error: cannot write ") and path_part in line and oserror in line, line
    assert "rerun the same command to resume" in line and "Traceback" not in line
    return line


def _no_temp_files(run_dir: Path) -> None:
    assert not [p for p in run_dir.rglob("*") if p.name.endswith(".tmp")]


# -- injected ----------------------------------------------------------------------------------------------


def test_a_shard_write_that_fails_stops_with_one_line_and_resumes(tmp_path, monkeypatch, capsys, clean):
    real_fsync = os.fsync
    calls = {"n": 0}

    def full_disk_on_the_fifth_shard(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr("pipeline.jsonl.os.fsync", full_disk_on_the_fifth_shard)
    assert _seeds(tmp_path) == 1
    _one_line_error(capsys, str(tmp_path / "s" / "seeds" / "part-"), "No space left on device")
    _no_temp_files(tmp_path)
    db = StateDB(tmp_path / "s" / "state.sqlite")
    counts = db.counts()["seeds"]
    db.close()
    assert counts["pending"] > 0 and counts["failed"] == 0  # the batch in flight was not recorded as anything
    monkeypatch.setattr("pipeline.jsonl.os.fsync", real_fsync)
    assert _seeds(tmp_path) == 0
    assert _rows(tmp_path / "s") == _rows(clean)


def test_a_read_only_folder_is_named_injected(tmp_path, monkeypatch, capsys):
    def read_only(path: Path) -> tuple[int, str]:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))

    monkeypatch.setattr("pipeline.jsonl.temp_beside", read_only)
    monkeypatch.setattr("pipeline.runner.files.temp_beside", read_only)
    assert _seeds(tmp_path) == 1
    _one_line_error(capsys, str(tmp_path / "s" / "config.resolved.yaml"), "Read-only file system")


def test_a_full_state_db_never_says_cannot_rollback_and_keeps_its_rows(tmp_path):
    db = StateDB(tmp_path / "state.sqlite")
    db.add_pending("s", [f"i{n}" for n in range(50)])
    pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
    db.conn.execute(f"PRAGMA max_page_count={pages}")  # SQLITE_FULL on the next page, as a full disk gives
    with pytest.raises(StorageError) as e:
        db.commit_batch("s", "shard", 10, [], [(f"i{n}", "x" * 1500) for n in range(50)])
    assert str(e.value) == f"cannot write {tmp_path / 'state.sqlite'}: database or disk is full"
    assert db.counts()["s"] == {"done": 0, "failed": 0, "pending": 50}  # all or nothing
    db.conn.execute("PRAGMA max_page_count=1073741823")
    db.commit_batch("s", "shard", 10, [f"i{n}" for n in range(50)], [])
    assert db.counts()["s"]["done"] == 50
    db.close()


def test_a_full_state_db_mid_stage_stops_with_one_line_and_resumes(tmp_path, monkeypatch, capsys, clean):
    original = StateDB.sync_items

    def then_fill_up(self: StateDB, stage: str) -> dict[str, int]:
        n = original(self, stage)
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
        self.conn.execute(f"PRAGMA max_page_count={pages}")
        return n

    monkeypatch.setattr(StateDB, "sync_items", then_fill_up)
    monkeypatch.setattr(StateDB, "commit_batch", _growing(StateDB.commit_batch))
    assert _seeds(tmp_path) == 1
    _one_line_error(capsys, str(tmp_path / "s" / "state.sqlite"), "database or disk is full")
    monkeypatch.undo()
    assert _seeds(tmp_path) == 0  # shards written before the failed commits are adopted, not redone
    assert _rows(tmp_path / "s") == _rows(clean)


def _growing(commit):
    """commit_batch that also stores a long note, so the state grows by pages as batches complete."""

    def commit_batch(self, stage, shard, records, done, failed, outs=None):
        with self.tx() as c:
            c.execute("CREATE TABLE IF NOT EXISTS notes (x TEXT)")
            c.execute("INSERT INTO notes VALUES (?)", ("n" * 3000,))
        return commit(self, stage, shard, records, done, failed, outs)

    return commit_batch


# -- real file systems (root only) -----------------------------------------------------------------------


@pytest.fixture
def tmpfs(tmp_path):
    """mount(size) -> a fresh tmpfs of that size; remount(options) changes it. Skipped where mounting is refused."""
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root here")
    point = tmp_path / f"mnt-{uuid.uuid4().hex[:6]}"
    point.mkdir()

    def mount(size: str) -> Path:
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)], capture_output=True)
        if r.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {r.stderr.decode().strip()}")
        return point

    def remount(options: str) -> None:
        subprocess.run(["mount", "-o", f"remount,{options}", str(point)], check=True)

    yield mount, remount
    subprocess.run(["umount", str(point)], capture_output=True)


def test_a_full_disk_stops_with_one_line_and_resumes_once_there_is_room(tmpfs, capsys, clean):
    mount, remount = tmpfs
    out = mount("160k")  # the 340 seeds' state and shards need more
    assert _seeds(out) == 1
    _one_line_error(capsys, str(out / "s"), "full")
    _no_temp_files(out)
    remount("size=20m")
    assert _seeds(out) == 0
    assert _rows(out / "s") == _rows(clean)


def test_a_read_only_run_folder_is_named_and_nothing_changes(tmpfs, capsys, clean):
    mount, remount = tmpfs
    out = mount("20m")
    assert _seeds(out) == 0
    before = {p: p.read_bytes() for p in (out / "s").rglob("*") if p.is_file()}
    remount("ro")
    capsys.readouterr()
    assert _seeds(out) == 1
    _one_line_error(capsys, str(out / "s" / ".lock"), "Read-only file system")  # a writer's first write
    assert main(["status", "--run", "s", "--set", f"run.output_dir={out}", "-c", "configs/demo.yaml"]) == 0
    assert "seeds" in capsys.readouterr().out  # readers still work
    assert {p: p.read_bytes() for p in (out / "s").rglob("*") if p.is_file()} == before
    remount("rw")
    assert _seeds(out) == 0
    assert _rows(out / "s") == _rows(clean)
