"""The chart of a real olympic-triathlon plan: the combined fitness, fatigue and form as a
running plan's, and each sport's fitness (CTL) besides, read back from the figure's lines
and from the SVG; a running plan's chart draws no sport."""

from __future__ import annotations

from datetime import date

import pytest
from matplotlib.dates import date2num
from matplotlib.lines import Line2D

from shared.exports.chart import _figure, daily_series, render_chart
from shared.planning import PlanDay, PlanResult
from tests.shared.exports.chart_checks import check_svg_chart
from tests.shared.exports.olympic_plan import olympic_plan

SPORTS = ("swim", "bike", "run")
COMBINED = {"fitness (CTL)", "fatigue (ATL)", "form (TSB)", "race day", "daily load"}


def first_of_date(days: list[PlanDay]) -> dict[date, PlanDay]:
    """Each date's first slot: fitness is per date, the same on every slot."""
    out: dict[date, PlanDay] = {}
    for day in sorted(days, key=lambda d: (d.date, d.slot)):
        out.setdefault(day.date, day)
    return out


def lines_by_id(result: PlanResult) -> tuple[dict[str, Line2D], list[str]]:
    """The figure's lines by their id, and its legend's labels."""
    fig = _figure(daily_series(result.days), result.race_date, "test")
    ax = fig.axes[0]
    lines = {str(line.get_gid()): line for line in ax.get_lines() if line.get_gid()}
    legend = ax.get_legend()
    assert legend is not None
    return lines, [t.get_text() for t in legend.get_texts()]


def test_each_sports_fitness_is_a_line_of_its_days() -> None:
    result = olympic_plan()
    by_date = first_of_date(result.days)
    dates = sorted(by_date)
    lines, legend = lines_by_id(result)
    assert set(legend) == COMBINED | {f"{sport} fitness (CTL)" for sport in SPORTS}
    for key in ("ctl", "atl", "tsb"):  # the combined series as for a running plan
        assert list(lines[key].get_ydata()) == [getattr(by_date[d], key) for d in dates]
    for sport in SPORTS:
        line = lines[f"ctl-{sport}"]
        assert line.get_label() == f"{sport} fitness (CTL)"
        assert list(line.get_xdata()) == list(date2num(dates))
        want = [(by_date[d].ctl_by_sport or {})[sport] for d in dates]
        assert list(line.get_ydata()) == want
    # Told apart by colour: six lines, six colours; the sports' lines dashed.
    drawn = ["ctl", "atl", "tsb", *(f"ctl-{s}" for s in SPORTS)]
    assert len({lines[k].get_color() for k in drawn}) == len(drawn)
    assert all(lines[f"ctl-{s}"].get_linestyle() == "--" for s in SPORTS)
    # The sports' lines are not one line drawn three times.
    assert len({tuple(lines[f"ctl-{s}"].get_ydata()) for s in SPORTS}) == len(SPORTS)


def test_the_svg_of_a_triathlon_draws_each_sport_on_the_fitness_axis() -> None:
    result = olympic_plan()
    days = [d.model_dump(mode="json") for d in result.days]
    svg = render_chart(result.days, race_date=result.race_date, fmt="svg")
    check_svg_chart(svg, days, result.race_date)


def test_the_svg_check_catches_a_wrong_sport_line() -> None:
    """The checker is not blind to the sports: a chart whose bike fitness is off fails it."""
    result = olympic_plan()
    days = [d.model_dump(mode="json") for d in result.days]
    shifted = [
        d.model_copy(
            update={"ctl_by_sport": {**(d.ctl_by_sport or {}), "bike": d.date.day % 4 * 1.0}}
        )
        for d in result.days
    ]
    svg = render_chart(shifted, race_date=result.race_date, fmt="svg")
    with pytest.raises(AssertionError):
        check_svg_chart(svg, days, result.race_date)


def test_a_running_plans_chart_draws_no_sport(handmade_plan: PlanResult) -> None:
    lines, legend = lines_by_id(handmade_plan)
    assert not [gid for gid in lines if gid.startswith("ctl-")]
    assert legend == ["fitness (CTL)", "fatigue (ATL)", "form (TSB)", "race day", "daily load"]
