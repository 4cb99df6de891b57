"""Fault (b): Redis (broker and event streams) stops while jobs are queued and running,
then comes back empty (no persistence: the queue is gone).

Meanwhile the API answers 503 with a message and readiness fails; running solves go on
and save to MongoDB; after the restart the workers reconnect by themselves, the recovery
loop enqueues the queued jobs whose messages vanished, and every job succeeds once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.service.fault_stack import (
    RedisServer,
    check_plan_days,
    client,
    job_doc,
    own_stack,
    wait_for,
)
from tests.service.helpers import create_runner, generate, long_plan, short_plan
from tests.service.stack import Stack


def test_redis_restart_loses_no_job(stack: Stack, tmp_path: Path) -> None:
    with (
        RedisServer(tmp_path / "redis") as redis_server,
        own_stack(
            tmp_path,
            redis_url=redis_server.url,
            mongodb_url=stack.mongodb_url,  # MongoDB stays up here
            workers=("r1", "r2"),
            before_stop=redis_server.ensure_running,
        ) as s,
        client(s) as api,
    ):
        runner_id = create_runner(api)
        running = [generate(api, runner_id, long_plan(time_limit_s=5)) for _ in range(2)]
        queued = [generate(api, runner_id, short_plan()) for _ in range(3)]
        wait_for(
            "both workers to be solving",
            lambda: all(job_doc(s, j)["state"] == "running" for j in running),
            timeout_s=60,
        )

        redis_server.stop()
        try:
            ready = api.get("/readyz")
            assert ready.status_code == 503, ready.text
            assert ready.json()["checks"]["redis"].startswith("unreachable"), ready.text
            refused = api.post(f"/runners/{runner_id}/training-plans/generate", json=short_plan())
            assert refused.status_code == 503, refused.text
            assert "Redis" in refused.json()["detail"]
            # Job state lives in MongoDB: still readable.
            waiting = api.get(f"/jobs/{queued[0]}")
            assert waiting.status_code == 200 and waiting.json()["state"] == "queued"
            # Running solves do not need Redis: they finish and save their plans.
            wait_for(
                "the running jobs to succeed without Redis",
                lambda: all(job_doc(s, j)["state"] == "succeeded" for j in running),
                timeout_s=60,
            )
            assert all(job_doc(s, j)["state"] == "queued" for j in queued)
        finally:
            redis_server.start()
        restarted_at = datetime.now(UTC)

        wait_for("readiness", lambda: api.get("/readyz").status_code == 200, timeout_s=30)
        after = generate(api, runner_id, short_plan())
        jobs = [*running, *queued, after]
        wait_for(
            "every job to succeed after the restart",
            lambda: all(job_doc(s, j)["state"] == "succeeded" for j in jobs),
            timeout_s=120,
            every_s=0.5,
        )
        for job_id in jobs:
            job = job_doc(s, job_id)
            assert job["attempts"] == 1, job  # nothing ran twice
            check_plan_days(s, job)
        for job_id in queued:  # their messages vanished with Redis: enqueued again
            assert job_doc(s, job_id)["started_at"] > restarted_at - timedelta(seconds=1)
        back = max(job_doc(s, j)["started_at"] for j in queued) - restarted_at
        print(f"\nRedis back -> all lost jobs running again {back.total_seconds():.1f}s")
        celery = f"{s.prefix}:celery:"
        wait_for(
            "an empty queue",
            lambda: s.redis.llen(celery + s.prefix) == 0 and s.redis.hlen(celery + "unacked") == 0,
            timeout_s=30,
        )
