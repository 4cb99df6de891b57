"""FIT activity files (Garmin, Wahoo, Coros, Suunto...), decoded with fitdecode; the CRCs
are checked. The session messages give the sport, the timer time and the distance; the
record messages the heart-rate and power streams; the activity message the local time."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import fitdecode

from shared.activity_files.recording import Recording, Stream
from shared.activity_files.sports import trainplan_sport

FIT_SIGNATURE = b".FIT"


def is_fit(data: bytes) -> bool:
    return len(data) >= 12 and data[0] in (12, 14) and data[8:12] == FIT_SIGNATURE


def _utc(moment: Any) -> datetime | None:
    if not isinstance(moment, datetime):
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def read_fit(data: bytes) -> Recording:
    """ValueError with the reason when the file is not a readable FIT activity."""
    messages: dict[str, list[fitdecode.FitDataMessage]] = {}
    try:
        with fitdecode.FitReader(
            io.BytesIO(data),
            check_crc=fitdecode.CrcCheck.RAISE,
            error_handling=fitdecode.ErrorHandling.RAISE,
        ) as fit:
            for frame in fit:
                if frame.frame_type == fitdecode.FIT_FRAME_DATA:
                    messages.setdefault(frame.name, []).append(frame)
    except fitdecode.FitCRCError:
        raise ValueError("the FIT file is damaged (its CRC does not match)") from None
    except fitdecode.FitEOFError:
        raise ValueError("the FIT file is truncated") from None
    except Exception as exc:  # any decoding failure of untrusted bytes is the file's fault
        raise ValueError(f"the FIT file cannot be decoded ({exc})") from None

    file_type = next(
        (m.get_value("type", fallback=None) for m in messages.get("file_id", [])), None
    )
    if file_type not in (None, "activity"):
        raise ValueError(f"a FIT {file_type} file, not a recorded activity")
    records = [
        (when, m)
        for m in messages.get("record", [])
        if (when := _utc(m.get_value("timestamp", fallback=None))) is not None
    ]
    sessions = messages.get("session", [])
    starts = [_utc(s.get_value("start_time", fallback=None)) for s in sessions]
    start = min((s for s in starts if s is not None), default=None) or min(
        (when for when, _ in records), default=None
    )
    if start is None:
        raise ValueError("the FIT file has no timestamps: not a recorded activity")

    def stream(field: str) -> Stream:
        out: Stream = []
        for when, m in records:
            value = m.get_value(field, fallback=None)
            if isinstance(value, int | float):
                out.append(((when - start).total_seconds(), float(value)))
        return out

    def total(field: str) -> float | None:
        values = [s.get_value(field, fallback=None) for s in sessions]
        numbers = [float(v) for v in values if isinstance(v, int | float)]
        return sum(numbers) if numbers else None

    distances = stream("distance")
    duration = total("total_timer_time")
    if duration is None:
        duration = (max(w for w, _ in records) - start).total_seconds() if records else 0.0
    distance = total("total_distance")
    if distance is None and distances:
        distance = max(d for _, d in distances)
    sport_msg = sessions[0] if sessions else next(iter(messages.get("sport", [])), None)
    sport = trainplan_sport(
        sport_msg.get_value("sport", fallback=None) if sport_msg else None,
        sport_msg.get_value("sub_sport", fallback=None) if sport_msg else None,
    )
    local_date = None
    for activity in messages.get("activity", []):
        at = _utc(activity.get_value("timestamp", fallback=None))
        local = activity.get_value("local_timestamp", fallback=None)
        if at is not None and isinstance(local, datetime):
            offset = local.replace(tzinfo=UTC) - at
            local_date = (start + offset).date()
    return Recording(
        format="fit",
        start=start,
        sport=sport,
        duration_s=duration,
        distance_m=distance,
        local_date=local_date,
        heart_rate=stream("heart_rate"),
        power=stream("power"),
    )
