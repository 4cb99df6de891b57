"""Reading kombu's unacknowledged entries (which job a held message is for)."""

from __future__ import annotations

import json

from shared.names import GENERATE_PLAN_TASK
from worker.jobs.requeue import message_job


def unacked_entry(task: str, task_id: str, eta: str | None = None) -> str:
    payload = {"headers": {"task": task, "id": task_id, "eta": eta}, "body": "..."}
    return json.dumps([payload, "", "trainplan"])


def test_message_job_reads_our_unacked_entries() -> None:
    assert message_job(unacked_entry(GENERATE_PLAN_TASK, "job1")) == ("job1", False)
    eta = "2030-01-01T00:00:00+00:00"
    assert message_job(unacked_entry(GENERATE_PLAN_TASK, "job2", eta)) == ("job2", True)
    assert message_job(unacked_entry("other.task", "x")) is None
    assert message_job("not json") is None
    assert message_job(None) is None
