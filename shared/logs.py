"""Logging for the API and the workers: one JSON object per line (or plain text for humans).

Every record carries `time`, `level`, `logger` and `message`; records written while a job
is being handled also carry its `job_id` (bound with `job_context`, or taken from Celery's
own "Task ...[id] received/succeeded" records, whose task id is the job id).
"""

from __future__ import annotations

import contextlib
import json
import logging
import logging.config
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal

from shared.names import GENERATE_PLAN_TASK

LogFormat = Literal["json", "text"]

_job_id: ContextVar[str | None] = ContextVar("job_id", default=None)

# Extras that are not data: ours for the text format; uvicorn's message with ANSI colours.
_NOT_FIELDS = frozenset({"job_tag", "color_message"})
# Attributes every LogRecord has; anything else was passed with `extra=` and is emitted too.
_STANDARD = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys() | {"message", "asctime"}
)


def current_job_id() -> str | None:
    return _job_id.get()


def bind_job_id(job_id: str | None) -> object:
    """Set the job id of this context's records; returns a token for `unbind_job_id`."""
    return _job_id.set(job_id)


def unbind_job_id(token: object) -> None:
    _job_id.reset(token)  # type: ignore[arg-type]


@contextlib.contextmanager
def job_context(job_id: str) -> Iterator[None]:
    token = _job_id.set(job_id)
    try:
        yield
    finally:
        _job_id.reset(token)


def _job_id_of(record: logging.LogRecord) -> str | None:
    explicit = getattr(record, "job_id", None)
    if explicit:
        return str(explicit)
    bound = _job_id.get()
    if bound:
        return bound
    # Celery's task records ("Task %(name)s[%(id)s] received") name the task in their args.
    args = record.args
    if (
        record.name.startswith("celery")
        and isinstance(args, Mapping)
        and args.get("name") == GENERATE_PLAN_TASK
    ):
        task_id = args.get("id")
        return str(task_id) if task_id else None
    return None


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        job_id = _job_id_of(record)
        if job_id:
            entry["job_id"] = job_id
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry and key not in _NOT_FIELDS:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Plain text for humans, with `[job <id>]` after the logger name while a job is handled."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(job_tag)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        job_id = _job_id_of(record)
        record.job_tag = f" [job {job_id}]" if job_id else ""
        return super().format(record)


def logging_config(fmt: LogFormat, level: str | int = "INFO") -> dict[str, Any]:
    """A `logging.config.dictConfig` dict: one stderr handler on the root logger, which
    uvicorn's and Celery's loggers propagate to (usable as uvicorn's `log_config`)."""
    formatter = {"()": JsonFormatter if fmt == "json" else TextFormatter}
    level_name = logging.getLevelName(level) if isinstance(level, int) else level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": level_name},
        # uvicorn configures its own handlers unless told otherwise: route them to the root.
        "loggers": {
            name: {"handlers": [], "propagate": True, "level": level_name}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "celery")
        },
    }


def configure(fmt: LogFormat, level: str | int = "INFO") -> None:
    logging.config.dictConfig(logging_config(fmt, level))
