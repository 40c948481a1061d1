"""State snapshots that bound restart time: restore the latest, replay only the log after it.

A snapshot is the pickled engine taken at a batch boundary (its state equals the log up to the
batch's last position) and written only after that batch is committed, atomically (temp file,
fsync, rename). Pickle is acceptable here because the file is written by this engine into its
own data directory; whoever can replace it can already rewrite the log. A snapshot whose header
does not match (other format, other Python, or engine code that changed since it was written: the
header carries a fingerprint of the pure packages' source) is ignored with a warning before its
engine is unpickled, and so is one that does not load: full replay still works, the log stays the
source of truth. Replaying the log with the new code is always correct; reusing pickled state from
older code is not (it may lack attributes the new code expects).
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import structlog

from zeebe.engine.api import Clock, EngineApi
from zeebe.runtime.batch import Batch

log = structlog.get_logger("zeebe.snapshots")
FORMAT = 1
_KEEP = 2


class Snapshotter:
    """Takes a snapshot every `every_records` committed records and on clean shutdown."""

    def __init__(self, directory: Path, *, every_records: int = 100_000) -> None:
        self.directory = directory
        self.every_records = every_records
        self._since_last = 0
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zeebe-snapshot")

    def restore(self, fresh: EngineApi, clock: Clock) -> tuple[EngineApi, int]:
        """The engine of the newest loadable snapshot and its position, else (fresh, 0)."""
        for path in reversed(snapshot_files(self.directory)):
            try:
                stream = io.BytesIO(path.read_bytes())
                header = _Unpickler(stream, clock).load()
                if header != _header():
                    log.warning("snapshot ignored: written by other code", path=str(path))
                    continue
                # A fresh unpickler: each pickle in the stream numbers its memo from zero.
                position, engine = _Unpickler(stream, clock).load()
            except Exception as error:  # unreadable: fall back to an older one or full replay
                log.warning("snapshot ignored", path=str(path), error=repr(error))
                continue
            return engine, int(position)
        return fresh, 0

    def capture_if_due(self, engine: EngineApi, clock: Clock, batch: Batch) -> None:
        """After enough records, pickle the engine now and persist it once `batch` commits."""
        self._since_last += len(batch.records)
        if not batch.records or self._since_last < self.every_records:
            return
        self._since_last = 0
        position = batch.records[-1].position
        try:
            blob = _dump(engine, clock, position)
        except Exception as error:  # an engine that cannot be pickled: run without snapshots
            log.error("snapshot failed; snapshots disabled", error=repr(error))
            self.every_records = sys.maxsize
            return
        batch.after_commit(functools.partial(self._schedule, position, blob))

    def _schedule(self, position: int, blob: bytes) -> None:
        self._writer.submit(self._write, position, blob)

    def capture_now(self, engine: EngineApi, clock: Clock, position: int) -> None:
        """Synchronous snapshot (shutdown: the log is drained and equals the engine state)."""
        if position <= 0:
            return
        try:
            self._write(position, _dump(engine, clock, position))
        except Exception as error:  # the log still has everything
            log.error("shutdown snapshot failed", error=repr(error))

    def _write(self, position: int, blob: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        final = self.directory / f"snapshot-{position:020d}.pickle"
        temporary = final.with_suffix(".tmp")
        with temporary.open("wb") as file:
            file.write(blob)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, final)
        _fsync_directory(self.directory)
        for old in snapshot_files(self.directory)[:-_KEEP]:
            old.unlink(missing_ok=True)
        log.info("snapshot written", position=position, bytes=len(blob))

    def close(self) -> None:
        """Wait for pending snapshot writes."""
        self._writer.shutdown(wait=True)


def _header() -> tuple[int, tuple[int, int], str]:
    return FORMAT, (sys.version_info.major, sys.version_info.minor), code_fingerprint()


PURE_PACKAGES = ("engine", "state", "model", "feel", "dmn")


@functools.cache
def code_fingerprint() -> str:
    """A digest of the source the pickled state depends on (the pure packages + records)."""
    root = Path(__file__).resolve().parent.parent
    files = [root / "records.py"]
    for package in PURE_PACKAGES:
        files.extend(sorted((root / package).rglob("*.py")))
    digest = hashlib.sha256()
    for file in files:
        digest.update(str(file.relative_to(root)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


class _Pickler(pickle.Pickler):
    """Pickles the engine but not its clock: the clock belongs to the runtime."""

    def __init__(self, file: io.BytesIO, clock: Clock) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._clock = clock

    def persistent_id(self, obj: Any) -> str | None:
        return "clock" if obj is self._clock else None


class _Unpickler(pickle.Unpickler):
    """Restores a snapshot, plugging in the runtime's clock."""

    def __init__(self, stream: io.BytesIO, clock: Clock) -> None:
        super().__init__(stream)
        self._clock = clock

    def persistent_load(self, pid: Any) -> Any:
        if pid == "clock":
            return self._clock
        raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")


def _dump(engine: EngineApi, clock: Clock, position: int) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, clock).dump(_header())  # read first, so a stale engine is never unpickled
    _Pickler(buffer, clock).dump((position, engine))
    return buffer.getvalue()


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def snapshot_files(directory: Path) -> list[Path]:
    """Snapshot files present (tests, diagnostics)."""
    return sorted(directory.glob("snapshot-*.pickle"))
