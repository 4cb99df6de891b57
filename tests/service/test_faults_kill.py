"""Fault (a): workers SIGKILLed mid-solve, again and again, while a batch of jobs flows.

Every job must end `succeeded` exactly once, with one attempt more than the kills it
suffered, its plan stored once (no duplicated or stray day documents), and each killed job
must be running again on another worker within 60 s, with the broker's visibility timeout
at its production default (900 s): the heartbeat recovery loop brings it back, not Redis.
Half the kills take the whole worker (a lost host), half only its pool process (what the
kernel's OOM killer does; Celery then requeues the message at once, and the new attempt
must not start before the dead one's heartbeat has gone stale).
"""

from __future__ import annotations

import itertools
import os
import signal
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.service.fault_stack import (
    check_plan_days,
    client,
    job_doc,
    own_stack,
    stream_events,
    wait_for,
)
from tests.service.helpers import TERMINAL, create_runner, generate, long_plan
from tests.service.stack import Stack
from worker.jobs.requeue import message_job

KILLS = 20
WORKERS = 3
KILL_EVERY_S = 2.5
SOLVE_S = 3.0  # each job solves for its whole time limit (gap 0 is never proven)
QUEUE_AHEAD = 2  # jobs kept waiting behind the busy workers
RECOVERY_BOUND_S = 60  # the bound; the heartbeat timeout makes it ~20-25 s


@dataclass
class Kill:
    job_id: str
    attempt: int
    lease: str
    worker: str
    at: datetime
    whole: bool  # the whole worker, or only the pool process solving


@pytest.mark.timeout(480)  # ~2 minutes; generous on a loaded machine
def test_repeated_worker_kills_lose_and_duplicate_nothing(stack: Stack, tmp_path: Path) -> None:
    # Own workers (and max attempts above the kills one job may suffer), on the session's
    # Redis and MongoDB under another prefix and database.
    with (
        own_stack(
            tmp_path,
            redis_url=stack.redis_url,
            mongodb_url=stack.mongodb_url,
            workers=tuple(f"k{i}" for i in range(1, WORKERS + 1)),
            env={"JOB_MAX_ATTEMPTS": "10"},
        ) as s,
        client(s) as api,
    ):
        runner_id = create_runner(api)
        jobs_coll = s.db["background_jobs"]
        jobs: list[str] = []
        kills: list[Kill] = []
        restart_errors: list[BaseException] = []
        restarts: list[threading.Thread] = []
        names = (f"k{i}" for i in itertools.count(WORKERS + 1))

        def restart(name: str) -> None:
            try:
                s.start_worker(name)
            except BaseException as exc:  # reported by the assertion below
                restart_errors.append(exc)

        last_kill = 0.0
        deadline = time.monotonic() + 200
        shots = itertools.count()
        while len(kills) < KILLS:
            assert time.monotonic() < deadline, f"only {len(kills)} kills"
            waiting = jobs_coll.count_documents({"state": "queued"})
            for _ in range(QUEUE_AHEAD - waiting):
                jobs.append(generate(api, runner_id, long_plan(time_limit_s=SOLVE_S)))
            if time.monotonic() - last_kill >= KILL_EVERY_S:
                victim = pick_victim(s)
                if victim is not None:
                    name, doc = victim
                    # Alternately the whole worker (a lost host, a killed container) and
                    # only its pool process (the kernel's OOM killer picks the solver).
                    whole = next(shots) % 2 == 0
                    killed_at = now()
                    if whole:
                        s.kill_worker(name)
                    else:
                        kill_pool_process(s, name)
                    last_kill = time.monotonic()
                    after = job_doc(s, doc["_id"])
                    if after["state"] == "running" and after["lease"] == doc["lease"]:
                        kills.append(
                            Kill(
                                doc["_id"],
                                doc["attempts"],
                                doc["lease"],
                                doc["worker"],
                                killed_at,
                                whole,
                            )
                        )
                    if whole:  # the pool replaces a killed process by itself
                        thread = threading.Thread(target=restart, args=(next(names),))
                        thread.start()
                        restarts.append(thread)
            time.sleep(0.2)

        for thread in restarts:
            thread.join()
        assert not restart_errors, restart_errors
        wait_for(
            "every job to finish",
            lambda: (
                jobs_coll.count_documents({"_id": {"$in": jobs}, "state": {"$in": [*TERMINAL]}})
                == len(jobs)
            ),
            timeout_s=150,
            every_s=0.5,
        )

        killed = Counter(k.job_id for k in kills)
        for job_id in jobs:
            job = job_doc(s, job_id)
            assert job["state"] == "succeeded", job
            assert job["attempts"] == 1 + killed[job_id], job
            events = stream_events(s, job_id)
            kinds = [e.event for e in events]
            assert kinds.count("succeeded") == 1, kinds
            starts = [e.attempt for e in events if e.event == "started"]
            assert starts == list(range(1, job["attempts"] + 1)), starts
            check_plan_days(s, job)

        latencies = []
        for kill in kills:
            events = stream_events(s, kill.job_id)
            restarted = next(
                e for e in events if e.event == "started" and e.attempt == kill.attempt + 1
            )
            latency = (restarted.at - kill.at).total_seconds()
            assert 0 < latency <= RECOVERY_BOUND_S, (kill, latency)
            latencies.append(latency)
            if kill.whole:  # the next attempt ran on another worker: the killed one is gone
                assert job_doc(s, kill.job_id)["worker"] != kill.worker

        # The dead workers' messages were put back, not left to the 15-minute visibility
        # sweep, and every duplicate was consumed: nothing waits in Redis.
        celery = f"{s.prefix}:celery:"
        try:
            wait_for(
                "an empty queue and no unacknowledged message",
                lambda: (
                    s.redis.llen(celery + s.prefix) == 0 and s.redis.hlen(celery + "unacked") == 0
                ),
                timeout_s=30,
            )
        except AssertionError:
            # The known gap: a worker killed between taking a message and claiming its job
            # leaves that message to the visibility sweep. Harmless only when nothing is
            # queued and every such message is of a job that already finished (a late
            # redelivery of a finished job is dropped: test_workers.py).
            left = [message_job(v) for v in s.redis.hvals(celery + "unacked")]
            assert s.redis.llen(celery + s.prefix) == 0
            assert left and all(
                m is not None and job_doc(s, m[0])["state"] == "succeeded" for m in left
            ), left
            print(f"\nleft to the visibility sweep (finished jobs): {left}")
        print(
            f"\nkills={len(kills)} (whole worker {sum(k.whole for k in kills)}) jobs={len(jobs)} "
            f"kill->running again p50={statistics.median(latencies):.1f}s "
            f"max={max(latencies):.1f}s"
        )


def pick_victim(s: Stack) -> tuple[str, dict[str, Any]] | None:
    """A worker of ours mid-solve: its job started 0.8-2 s ago, so at least 1 s remains."""
    start = now()
    for doc in s.db["background_jobs"].find(
        {
            "state": "running",
            "started_at": {
                "$gte": start - timedelta(seconds=SOLVE_S - 1),
                "$lte": start - timedelta(seconds=0.8),
            },
        }
    ):
        # job.worker is "<host>:<node>@<host>", the node "<name>-<stack id>".
        name = str(doc["worker"]).split(":", 1)[1].split("@")[0].rsplit("-", 1)[0]
        if name in s.procs:
            return name, doc
    return None


def kill_pool_process(s: Stack, name: str) -> None:
    """SIGKILL the worker's pool process (concurrency 1: its only child), not the worker."""
    pid = s.procs[name].pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    assert children, f"worker {name} has no pool process"
    for child in children:
        os.kill(int(child), signal.SIGKILL)


def now() -> datetime:
    return datetime.now(UTC)
