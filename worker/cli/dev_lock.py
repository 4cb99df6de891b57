"""One `trainplan dev` per data directory: a second one on the same directory says where
the first one runs (instead of the embedded MongoDB's lock traceback)."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

LOCK_FILE = "dev.lock"


class AlreadyRunning(RuntimeError):
    """Another `trainplan dev` holds the data directory."""


@contextlib.contextmanager
def data_dir_lock(data_dir: Path, address: str) -> Iterator[None]:
    """Hold `DATA_DIR/dev.lock` (an advisory lock the system drops when the process ends,
    however it ends) and write in it who holds it; AlreadyRunning naming the holder."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / LOCK_FILE
    with path.open("a+", encoding="utf-8") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise AlreadyRunning(
                f"already running on the data directory {data_dir} "
                f"({holder}); stop it first, or give another --data-dir"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}, API on {address}\n")
        fh.flush()
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)
