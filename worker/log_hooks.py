"""Worker logging: our format instead of Celery's, and the job id on a task's records."""

from __future__ import annotations

import contextlib
import logging
import os
from typing import Any

import celery.apps.worker as celery_worker
from celery import Celery, Task, signals

from shared.logs import JsonFormatter, LogFormat, bind_job_id, configure, unbind_job_id
from shared.names import GENERATE_PLAN_TASK

STDERR = 2


def say_json(msg: str, f: Any = None) -> None:
    """Celery's shutdown notices ("worker: Warm shutdown"), written from signal handlers
    straight to the file descriptor (no logging locks there): as JSON lines too."""
    record = logging.LogRecord("celery.apps.worker", logging.INFO, "", 0, msg.strip(), None, None)
    with contextlib.suppress(OSError):
        os.write(STDERR, (JsonFormatter().format(record) + "\n").encode())


# Token of the bound job id per running task (prefork: one at a time per process).
_tokens: dict[str, object] = {}


def install(app: Celery, fmt: LogFormat, level: str) -> None:
    """Before `worker_main`: pool processes are forked from this one and inherit it all."""
    # At once, not only when Celery asks: it warns (e.g. about running as root) before that.
    configure(fmt, level)
    logging.captureWarnings(True)

    if fmt == "json":
        celery_worker.safe_say = say_json

    def setup_logging(loglevel: int | str | None = None, **_: Any) -> None:
        configure(fmt, loglevel or "INFO")
        if fmt == "json":
            # Stray prints (and anything else written to sys.stdout/stderr) become records too.
            app.log.redirect_stdouts("WARNING")

    def bind(task_id: str, task: Task, args: tuple[Any, ...] = (), **_: Any) -> None:
        if task.name == GENERATE_PLAN_TASK:
            _tokens[task_id] = bind_job_id(str(args[0]) if args else task_id)

    def unbind(task_id: str, **_: Any) -> None:
        token = _tokens.pop(task_id, None)
        if token is not None:
            unbind_job_id(token)

    # A receiver of setup_logging stops Celery from configuring logging itself.
    signals.setup_logging.connect(setup_logging, weak=False)
    signals.task_prerun.connect(bind, weak=False)
    signals.task_postrun.connect(unbind, weak=False)
