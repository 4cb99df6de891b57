"""The persistence retry's bound: which MongoDB errors it retries, and for how long."""

from __future__ import annotations

import pytest
from pymongo.errors import AutoReconnect, OperationFailure, ServerSelectionTimeoutError

from worker.jobs import persistence
from worker.jobs.persistence import retry_db


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
