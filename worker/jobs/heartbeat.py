"""A running attempt's heartbeat on its job document.

The attempt stamps `heartbeat_at` every `JOB_HEARTBEAT_INTERVAL_S` from a daemon thread
(CP-SAT releases the GIL, so the thread beats during a solve). A `running` job whose stamp
is older than `JOB_HEARTBEAT_TIMEOUT_S` has lost its worker (SIGKILL, OOM, lost host): the
recovery loop queues it again, and a new attempt may take it over (`lifecycle.abandoned`).
"""

from __future__ import annotations

import logging

from pymongo.errors import PyMongoError

from worker.jobs import lifecycle
from worker.jobs.lifecycle import Jobs
from worker.jobs.ticker import Ticker

log = logging.getLogger(__name__)


class Heartbeat(Ticker):
    """Stamps `heartbeat_at` while the attempt holding `lease` runs the job."""

    def __init__(self, jobs: Jobs, job_id: str, lease: str, interval_s: float) -> None:
        super().__init__(interval_s, "job-heartbeat", join_timeout_s=5)
        self._jobs, self._job_id, self._lease = jobs, job_id, lease
        self._failing = False

    def beat(self) -> None:
        try:
            self._jobs.update(lifecycle.beat(self._job_id, self._lease))
            if self._failing:
                log.info("job %s: heartbeat restored", self._job_id)
            self._failing = False
        except PyMongoError as exc:
            # MongoDB away: the recovery loop cannot see it either, and waits for it to be
            # back for a whole timeout before judging heartbeats (see recovery.py).
            if not self._failing:
                log.warning("job %s: heartbeat failed: %s", self._job_id, exc)
            self._failing = True

    def tick(self) -> bool:
        self.beat()
        return False
