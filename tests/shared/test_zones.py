"""Training zones: against Daniels' published values, recomputed here from the equations
(written out again, solved by bisection rather than the module's quadratic formula), and
against the exact percentages of Friel's and Coggan's zones."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import pytest
from pydantic import ValidationError

from shared.markers import (
    Markers,
    parse_css,
    parse_ftp,
    parse_lthr,
    parse_race_result,
    parse_threshold_pace,
)
from shared.zones import (
    PACE_ZONES,
    Zones,
    derive_zones,
    predicted_time_s,
    vdot_from_race,
    vdot_from_threshold_pace,
)

MARATHON, HALF, MILE = 42195.0, 21097.5, 1609.344


def daniels_vdot(distance_m: float, time_s: float) -> float:
    t = time_s / 60
    v = distance_m / t
    vo2 = -4.6 + 0.182258 * v + 0.000104 * v * v
    pct = 0.8 + 0.1894393 * math.exp(-0.012778 * t) + 0.2989558 * math.exp(-0.1932605 * t)
    return vo2 / pct


def pace_at(vo2: float) -> float:
    """s/km whose oxygen cost is `vo2`, by bisection on the velocity (m/min)."""
    lo, hi = 1.0, 1000.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if -4.6 + 0.182258 * mid + 0.000104 * mid * mid < vo2 else (lo, mid)
    return 60_000 / lo


def vo2_of_pace(s_per_km: float) -> float:
    v = 60_000 / s_per_km
    return -4.6 + 0.182258 * v + 0.000104 * v * v


def centre_fraction(band: list[float], vdot: float) -> float:
    """The %VO2max in the middle of a pace band (in oxygen cost)."""
    return (vo2_of_pace(band[0]) + vo2_of_pace(band[1])) / 2 / vdot


def hms(text: str) -> int:
    parts = [int(p) for p in text.split(":")]
    return sum(p * 60**i for i, p in enumerate(reversed(parts)))


# -- VDOT ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("distance", "time", "published"),
    [(5000, "20:00", 49.8), (10000, "45:00", 45.3), (MARATHON, "3:00:00", 53.5)],
)
def test_vdot_of_a_race(distance: float, time: str, published: float) -> None:
    got = vdot_from_race(distance, hms(time))
    assert got == pytest.approx(daniels_vdot(distance, hms(time)), abs=1e-9)
    assert round(got, 1) == published
    zones = derive_zones(race_distance_m=distance, race_time_s=hms(time))
    assert zones.vdot == published


# Daniels' Running Formula, table of race times by VDOT (mile, 5k, 10k, half, marathon).
RACE_TABLE = {
    30: {MILE: "9:11", 5000: "30:40", 10000: "63:46", HALF: "2:21:04", MARATHON: "4:49:17"},
    40: {MILE: "7:07", 5000: "24:08", 10000: "50:03", HALF: "1:50:59", MARATHON: "3:49:45"},
    50: {MILE: "5:50", 5000: "19:57", 10000: "41:21", HALF: "1:31:35", MARATHON: "3:10:49"},
}


@pytest.mark.parametrize("vdot", sorted(RACE_TABLE))
def test_printed_race_table(vdot: int) -> None:
    for distance, time in RACE_TABLE[vdot].items():
        assert vdot_from_race(distance, hms(time)) == pytest.approx(vdot, abs=0.25), distance
        # The table is smoothed: its times lie within 0.5% of the equations' prediction.
        assert predicted_time_s(vdot, distance) == pytest.approx(hms(time), rel=0.005), distance


def test_predicted_time_inverts_vdot() -> None:
    for vdot in (12.0, 30.0, 45.3, 60.0, 85.0):
        for distance in (MILE, 5000, 10000, HALF, MARATHON):
            assert daniels_vdot(distance, predicted_time_s(vdot, distance)) == pytest.approx(
                vdot, abs=1e-6
            )


# -- paces ---------------------------------------------------------------------------------


def test_printed_paces_at_vdot_50() -> None:
    """Daniels' training table at VDOT 50: E 5:07-5:38, M 4:31, T 4:15 per km; I is the
    velocity at VO2max; R about mile race pace (5:50 in the race table: 87 s per 400 m)."""
    paces = derive_zones(race_distance_m=5000, race_time_s=hms("19:57")).paces
    exact = daniels_paces_at(50.0)
    assert paces is not None
    easy_fast, easy_slow = exact["easy"]
    assert easy_fast == pytest.approx(hms("5:07"), abs=2)
    assert easy_slow == pytest.approx(hms("5:38"), abs=2)
    assert sum(exact["marathon"]) / 2 == pytest.approx(hms("3:10:49") / 42.195, abs=2)
    assert sum(exact["threshold"]) / 2 == pytest.approx(hms("4:15"), abs=1.5)
    assert sum(exact["interval"]) / 2 == pytest.approx(pace_at(50.0), abs=1.5)
    assert sum(exact["repetition"]) / 2 * 0.4 == pytest.approx(hms("5:50") / MILE * 400, abs=1)
    # The 19:57 5k is VDOT 49.95: its paces are VDOT 50's to within a second.
    for zone in PACE_ZONES:
        assert paces[zone] == pytest.approx(exact[zone], abs=1.0), zone


def daniels_paces_at(vdot: float) -> dict[str, list[float]]:
    """Paces of an exact VDOT: from a threshold pace whose VDOT is exactly `vdot`."""
    zones = derive_zones(threshold_pace_s_per_km=pace_at(0.88 * vdot))
    assert zones.vdot == pytest.approx(vdot, abs=0.05)
    assert zones.paces is not None
    return zones.paces


@pytest.mark.parametrize("vdot", [20.0, 35.0, 49.8, 65.0, 85.0])
def test_zone_fractions(vdot: float) -> None:
    """Each band sits at its documented %VO2max; marathon at the predicted marathon pace."""
    paces = daniels_paces_at(vdot)
    easy_fast, easy_slow = paces["easy"]
    assert vo2_of_pace(easy_fast) / vdot == pytest.approx(0.70, abs=0.002)
    assert vo2_of_pace(easy_slow) / vdot == pytest.approx(0.62, abs=0.002)
    marathon_pace = predicted_time_s(vdot, MARATHON) / 42.195
    assert pace_at(centre_fraction(paces["marathon"], vdot) * vdot) == pytest.approx(
        marathon_pace, abs=0.3
    )
    for zone, fraction in (("threshold", 0.88), ("interval", 1.0), ("repetition", 1.07)):
        fast, slow = paces[zone]
        assert vo2_of_pace(fast) / vdot == pytest.approx(fraction + 0.01, abs=0.002), zone
        assert vo2_of_pace(slow) / vdot == pytest.approx(fraction - 0.01, abs=0.002), zone


def test_threshold_pace_alone_round_trips() -> None:
    """A threshold pace gives the VDOT whose T pace it is: the T band is centred on it and
    a race result of the same fitness gives the same zones."""
    race = derive_zones(race_distance_m=10000, race_time_s=hms("45:00"))
    assert race.paces is not None and race.vdot is not None
    t_pace = pace_at(0.88 * daniels_vdot(10000, hms("45:00")))
    from_t = derive_zones(threshold_pace_s_per_km=t_pace)
    assert from_t.vdot == race.vdot
    assert from_t.paces is not None
    for zone in PACE_ZONES:
        assert from_t.paces[zone] == pytest.approx(race.paces[zone], abs=0.15), zone
    assert vdot_from_threshold_pace(hms("4:30")) == pytest.approx(
        vo2_of_pace(hms("4:30")) / 0.88, abs=1e-9
    )
    band = derive_zones(threshold_pace_s_per_km=hms("4:30")).paces
    assert band is not None and band["threshold"][0] < hms("4:30") < band["threshold"][1]


def test_a_race_result_beats_a_threshold_pace() -> None:
    both = derive_zones(
        race_distance_m=5000, race_time_s=hms("20:00"), threshold_pace_s_per_km=hms("6:00")
    )
    assert both.vdot == 49.8


@pytest.mark.parametrize("distance", [1500, 5000, 10000, HALF, MARATHON])
def test_faster_race_means_higher_vdot_and_faster_paces_everywhere(distance: float) -> None:
    base = predicted_time_s(45.0, distance)
    times = [base * f for f in (0.6, 0.75, 0.9, 1.0, 1.2, 1.5, 2.0)]
    zones = [derive_zones(race_distance_m=distance, race_time_s=t) for t in times]
    for faster, slower in itertools.pairwise(zones):
        assert faster.vdot is not None and slower.vdot is not None
        assert faster.vdot > slower.vdot
        assert faster.paces is not None and slower.paces is not None
        for zone in PACE_ZONES:
            assert faster.paces[zone][0] < slower.paces[zone][0], zone
            assert faster.paces[zone][1] < slower.paces[zone][1], zone


@pytest.mark.parametrize("vdot", [10.0, 15.0, 25.0, 40.0, 55.0, 70.0, 90.0])
def test_zones_are_ordered_easy_to_repetition(vdot: float) -> None:
    paces = daniels_paces_at(vdot)
    assert list(paces) == list(PACE_ZONES)
    for zone in PACE_ZONES:
        fast, slow = paces[zone]
        assert 0 < fast < slow, zone
    for slower, faster in itertools.pairwise(PACE_ZONES):
        # no overlap: the slower zone's fast end is still slower than the next's slow end
        assert paces[slower][0] > paces[faster][1], (slower, faster)


# -- heart rate, power, swim ---------------------------------------------------------------

FRIEL = [  # zone, lowest % of LTHR (inclusive), next zone's (exclusive)
    ("z1", None, 85),
    ("z2", 85, 90),
    ("z3", 90, 95),
    ("z4", 95, 100),
    ("z5a", 100, 103),
    ("z5b", 103, 107),
    ("z5c", 107, None),
]


def in_percent(value: int, base: float, lo: int | None, hi: int | None, *, upper: bool) -> bool:
    """`value` as an exact % of `base` in [lo, hi) (`upper`: in (lo, hi] instead)."""
    pct = Fraction(value) * 100 / Fraction(base)
    if upper:
        return (lo is None or pct > lo) and (hi is None or pct <= hi)
    return (lo is None or pct >= lo) and (hi is None or pct < hi)


def zone_of(zones: dict[str, list[int | None]], value: int) -> list[str]:
    return [
        key
        for key, (lo, hi) in zones.items()
        if (lo is None or value >= lo) and (hi is None or value <= hi)
    ]


@pytest.mark.parametrize("lthr", [150, 163, 170, 187])
def test_friel_zones_hold_exactly_their_percentages(lthr: int) -> None:
    zones = derive_zones(lthr_bpm=lthr)
    assert zones.hr_basis == "lthr" and zones.hr is not None
    assert list(zones.hr) == [z for z, _, _ in FRIEL]
    for bpm in range(60, 231):
        expected = [z for z, lo, hi in FRIEL if in_percent(bpm, lthr, lo, hi, upper=False)]
        assert zone_of(zones.hr, bpm) == expected, bpm


def test_friel_zones_of_lthr_170() -> None:
    hr = derive_zones(lthr_bpm=170, max_hr_bpm=192).hr
    assert hr == {
        "z1": [None, 144],  # 144.5 = 85%
        "z2": [145, 152],
        "z3": [153, 161],  # 153 = 90% exactly
        "z4": [162, 169],  # 161.5 = 95%
        "z5a": [170, 175],  # 170 = 100%
        "z5b": [176, 181],  # 175.1 = 103%
        "z5c": [182, 192],  # 181.9 = 107%; ends at the max HR given
    }
    assert derive_zones(lthr_bpm=170).hr["z5c"] == [182, None]  # type: ignore[index]


def test_max_hr_alone_gives_percent_of_max_zones() -> None:
    zones = derive_zones(max_hr_bpm=190)
    assert zones.hr_basis == "max_hr"
    assert zones.hr == {
        "z1": [95, 113],
        "z2": [114, 132],
        "z3": [133, 151],
        "z4": [152, 170],
        "z5": [171, 190],
    }
    for bpm in range(95, 191):
        pct = Fraction(bpm * 100, 190)
        expected = f"z{min(5, int(pct // 10) - 4)}"
        assert zone_of(zones.hr, bpm) == [expected], bpm  # type: ignore[arg-type]


COGGAN = [  # level, % of FTP above (exclusive), up to (inclusive)
    ("z1", None, 55),
    ("z2", 55, 75),
    ("z3", 75, 90),
    ("z4", 90, 105),
    ("z5", 105, 120),
    ("z6", 120, 150),
    ("z7", 150, None),
]


@pytest.mark.parametrize("ftp", [200, 250, 283, 301])
def test_coggan_levels_hold_exactly_their_percentages(ftp: int) -> None:
    power = derive_zones(ftp_w=ftp).power
    assert power is not None and list(power) == [z for z, _, _ in COGGAN]
    assert power["z1"][0] == 0 and power["z7"][1] is None
    for watts in range(0, 2 * ftp):
        expected = [z for z, lo, hi in COGGAN if in_percent(watts, ftp, lo, hi, upper=True)]
        assert zone_of(power, watts) == expected, watts


def test_coggan_levels_of_ftp_250() -> None:
    assert derive_zones(ftp_w=250).power == {
        "z1": [0, 137],
        "z2": [138, 187],
        "z3": [188, 225],
        "z4": [226, 262],
        "z5": [263, 300],
        "z6": [301, 375],
        "z7": [376, None],
    }


def test_swim_zones_from_css() -> None:
    swim = derive_zones(css_s_per_100m=105).swim
    assert swim == {
        "z1": [115, 125],
        "z2": [110, 115],
        "z3": [107, 110],
        "z4": [104, 107],
        "z5": [100, 104],
    }
    assert swim["z4"][0] < 105 < swim["z4"][1]  # threshold holds CSS itself


def test_nothing_known_is_all_null() -> None:
    zones = derive_zones()
    assert zones == Zones() and not zones.known
    assert derive_zones(ftp_w=250).known


# -- markers and the strings people type ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "distance", "seconds"),
    [
        ("10k=45:00", 10000, 2700),
        ("5k=19:57", 5000, 1197),
        ("half=1:35:20", HALF, 5720),
        ("Marathon=3:10:49", MARATHON, 11449),
        ("3000=10:30", 3000, 630),
        (" 10k = 0:45:00 ", 10000, 2700),
    ],
)
def test_race_result_strings(text: str, distance: float, seconds: int) -> None:
    assert parse_race_result(text) == {"distance_m": distance, "time_s": seconds}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("10k=45", "race result '10k=45': time must be H:MM:SS or MM:SS"),
        ("10k=45:7", "time must be H:MM:SS or MM:SS"),
        ("10k=1:60:00", "time must be H:MM:SS or MM:SS"),
        ("10k", "expected DISTANCE=H:MM:SS"),
        ("ultra=5:00:00", "distance must be 5k, 10k, half, marathon or whole metres"),
        ("10.5k=50:00", "distance must be"),
        ("10k=0:00", "longer than 0:00"),
    ],
)
def test_bad_race_result_strings(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=r"^race result") as exc:
        parse_race_result(text)
    assert message in str(exc.value)


def test_other_marker_strings() -> None:
    assert parse_threshold_pace("4:30") == 270
    assert parse_css("1:45") == 105
    assert parse_lthr("172") == 172 and parse_ftp("250") == 250
    for parse, text, message in (
        (parse_threshold_pace, "4.30", "threshold pace '4.30': must be M:SS per km"),
        (parse_threshold_pace, "4:75", "must be M:SS per km"),
        (parse_css, "105", "CSS '105': must be M:SS per 100 m"),
        (parse_lthr, "17o", "LTHR '17o': must be a whole number of beats per minute"),
        (parse_ftp, "-5", "FTP '-5': must be a whole number of watts"),
    ):
        with pytest.raises(ValueError) as exc:
            parse(text)
        assert message in str(exc.value)


@pytest.mark.parametrize(
    ("data", "where", "words"),
    [
        ({"race_result": {"distance_m": MARATHON, "time_s": 5400}}, ("race_result",), "VDOT"),
        ({"race_result": {"distance_m": 5000, "time_s": 6 * 3600}}, ("race_result",), "slower"),
        ({"race_result": {"distance_m": 400, "time_s": 60}}, ("race_result", "distance_m"), ""),
        ({"threshold_pace_s_per_km": 100}, ("threshold_pace_s_per_km",), "threshold"),
        ({"threshold_pace_s_per_km": 5e-324}, ("threshold_pace_s_per_km",), ""),
        ({"race_result": {"distance_m": 1500, "time_s": 5e-324}}, ("race_result", "time_s"), ""),
        ({"lthr_bpm": 185, "max_hr_bpm": 180}, (), "below max_hr_bpm"),
        ({"ftp_w": 5000}, ("ftp_w",), ""),
        ({"css_s_per_100m": 20}, ("css_s_per_100m",), ""),
        ({"max_hr": 190}, ("max_hr",), ""),  # unknown field
    ],
)
def test_impossible_markers_are_rejected(
    data: dict[str, object], where: tuple[str, ...], words: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        Markers.model_validate(data)
    errors = exc.value.errors()
    assert [tuple(e["loc"]) for e in errors] == [where]
    assert words in errors[0]["msg"]


def test_markers_give_their_zones() -> None:
    markers = Markers.model_validate(
        {"race_result": {"distance_m": 10000, "time_s": 2700}, "lthr_bpm": 170, "ftp_w": 250}
    )
    zones = markers.zones()
    assert zones.vdot == 45.3 and zones.hr_basis == "lthr" and zones.power is not None
    assert zones.swim is None
    # A race result stands in for a threshold pace where activities need one.
    assert markers.threshold_pace() == pytest.approx(
        pace_at(0.88 * daniels_vdot(10000, 2700)), abs=0.1
    )
