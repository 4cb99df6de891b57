"""GPX tracks (phones, Strava and Garmin Connect exports), parsed with gpxpy: the duration
is the time of the track's segments (first to last point of each), the distance
gpxpy's 2-D length; heart rate and power come from the point extensions (Garmin's
`gpxtpx:hr`, `power`)."""

from __future__ import annotations

from datetime import UTC, datetime

import gpxpy
import gpxpy.gpx

from shared.activity_files.recording import Recording, Stream
from shared.activity_files.sports import trainplan_sport
from shared.activity_files.xml_read import local

HR_TAGS = frozenset({"hr", "heartrate"})
POWER_TAGS = frozenset({"power", "watts"})


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def read_gpx(data: bytes) -> Recording:
    """ValueError with the reason when the file is not a readable GPX track."""
    try:
        gpx = gpxpy.parse(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ValueError("the GPX file is not UTF-8 text") from None
    except gpxpy.gpx.GPXException as exc:
        raise ValueError(f"the GPX file cannot be parsed ({exc})") from None
    points = [
        p for track in gpx.tracks for segment in track.segments for p in segment.points if p.time
    ]
    if not points:
        raise ValueError("the GPX file has no timed track points: not a recorded activity")
    start = min(_utc(p.time) for p in points if p.time)
    heart_rate: Stream = []
    power: Stream = []
    for p in points:
        assert p.time is not None
        at = (_utc(p.time) - start).total_seconds()
        for extension in p.extensions:
            for element in extension.iter():
                name = local(element.tag).lower()
                try:
                    value = float(element.text or "")
                except ValueError:
                    continue
                if name in HR_TAGS:
                    heart_rate.append((at, value))
                elif name in POWER_TAGS:
                    power.append((at, value))
    duration = 0.0
    for track in gpx.tracks:
        for segment in track.segments:
            times = [_utc(p.time) for p in segment.points if p.time]
            if times:
                duration += (max(times) - min(times)).total_seconds()
    return Recording(
        format="gpx",
        start=start,
        sport=trainplan_sport(gpx.tracks[0].type if gpx.tracks else None),
        duration_s=duration,
        distance_m=gpx.length_2d() or None,
        heart_rate=sorted(heart_rate),
        power=sorted(power),
    )
