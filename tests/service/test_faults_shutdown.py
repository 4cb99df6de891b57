"""Fault (d): SIGTERM to a worker mid-solve (a deploy, a scale-down, `docker stop`).

The warm shutdown must hand the running job back to the queue at once, neither waiting
for the solve to end nor losing it; another worker then runs it to success.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.service.fault_stack import check_plan_days, job_doc, terminate_worker
from tests.service.helpers import (
    create_runner,
    events_until_terminal,
    generate,
    iter_sse,
    long_plan,
)
from tests.service.stack import Stack

TIME_LIMIT_S = 10


def test_sigterm_hands_the_running_job_back(api: httpx.Client, stack: Stack) -> None:
    job_id = generate(api, create_runner(api), long_plan(time_limit_s=TIME_LIMIT_S))
    for event in iter_sse(api, job_id):
        if event.event == "progress":
            break
    first = job_doc(stack, job_id)
    node = str(first["worker"]).split(":", 1)[1].split("@")[0]
    victim = next(n for n in ("w1", "w2") if stack.node(n) == node)
    sigterm_at = datetime.now(UTC)
    exit_s = terminate_worker(stack, victim)
    try:
        events = events_until_terminal(api, job_id)
        kinds = [e.event for e in events]
        assert kinds.count("succeeded") == 1, kinds
        started = [e.data["attempt"] for e in events if e.event == "started"]
        assert started == [1, 2], kinds
        # Back in the queue between the two attempts, announced to the job's followers.
        requeued = kinds.index("queued", 1)
        assert kinds.index("started") < requeued < kinds.index("started", requeued)

        job = job_doc(stack, job_id)
        assert job["state"] == "succeeded" and job["attempts"] == 2
        assert job["requeues"] == 1 and "shut down" in job["requeue_reason"]
        assert job["handbacks"] == 1  # a clean hand-back does not use up an attempt
        # Handed back long before the first attempt's solve would have ended, and by the
        # shutdown (not by the heartbeat timeout): the worker did not wait the solve out.
        assert (
            sigterm_at < job["requeued_at"] < first["started_at"] + timedelta(seconds=TIME_LIMIT_S)
        )
        assert job["worker"] != first["worker"]
        check_plan_days(stack, job)
        handback_s = (job["requeued_at"] - sigterm_at).total_seconds()
        print(f"\nSIGTERM -> job back in the queue {handback_s:.2f}s, worker exited {exit_s:.2f}s")
    finally:
        stack.start_worker(victim)
