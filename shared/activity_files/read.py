"""One activity file in, one summarised activity out (or a reason it cannot be)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from shared.activity_files.fit import is_fit, read_fit
from shared.activity_files.gpx import read_gpx
from shared.activity_files.load import FileLoadSource, rate_recording
from shared.activity_files.recording import (
    FileFormat,
    Recording,
    normalized_power,
    time_weighted_mean,
)
from shared.activity_files.tcx import read_tcx
from shared.activity_files.xml_read import local, parse_xml
from shared.replanning import LoadInputError

FORMATS = ("fit", "gpx", "tcx")
MAX_DURATION_S = 24 * 3600
MAX_PACE_S_PER_KM = 1800  # slower than 30 min/km: no pace given (ActivityIn's range)


class ActivityFileError(ValueError):
    """A file that cannot be stored as an activity; the message names the file."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name, self.reason = name, reason


def read_activity_file(name: str, data: bytes) -> Recording:
    """The file decoded, its format told by its content (any name); ActivityFileError."""
    try:
        if is_fit(data):
            return read_fit(data)
        head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if head != b"<":
            raise ValueError("not a FIT, GPX or TCX file")
        root = parse_xml(data)
        kind = local(root.tag)
        if kind == "gpx":
            return read_gpx(data)
        if kind == "TrainingCenterDatabase":
            return read_tcx(root)
        raise ValueError(f"an XML document <{kind}>, not GPX or TCX")
    except ValueError as exc:
        raise ActivityFileError(name, str(exc)) from None


@dataclass(frozen=True)
class FileActivity:
    """An activity file's figures, as stored (rounded)."""

    file_name: str
    format: FileFormat
    sha256: str
    size_bytes: int
    date: date
    sport: str
    duration_min: float
    distance_km: float | None
    avg_pace_s_per_km: float | None
    avg_hr: float | None
    avg_power_w: float | None
    normalized_power_w: float | None
    load: float
    load_source: FileLoadSource


def summarise(name: str, data: bytes, thresholds: dict[str, float]) -> FileActivity:
    """Read, check and rate a file (`thresholds` as `RunnerIn.activity_thresholds`)."""
    rec = read_activity_file(name, data)
    if rec.duration_s <= 0:
        raise ActivityFileError(name, "no recorded time (a duration of 0)")
    if rec.duration_s > MAX_DURATION_S:
        raise ActivityFileError(name, f"{rec.duration_s / 3600:.1f} hours: longer than a day")
    distance_km = rec.distance_m / 1000 if rec.distance_m else None
    pace = rec.duration_s / distance_km if distance_km else None
    if pace is not None and pace > MAX_PACE_S_PER_KM:
        pace = None
    try:
        load, source = rate_recording(rec, pace, thresholds)
    except LoadInputError as exc:
        raise ActivityFileError(name, str(exc)) from None
    avg_hr, avg_power = time_weighted_mean(rec.heart_rate), time_weighted_mean(rec.power)
    np_w = normalized_power(rec.power)
    return FileActivity(
        file_name=name,
        format=rec.format,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        date=rec.date,
        sport=rec.sport,
        duration_min=round(rec.duration_s / 60, 2),
        distance_km=round(distance_km, 3) if distance_km else None,
        avg_pace_s_per_km=round(pace, 1) if pace else None,
        avg_hr=round(avg_hr, 1) if avg_hr else None,
        avg_power_w=round(avg_power, 1) if avg_power else None,
        normalized_power_w=round(np_w, 1) if np_w else None,
        load=load,
        load_source=source,
    )
