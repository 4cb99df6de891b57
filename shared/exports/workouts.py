"""One session as a device workout, whatever the file format (FIT, ZWO): which plan rows
become files, what they are called, the steps a file is written from, and the zip of a plan.

A session without steps (a custom schema that defines none) still becomes a workout: one
open step of its duration, its definition as the step's notes. Rest days make no file.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from shared.exports.summary import is_session
from shared.markers import Markers
from shared.planning import PlanDay
from shared.steps import RepeatStep, Step
from shared.zones import predicted_time_s

WORKOUT_AUTHOR = "trainplan"
FIVE_K_M = 5000.0


@dataclass(frozen=True)
class Reference:
    """The athlete's own numbers a device scales relative targets by (Zwift takes a bike
    target as a fraction of FTP, a run target as a fraction of the runner's 5 km pace).
    FIT takes absolute targets and needs none."""

    ftp_w: float | None = None
    five_k_s_per_km: float | None = None

    @classmethod
    def of(cls, markers: Markers | None) -> Reference:
        """From the athlete's markers: the FTP, and the 5 km race pace of their VDOT."""
        if markers is None:
            return cls()
        vdot = markers.zones().vdot
        five_k = predicted_time_s(vdot, FIVE_K_M) / (FIVE_K_M / 1000) if vdot else None
        return cls(ftp_w=markers.ftp_w, five_k_s_per_km=five_k)


def workout_steps(day: PlanDay) -> list[Step | RepeatStep]:
    """The session's steps; without any, one open step of its duration."""
    if day.steps:
        return list(day.steps)
    return [Step(type="active", duration_s=max(day.duration_min, 1) * 60)]


def step_notes(day: PlanDay) -> str | None:
    """The notes of a session exported without steps: its definition."""
    return None if day.steps else (day.session_definition or None)


def workout_name(day: PlanDay) -> str:
    return f"{day.session_code} {day.session_type}".strip()


def file_name(day: PlanDay, extension: str) -> str:
    """`YYYY-MM-DD-<slot>-<CODE>.<extension>`: sorts by date, one name per session."""
    return f"{day.date:%Y-%m-%d}-{day.slot}-{day.session_code}.{extension}"


def serial_number(day: PlanDay) -> int:
    """A number naming the session (FIT's file id), the same on every export of it."""
    raw = f"{day.date.isoformat()}|{day.slot}|{day.session_code}".encode()
    return int.from_bytes(hashlib.sha256(raw).digest()[:4], "big") or 1


@dataclass(frozen=True)
class WorkoutFormat:
    """A device file of one session: `trainplan plan --format NAME --out DIR`,
    `GET /training-plans/{id}/days/{date}/workout.EXT`, `.../workouts.zip?format=NAME`."""

    name: str
    extension: str
    media_type: str
    render: Callable[[PlanDay, Reference], bytes]
    # Why this format cannot hold the session (a sport it has no workouts for), or None.
    refusal: Callable[[PlanDay], str | None]

    def sessions(self, days: Iterable[PlanDay]) -> list[PlanDay]:
        """The rows that become files: sessions (not rest days) this format holds."""
        return [d for d in days if is_session(d) and self.refusal(d) is None]


def zip_workouts(days: Iterable[PlanDay], fmt: WorkoutFormat, reference: Reference) -> bytes:
    """One file per session of `days` that `fmt` holds, in one zip (stamped with each
    session's date, so the same plan zips to the same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for day in fmt.sessions(days):
            info = zipfile.ZipInfo(file_name(day, fmt.extension), date_time=_stamp(day))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, fmt.render(day, reference))
    return buffer.getvalue()


def _stamp(day: PlanDay) -> tuple[int, int, int, int, int, int]:
    return (max(day.date.year, 1980), day.date.month, day.date.day, 0, 0, 0)
