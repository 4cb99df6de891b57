"""The small pure parts of fault recovery: the persistence retry's bound, reading kombu's
unacknowledged entries, and the settings' consistency check (no processes needed)."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError
from pymongo.errors import AutoReconnect, OperationFailure, ServerSelectionTimeoutError

from shared.names import GENERATE_PLAN_TASK
from shared.settings import Settings
from worker import persistence
from worker.persistence import retry_db
from worker.requeue import message_job


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(persistence, "FIRST_DELAY_S", 0.0)


def test_retry_db_retries_connection_failures_until_it_works() -> None:
    failures = [ServerSelectionTimeoutError("down"), AutoReconnect("dropped")]

    def save() -> str:
        if failures:
            raise failures.pop(0)
        return "saved"

    assert retry_db(save, what="save", job_id="j", timeout_s=60) == "saved"
    assert failures == []


def test_retry_db_gives_up_past_its_bound() -> None:
    calls = []

    def save() -> None:
        calls.append(1)
        raise ServerSelectionTimeoutError("still down")

    with pytest.raises(ServerSelectionTimeoutError):
        retry_db(save, what="save", job_id="j", timeout_s=0)
    assert len(calls) == 1


def test_retry_db_does_not_retry_other_errors() -> None:
    calls = []

    def save() -> None:
        calls.append(1)
        raise OperationFailure("bad update")

    with pytest.raises(OperationFailure):
        retry_db(save, what="save", job_id="j", timeout_s=60)
    assert len(calls) == 1


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


def test_heartbeat_timeout_must_allow_missed_beats() -> None:
    with pytest.raises(ValidationError, match="JOB_HEARTBEAT_TIMEOUT_S"):
        Settings(job_heartbeat_interval_s=5, job_heartbeat_timeout_s=6)
    assert Settings(job_heartbeat_interval_s=3, job_heartbeat_timeout_s=6)
