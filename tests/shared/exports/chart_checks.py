"""Checks of a chart drawn by `shared.exports.chart` against the plan days it was drawn from.

Shared by the CLI, API and browser tests. The SVG is read back as geometry: each series must
have one vertex per date, at equally spaced x, with y an affine image of the values
recomputed here from the days (a multi-sport plan's per-sport fitness too, on the same
axis); so a wrong, shifted or missing series fails.
"""

from __future__ import annotations

import itertools
import re
import struct
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

SVG = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
LABELS = ("fitness (CTL)", "fatigue (ATL)", "form (TSB)", "daily load", "race day")
# A multi-sport plan's chart draws each sport's fitness besides (the three sports).
SPORTS = ("swim", "bike", "run")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def per_date(days: Iterable[Mapping[str, Any]]) -> dict[date, dict[str, float]]:
    """Load summed over a date's slots; CTL/ATL/TSB of the date (the same on every slot)."""
    out: dict[date, dict[str, float]] = {}
    for day in sorted(days, key=lambda d: (str(d["date"]), d["slot"])):
        when = date.fromisoformat(str(day["date"]))
        if when in out:
            out[when]["load"] += day["load"]
        else:
            out[when] = {k: float(day[k]) for k in ("load", "ctl", "atl", "tsb")}
            for sport, ctl in (day.get("ctl_by_sport") or {}).items():
                out[when][f"ctl-{sport}"] = float(ctl)
    return out


def sport_series(days: Sequence[Mapping[str, Any]]) -> list[str]:
    """The per-sport series a chart of `days` must have: `ctl-<sport>` when every day
    carries the sport's fitness, none for a running plan."""
    if not all(d.get("ctl_by_sport") for d in days):
        return []
    return [f"ctl-{s}" for s in SPORTS if all(s in d["ctl_by_sport"] for d in days)]


def _points(path: ET.Element) -> list[tuple[float, float]]:
    values = [float(v) for v in NUMBER.findall(path.attrib["d"])]
    return list(zip(values[::2], values[1::2], strict=True))


def _group_path(root: ET.Element, gid: str) -> ET.Element:
    group = root.find(f".//{SVG}g[@id='{gid}']")
    assert group is not None, f"no <g id={gid!r}> in the chart"
    path = group.find(f"{SVG}path")
    assert path is not None, f"<g id={gid!r}> has no path"
    return path


def check_svg_chart(svg: bytes, days: Sequence[Mapping[str, Any]], race_date: date) -> None:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    expected = per_date(days)
    dates = sorted(expected)

    xs: list[float] = []
    pairs: list[tuple[float, float]] = []  # (value, svg y) of all three series: one y axis
    sports = sport_series(days)
    for key in ("ctl", "atl", "tsb", *sports):
        points = _points(_group_path(root, key))
        assert len(points) == len(dates), f"{key}: {len(points)} points for {len(dates)} dates"
        assert not xs or xs == [x for x, _ in points]  # the three series share their dates
        xs = [x for x, _ in points]
        pairs += [(expected[d][key], y) for d, (_, y) in zip(dates, points, strict=True)]
    # Exactly the sports' lines: none on a running plan's chart.
    drawn = {g.get("id", "") for g in root.iter(f"{SVG}g")}
    assert {gid for gid in drawn if gid.startswith("ctl-")} == set(sports)
    steps = [b - a for a, b in itertools.pairwise(xs)]
    assert all(step > 0 for step in steps) and max(steps) - min(steps) < 1e-3  # one per day
    (v0, y0), (v1, y1) = min(pairs), max(pairs)
    assert v1 > v0
    scale = (y1 - y0) / (v1 - v0)
    assert scale < 0  # larger values higher up
    for value, y in pairs:
        assert abs(y0 + (value - v0) * scale - y) < 0.01, (value, y)

    per_unit: list[float] = []
    for when, x in zip(dates, xs, strict=True):
        corners = _points(_group_path(root, f"load-{when.isoformat()}"))
        bar_xs = [cx for cx, _ in corners]
        bar_ys = [cy for _, cy in corners]
        assert abs((min(bar_xs) + max(bar_xs)) / 2 - x) < 0.01  # centred on its date
        height = max(bar_ys) - min(bar_ys)
        if expected[when]["load"] == 0:
            assert height < 1e-6
        else:
            per_unit.append(height / expected[when]["load"])
    assert per_unit and max(per_unit) - min(per_unit) < 1e-3 * max(per_unit)  # heights ∝ load

    race_x = [x for x, _ in _points(_group_path(root, "race-day"))]
    assert race_date in expected
    assert abs(race_x[0] - xs[dates.index(race_date)]) < 0.01

    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    sport_labels = [f"{key.removeprefix('ctl-')} fitness (CTL)" for key in sports]
    for label in (*LABELS, *sport_labels, "CTL / ATL / TSB", "daily load (TSS)"):
        assert label in texts, f"{label!r} missing from the chart's text"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk (the first chunk of every PNG)."""
    assert data[:8] == PNG_MAGIC, "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height
