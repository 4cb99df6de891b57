"""Stacks of their own for the fault tests, with a Redis and a MongoDB they may stop.

The session stack's Redis may be shared with other sessions, so a test that stops Redis
or MongoDB builds its own: a private redis-server (no persistence, like a crashed cache)
and a SecantusDB on a fixed port and storage directory, both restartable.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar, cast

import httpx

from shared import events
from shared.documents import ProgressEvent
from shared.names import events_key
from tests.service.stack import Stack
from worker.cli.stack import free_port, wait_for_port

T = TypeVar("T")


class RedisServer:
    """A redis-server without persistence: a restart loses every key, queue included."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "no redis-server on PATH"
        self.workdir.mkdir(parents=True, exist_ok=True)
        no_persistence = ["--save", "", "--appendonly", "no"]
        self.proc = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(self.port), *no_persistence],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port("127.0.0.1", self.port)

    def __enter__(self) -> RedisServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def ensure_running(self) -> None:
        if self.proc is None:
            self.start()

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()  # a crash: nothing is saved
            self.proc.wait(timeout=10)
            self.proc = None


class MongoServer:
    """SecantusDB on a fixed port and storage: stop() then start() is a database restart
    that keeps the data (its storage is durable)."""

    def __init__(self, storage: Path) -> None:
        self.storage = storage
        self.port = free_port()
        self.server: Any = None

    @property
    def url(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/"

    def start(self) -> None:
        from secantus import SecantusDBServer  # GPL-2.0: test-only dependency

        self.server = SecantusDBServer(port=self.port, storage_path=str(self.storage))
        self.server.start()

    def ensure_running(self) -> None:
        if self.server is None:
            self.start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def __enter__(self) -> MongoServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def own_stack(
    tmp: Path,
    *,
    redis_url: str,
    mongodb_url: str,
    workers: tuple[str, ...],
    env: dict[str, str] | None = None,
    before_stop: Callable[[], None] | None = None,
) -> Iterator[Stack]:
    """API + workers on the given Redis and MongoDB, with extra environment."""
    stack = Stack(tmp, redis_url, mongodb_url)
    stack.env.update(env or {})
    try:
        stack.start_api()
        for name in workers:
            stack.start_worker(name)
        yield stack
    finally:
        if before_stop is not None:
            before_stop()  # bring stopped servers back, so cleanup can run
        stack.stop()


def client(stack: Stack) -> httpx.Client:
    return httpx.Client(base_url=stack.base_url, timeout=30, headers={"X-API-Key": stack.api_key})


def wait_for(what: str, probe: Callable[[], T | None], timeout_s: float, every_s: float = 0.2) -> T:
    """Poll until `probe` returns something truthy; fail naming `what` after the timeout (a
    guard against a hang, not a speed assertion)."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s:g} s waiting for {what}")
        time.sleep(every_s)


def job_doc(stack: Stack, job_id: str) -> dict[str, Any]:
    doc = stack.db["background_jobs"].find_one({"_id": job_id})
    assert doc is not None, job_id
    return doc


def stream_events(stack: Stack, job_id: str) -> list[ProgressEvent]:
    """The job's event stream as stored in Redis (what SSE replays)."""
    key = events_key(stack.prefix, job_id)
    entries = cast(list[tuple[str, dict[str, str]]], stack.redis.xrange(key))
    return [events.decode(fields) for _id, fields in entries]


def check_plan_days(stack: Stack, job: dict[str, Any]) -> None:
    """The stored days of a succeeded job: one per (date, slot), all from the attempt that
    finished it, and adding up to the totals the job reported."""
    days = list(stack.db["trainingplan"].find({"plan_id": job["plan_id"]}))
    result = job["result"]
    assert len(days) == result["days"] > 0, job["_id"]
    assert len({(d["date"], d["slot"]) for d in days}) == len(days), "duplicate day documents"
    assert {d["lease"] for d in days} == {job["lease"]}, "days of an abandoned attempt remain"
    assert sum(d["load"] for d in days) == result["total_load"]
    assert sum(d["duration_min"] for d in days) == result["total_minutes"]


def terminate_worker(stack: Stack, name: str, timeout_s: float = 60) -> float:
    """SIGTERM to the worker's main process only, as `docker stop` or Kubernetes send it
    (Celery's warm shutdown); seconds until it exited."""
    proc = stack.procs.pop(name)
    started = time.monotonic()
    os.kill(proc.pid, signal.SIGTERM)
    proc.wait(timeout=timeout_s)
    return time.monotonic() - started
