"""The load of a recorded activity, on the TSS-like scale of `shared.replanning` (hours x
IF^2 x 100; 100 = one hour at threshold), from the first of these the file and the
runner's thresholds allow:

- power: IF = normalised power / FTP (`ftp_w`), for sports other than running (FTP is
  a cycling threshold);
- heart rate: IF^2 = the time-weighted mean of (HR / LTHR)^2 over the HR stream
  (`threshold_hr`), so that hard minutes weigh more than the average shows;
- pace: IF = threshold pace / average pace (`threshold_pace_s_per_km`), for runs.
"""

from __future__ import annotations

import math
from typing import Literal

from shared.activity_files.recording import Recording, normalized_power, time_weighted_mean
from shared.replanning import LoadInputError, load_of

FTP_KEY, HR_KEY, PACE_KEY = "ftp_w", "threshold_hr", "threshold_pace_s_per_km"
FileLoadSource = Literal["power", "heart_rate", "pace"]


def rate_recording(
    rec: Recording, avg_pace_s_per_km: float | None, thresholds: dict[str, float]
) -> tuple[float, FileLoadSource]:
    """(load, what it came from); LoadInputError saying what is missing."""
    minutes = rec.duration_s / 60
    ftp, lthr, pace = thresholds.get(FTP_KEY), thresholds.get(HR_KEY), thresholds.get(PACE_KEY)
    np_w = normalized_power(rec.power) if rec.sport != "run" else None
    if np_w is not None and ftp:
        return load_of(minutes, np_w / ftp), "power"
    if lthr:
        squared = time_weighted_mean([(t, (hr / lthr) ** 2) for t, hr in rec.heart_rate])
        if squared is not None:
            return load_of(minutes, math.sqrt(squared)), "heart_rate"
    if avg_pace_s_per_km and pace and rec.sport == "run":
        return load_of(minutes, pace / avg_pace_s_per_km), "pace"
    has = [
        what
        for what, there in (
            ("power", np_w is not None),
            ("heart rate", bool(rec.heart_rate)),
            ("running pace", bool(avg_pace_s_per_km) and rec.sport == "run"),
        )
        if there
    ]
    needs = {
        "power": "an FTP (markers.ftp_w)",
        "heart rate": "an LTHR (markers.lthr_bpm)",
        "running pace": "a threshold pace (markers.threshold_pace_s_per_km or markers.race_result)",
    }
    if not has:
        raise LoadInputError(
            f"no power, heart rate or running pace recorded ({rec.sport}): no load can be derived"
        )
    raise LoadInputError(
        "the load needs "
        + " or ".join(f"{needs[w]} for its {w}" for w in has)
        + " in the runner's profile"
    )
