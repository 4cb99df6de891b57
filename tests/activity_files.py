"""Activity files built for the tests: FIT with fit-tool (Stages Cycling's encoder), GPX
with gpxpy, TCX written out as the schema says. Each takes a list of samples (seconds
from the start, with heart rate, power, distance and position), so that a test knows
every figure the file holds and recomputes what should be derived from it."""

from __future__ import annotations

import itertools
import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import gpxpy.gpx
import numpy as np
from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.activity_message import ActivityMessage
from fit_tool.profile.messages.event_message import EventMessage
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.lap_message import LapMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.profile_type import (
    Event,
    EventType,
    FileType,
    Manufacturer,
    Sport,
    SubSport,
)

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
EARTH_RADIUS_M = 6_371_000.0
LTHR, THRESHOLD_PACE, FTP = 170.0, 270.0, 250.0  # the thresholds the tests rate files with


@dataclass(frozen=True)
class Sample:
    t: float  # seconds from the start
    distance_m: float
    hr: float | None = None
    power: float | None = None
    lat: float = 0.0
    lon: float = 0.0


def steady(
    seconds: int, speed_m_s: float, hr: float | None = None, step_s: int = 1, **kw: float
) -> list[Sample]:
    """Samples every `step_s` along a line north from (46.0, 7.0) at constant speed, heart
    rate and power (`power=`) when given; `wavy` makes them vary."""
    out = []
    for t in range(0, seconds + 1, step_s):
        d = speed_m_s * t
        out.append(
            Sample(
                t=t,
                distance_m=d,
                hr=hr,
                power=kw.get("power"),
                lat=46.0 + math.degrees(d / EARTH_RADIUS_M),
                lon=7.0,
            )
        )
    return out


def wavy(samples: list[Sample], hr_amp: float = 0.0, power_amp: float = 0.0) -> list[Sample]:
    """Heart rate and power varying on a 5-minute sine (so averages and NP differ)."""
    out = []
    for s in samples:
        wave = math.sin(2 * math.pi * s.t / 300)
        out.append(
            Sample(
                t=s.t,
                distance_m=s.distance_m,
                hr=None if s.hr is None else round(s.hr + hr_amp * wave),
                power=None if s.power is None else round(s.power + power_amp * wave),
                lat=s.lat,
                lon=s.lon,
            )
        )
    return out


def _ms(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


def fit_bytes(
    samples: list[Sample],
    start: datetime,
    sport: Sport = Sport.RUNNING,
    sub_sport: SubSport = SubSport.GENERIC,
    timer_s: float | None = None,
    utc_offset: timedelta | None = None,
    session: bool = True,
) -> bytes:
    """A FIT activity file as a watch writes it: file id, timer events, records, a lap, a
    session (sport, timer time, distance) and the activity (local time)."""
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.time_created = _ms(start)
    file_id.serial_number = 0x12345678
    builder.add(file_id)
    event = EventMessage()
    event.event, event.event_type, event.timestamp = Event.TIMER, EventType.START, _ms(start)
    builder.add(event)
    for s in samples:
        record = RecordMessage()
        record.timestamp = _ms(start + timedelta(seconds=s.t))
        record.distance = s.distance_m
        record.position_lat, record.position_long = s.lat, s.lon
        if s.hr is not None:
            record.heart_rate = int(s.hr)
        if s.power is not None:
            record.power = int(s.power)
        builder.add(record)
    end = start + timedelta(seconds=samples[-1].t)
    stop = EventMessage()
    stop.event, stop.event_type, stop.timestamp = Event.TIMER, EventType.STOP_ALL, _ms(end)
    builder.add(stop)
    timer = timer_s if timer_s is not None else samples[-1].t
    if session:
        lap = LapMessage()
        lap.timestamp, lap.start_time = _ms(end), _ms(start)
        lap.total_elapsed_time = lap.total_timer_time = timer
        lap.total_distance = samples[-1].distance_m
        builder.add(lap)
        message = SessionMessage()
        message.timestamp, message.start_time = _ms(end), _ms(start)
        message.total_elapsed_time = samples[-1].t
        message.total_timer_time = timer
        message.total_distance = samples[-1].distance_m
        message.sport, message.sub_sport = sport, sub_sport
        builder.add(message)
    activity = ActivityMessage()
    activity.timestamp = _ms(end)
    activity.num_sessions = 1
    if utc_offset is not None:
        activity.local_timestamp = round((end + utc_offset - FIT_EPOCH).total_seconds())
    builder.add(activity)
    data: bytes = builder.build().to_bytes()
    return data


def gpx_bytes(samples: list[Sample], start: datetime, track_type: str | None = "running") -> bytes:
    """A GPX 1.1 track with Garmin TrackPointExtension heart rates and `power` elements."""
    gpx = gpxpy.gpx.GPX()
    gpx.nsmap["gpxtpx"] = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
    track = gpxpy.gpx.GPXTrack(name="Test run")
    track.type = track_type
    segment = gpxpy.gpx.GPXTrackSegment()
    track.segments.append(segment)
    gpx.tracks.append(track)
    for s in samples:
        point = gpxpy.gpx.GPXTrackPoint(
            s.lat, s.lon, elevation=400.0, time=start + timedelta(seconds=s.t)
        )
        if s.hr is not None:
            ext = ET.Element(
                "{http://www.garmin.com/xmlschemas/TrackPointExtension/v1}TrackPointExtension"
            )
            hr = ET.SubElement(ext, "{http://www.garmin.com/xmlschemas/TrackPointExtension/v1}hr")
            hr.text = str(int(s.hr))
            point.extensions.append(ext)
        if s.power is not None:
            power = ET.Element("power")
            power.text = str(int(s.power))
            point.extensions.append(power)
        segment.points.append(point)
    return gpx.to_xml(version="1.1").encode()


def tcx_bytes(samples: list[Sample], start: datetime, sport: str = "Running") -> bytes:
    """A TCX v2 activity: one lap (timer time, distance) and its track points."""

    def iso(t: float) -> str:
        return (start + timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%SZ")

    points = []
    for s in samples:
        hr = f"<HeartRateBpm><Value>{int(s.hr)}</Value></HeartRateBpm>" if s.hr else ""
        watts = (
            f"<Extensions><ns3:TPX><ns3:Watts>{int(s.power)}</ns3:Watts></ns3:TPX></Extensions>"
            if s.power is not None
            else ""
        )
        points.append(
            f"<Trackpoint><Time>{iso(s.t)}</Time><Position><LatitudeDegrees>{s.lat:.7f}"
            f"</LatitudeDegrees><LongitudeDegrees>{s.lon:.7f}</LongitudeDegrees></Position>"
            f"<DistanceMeters>{s.distance_m:.2f}</DistanceMeters>{hr}{watts}</Trackpoint>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
        'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">'
        f'<Activities><Activity Sport="{sport}"><Id>{iso(0)}</Id>'
        f'<Lap StartTime="{iso(0)}"><TotalTimeSeconds>{samples[-1].t:.1f}</TotalTimeSeconds>'
        f"<DistanceMeters>{samples[-1].distance_m:.2f}</DistanceMeters>"
        "<Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod>"
        f"<Track>{''.join(points)}</Track></Lap></Activity></Activities>"
        "</TrainingCenterDatabase>"
    ).encode()


# -- the figures recomputed independently ------------------------------------------------


def held(samples: list[Sample], value: str) -> list[tuple[float, float]]:
    """(value, seconds it holds until the next sample): a left Riemann sum's terms."""
    return [(getattr(a, value), b.t - a.t) for a, b in itertools.pairwise(samples)]


def hr_load(samples: list[Sample], minutes: float, lthr: float = LTHR) -> float:
    """hrTSS recomputed: minutes x the time-weighted mean of (HR / LTHR)^2 x 100 / 60."""
    terms = held(samples, "hr")
    mean_sq = sum((hr / lthr) ** 2 * dt for hr, dt in terms) / sum(dt for _, dt in terms)
    return minutes / 60 * mean_sq * 100


def normalized(samples: list[Sample]) -> float:
    """Normalised power recomputed with numpy: 1-s series, 30-s rolling mean, 4th-power mean."""
    seconds = np.repeat(
        [p for p, _ in held(samples, "power")], [dt for _, dt in held(samples, "power")]
    )
    rolling = np.convolve(seconds, np.ones(30) / 30, mode="valid")
    return float(np.mean(rolling**4) ** 0.25)


def haversine_m(a: Sample, b: Sample) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))
