"""The settings' consistency checks."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.settings import Settings


def test_heartbeat_timeout_must_allow_missed_beats() -> None:
    with pytest.raises(ValidationError, match="JOB_HEARTBEAT_TIMEOUT_S"):
        Settings(job_heartbeat_interval_s=5, job_heartbeat_timeout_s=6)
    assert Settings(job_heartbeat_interval_s=3, job_heartbeat_timeout_s=6)
