"""Service settings, read from the environment (and `.env`), shared by API and workers."""

from __future__ import annotations

import math
import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.apikeys import parse_configured
from shared.planning import WALL_BACKSTOP


def available_cpus() -> int:
    """CPUs this process may use: its CPU set, capped by a cgroup v2 CPU quota (containers
    started with `--cpus` / compose `cpus:` see every host CPU but may only use the quota)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            cpus = min(cpus, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError):
        pass
    return max(1, cpus)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    redis_url: str = "redis://127.0.0.1:6379/0"
    # None: `trainplan dev` starts an embedded SecantusDB; the services themselves need a URL.
    mongodb_url: str | None = None
    mongodb_db: str = "trainplan"
    mongodb_timeout_ms: int = Field(default=3000, ge=100, description="server selection timeout")
    # Connections per API process. Bursts then queue in the driver instead of opening
    # dozens of connections at once: measured, 300 submissions at 100/s went from p99
    # 865 ms (driver default 100) to 150 ms with 10 (README, "Load: figures").
    mongodb_max_pool_size: int = Field(default=10, ge=1, le=500)

    # Prefix of every Redis key (events, cancel flags, Celery's own keys): several
    # deployments or test sessions can share one Redis without seeing each other.
    redis_prefix: str = "trainplan"
    celery_queue: str = "trainplan"

    solver_time_limit_s: float = Field(default=10.0, gt=0, description="default per plan")
    solver_max_time_limit_s: float = Field(default=300.0, gt=0, description="per-request cap")
    # CP-SAT threads per solve; 0 = from the CPUs (at most 4, more rarely helps CP-SAT here).
    solver_threads: int = Field(default=0, ge=0, le=64)
    # Celery worker processes; 0 = CPUs / solver threads.
    worker_concurrency: int = Field(default=0, ge=0, le=256)

    # Must exceed the longest solve, or Redis hands a running job to a second worker.
    celery_visibility_timeout_s: int = Field(default=900, ge=1)
    celery_restore_interval_s: int = Field(default=30, ge=1, description="unacked sweep period")
    job_max_attempts: int = Field(default=3, ge=1, le=20)
    events_ttl_s: int = Field(default=7 * 24 * 3600, ge=60, description="event streams expire")
    progress_db_interval_s: float = Field(default=1.0, ge=0, description="job doc update throttle")
    cancel_poll_interval_s: float = Field(default=0.2, gt=0, le=1)

    # Access: `tenant:<sha256 of key>` entries (comma-separated), besides the keys stored in
    # MongoDB by `trainplan keys create`. Every route but health, metrics and the page needs one.
    api_keys: str = Field(default="", repr=False)
    api_key_cache_s: float = Field(default=30.0, ge=0, description="revocation takes this long")
    # Browser origins allowed to call the API; empty = CORS off.
    cors_origins: list[str] = Field(default_factory=list)
    max_body_bytes: int = Field(default=1_000_000, ge=1024, description="larger bodies: 413")
    # `POST /runners/{id}/activities/upload`: all the files of one request, and how many.
    max_upload_bytes: int = Field(default=25_000_000, ge=1024, description="larger uploads: 413")
    max_upload_files: int = Field(default=20, ge=1, le=1000)
    # Logs of `trainplan api` / `trainplan worker`: one JSON object per line, or plain text.
    log_format: Literal["json", "text"] = "json"

    # Fault recovery (worker/jobs/recovery.py): a running attempt stamps `heartbeat_at` on its job
    # every interval; a job whose stamp is older than the timeout lost its worker and is
    # queued again by the recovery loop every worker runs (independent of the visibility
    # timeout). Queued jobs whose broker message vanished (Redis restarted without
    # persistence) are enqueued again by the same loop.
    job_heartbeat_interval_s: float = Field(default=3.0, gt=0, le=60)
    job_heartbeat_timeout_s: float = Field(default=20.0, gt=0, le=3600)
    job_recovery_interval_s: float = Field(default=5.0, gt=0, le=300)
    # Saving a solved plan retries with backoff this long while MongoDB is unreachable.
    job_persist_timeout_s: float = Field(default=120.0, ge=0, le=3600)

    @model_validator(mode="after")
    def _limits_consistent(self) -> Settings:
        if self.solver_time_limit_s > self.solver_max_time_limit_s:
            raise ValueError("SOLVER_TIME_LIMIT_S must not exceed SOLVER_MAX_TIME_LIMIT_S")
        parse_configured(self.api_keys)  # a malformed entry stops startup, not a request
        if self.job_heartbeat_timeout_s < 2 * self.job_heartbeat_interval_s:
            raise ValueError(
                "JOB_HEARTBEAT_TIMEOUT_S must be at least 2 x JOB_HEARTBEAT_INTERVAL_S"
            )
        return self

    @property
    def configured_keys(self) -> dict[str, str]:
        """{sha256 of key: tenant} from `API_KEYS`."""
        return parse_configured(self.api_keys)

    @property
    def threads_per_solve(self) -> int:
        return self.solver_threads or min(4, available_cpus())

    @property
    def concurrency(self) -> int:
        return self.worker_concurrency or max(1, available_cpus() // self.threads_per_solve)

    @property
    def task_soft_time_limit_s(self) -> int:
        """Above the solver's own wall limit (a repeatable search may run to WALL_BACKSTOP
        times its time limit): model building and saving (with its retries while MongoDB is
        away) take time too."""
        solve = self.solver_max_time_limit_s * WALL_BACKSTOP * 1.2
        return int(solve + 60 + self.job_persist_timeout_s)

    @property
    def task_time_limit_s(self) -> int:
        return self.task_soft_time_limit_s + 30


@lru_cache
def get_settings() -> Settings:
    return Settings()
