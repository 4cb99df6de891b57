"""TCX activities (Garmin Training Center), read with the standard XML parser: the laps
give the timer time and the distance, the track points the heart-rate and power streams
(`HeartRateBpm`, the ActivityExtension's `Watts`)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from shared.activity_files.recording import Recording, Stream
from shared.activity_files.sports import trainplan_sport
from shared.activity_files.xml_read import child_text, children, descendants, number, timestamp


def read_tcx(root: ET.Element) -> Recording:
    """ValueError with the reason when the document is not a readable TCX activity."""
    activities = list(descendants(root, "Activity"))
    if not activities:
        raise ValueError("the TCX file has no activity")
    if len(activities) > 1:
        raise ValueError(f"the TCX file holds {len(activities)} activities; give one a file")
    activity = activities[0]
    laps = list(children(activity, "Lap"))
    points = [
        (when, p)
        for p in descendants(activity, "Trackpoint")
        if (when := timestamp(child_text(p, "Time"))) is not None
    ]
    lap_starts = [t for lap in laps if (t := timestamp(lap.get("StartTime"))) is not None]
    first = timestamp(child_text(activity, "Id"))
    candidates = [t for t in (first, *lap_starts, *(w for w, _ in points)) if t is not None]
    if not candidates:
        raise ValueError("the TCX file has no times: not a recorded activity")
    start = min(candidates)
    heart_rate: Stream = []
    power: Stream = []
    for when, p in points:
        at = (when - start).total_seconds()
        hr = next(descendants(p, "HeartRateBpm"), None)
        if hr is not None and (value := number(child_text(hr, "Value"))) is not None:
            heart_rate.append((at, value))
        watts = next(descendants(p, "Watts"), None)
        if watts is not None and (value := number(watts.text)) is not None:
            power.append((at, value))
    lap_times = [number(child_text(lap, "TotalTimeSeconds")) for lap in laps]
    lap_distances = [number(child_text(lap, "DistanceMeters")) for lap in laps]
    if laps and all(t is not None for t in lap_times):
        duration = sum(t for t in lap_times if t is not None)
    else:
        duration = max(((w - start).total_seconds() for w, _ in points), default=0.0)
    if laps and all(d is not None for d in lap_distances):
        distance: float | None = sum(d for d in lap_distances if d is not None)
    else:
        point_distances = [d for _, p in points if (d := number(child_text(p, "DistanceMeters")))]
        distance = max(point_distances, default=None)
    return Recording(
        format="tcx",
        start=start,
        sport=trainplan_sport(activity.get("Sport")),
        duration_s=duration,
        distance_m=distance or None,
        heart_rate=heart_rate,
        power=power,
    )
