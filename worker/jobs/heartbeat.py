"""A running attempt's heartbeat on its job document.

The attempt stamps `heartbeat_at` every `JOB_HEARTBEAT_INTERVAL_S` from a daemon thread
(CP-SAT releases the GIL, so the thread beats during a solve). A `running` job whose stamp
is older than `JOB_HEARTBEAT_TIMEOUT_S` has lost its worker (SIGKILL, OOM, lost host): the
recovery loop queues it again, and a new attempt may take it over (`lifecycle.abandoned`).
"""

from __future__ import annotations

import logging
import threading
from types import TracebackType

from pymongo.errors import PyMongoError

from worker.jobs import lifecycle
from worker.jobs.lifecycle import Jobs

log = logging.getLogger(__name__)


class Heartbeat:
    """Stamps `heartbeat_at` while the attempt holding `lease` runs the job."""

    def __init__(self, jobs: Jobs, job_id: str, lease: str, interval_s: float) -> None:
        self._jobs, self._job_id, self._lease, self._interval = jobs, job_id, lease, interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="job-heartbeat", daemon=True)
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

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.beat()

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
