"""The fitness/fatigue/form chart, drawn from a hand-built plan."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from PIL import Image

from shared.exports.chart import (
    COLORS,
    DPI,
    HEIGHT_IN,
    WIDTH_IN,
    _figure,
    daily_series,
    render_chart,
)
from shared.planning import PlanResult
from tests.shared.exports.chart_checks import check_svg_chart, png_size


def _days(plan: PlanResult) -> list[dict[str, object]]:
    return [d.model_dump(mode="json") for d in plan.days]


def test_daily_series_adds_the_loads_of_a_double(handmade_plan: PlanResult) -> None:
    series = daily_series(handmade_plan.days)
    assert [p.date for p in series] == sorted({d.date for d in handmade_plan.days})
    double = handmade_plan.start + timedelta(days=3)
    loads = [d.load for d in handmade_plan.days if d.date == double]
    assert len(loads) == 2
    assert next(p for p in series if p.date == double).load == sum(loads)


def test_svg_has_each_series_drawn_from_the_days(handmade_plan: PlanResult) -> None:
    svg = render_chart(handmade_plan.days, race_date=handmade_plan.race_date, fmt="svg")
    check_svg_chart(svg, _days(handmade_plan), handmade_plan.race_date)
    # The same plan draws the same file (no timestamps, fixed ids): cacheable, diffable.
    assert svg == render_chart(handmade_plan.days, race_date=handmade_plan.race_date, fmt="svg")


def test_svg_check_catches_a_wrong_series(handmade_plan: PlanResult) -> None:
    """The checker is not vacuous: a chart of other numbers fails it."""
    shifted = [d.model_copy(update={"ctl": d.ctl + (d.date.day % 3)}) for d in handmade_plan.days]
    svg = render_chart(shifted, race_date=handmade_plan.race_date, fmt="svg")
    with pytest.raises(AssertionError):
        check_svg_chart(svg, _days(handmade_plan), handmade_plan.race_date)


def test_png_is_a_real_image_with_the_lines(handmade_plan: PlanResult) -> None:
    data = render_chart(handmade_plan.days, race_date=handmade_plan.race_date, fmt="png")
    assert png_size(data) == (int(WIDTH_IN * DPI), int(HEIGHT_IN * DPI))
    image = Image.open(io.BytesIO(data)).convert("RGB")
    image.load()
    colours = {c for _, c in image.getcolors(maxcolors=1 << 20) or []}
    for key in ("ctl", "atl", "tsb", "race"):
        rgb = tuple(int(COLORS[key][i : i + 2], 16) for i in (1, 3, 5))
        assert rgb in colours, f"no {key} pixels"


def test_no_days_is_an_error() -> None:
    with pytest.raises(ValueError, match="no days"):
        render_chart([], race_date=date(2027, 1, 1), fmt="svg")


def test_load_axis_ends_at_the_loads(handmade_plan: PlanResult) -> None:
    """The bars fill the lower half; the load axis, its ticks and its line stop at the first
    tick reaching the highest load instead of running on through the empty half."""
    series = daily_series(handmade_plan.days)
    top = max(p.load for p in series)
    ax_load = _figure(series, handmade_plan.race_date, "t").axes[1]
    ticks = list(ax_load.get_yticks())
    assert ticks[0] == 0 and ticks[-1] >= top and ticks[-2] < top
    assert ax_load.get_ylim()[1] > 2 * top  # still the lower half
    assert ax_load.spines["right"].get_bounds() == (0, ticks[-1])
