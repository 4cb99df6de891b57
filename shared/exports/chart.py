"""The fitness/fatigue/form chart of a plan (PNG or SVG): CTL, ATL and TSB lines over daily
load bars, race day marked; a multi-sport plan's fitness per sport besides.

Used by the CLI (`trainplan plan --chart FILE`) and the API
(`GET /training-plans/{id}/chart.svg`) through `shared.exports.registry`, which imports this
module (and so matplotlib) only when a chart is drawn. Drawn with matplotlib's object API on
the Agg canvas (no pyplot, no display, no global backend switch). The SVG's groups carry ids
(`ctl`, `atl`, `tsb`, `ctl-<sport>`, `load-<date>`, `race-day`) so a test or a stylesheet can
find each series.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from shared.exports.sports import CHARTED_SPORTS, SPORT_COLORS, SPORT_LABEL
from shared.planning import PlanDay

ChartFormat = Literal["png", "svg"]

# The same colours as the web page (api/static/style.css).
COLORS = {
    "ctl": "#1f6fd1",
    "atl": "#d6336c",
    "tsb": "#e8a317",
    "load": "#9aa5b1",
    "race": "#c92a2a",
}
WIDTH_IN, HEIGHT_IN, DPI = 11.0, 5.5, 100

# matplotlib keeps global state (font cache, rcParams): one drawing at a time per process.
_LOCK = threading.Lock()


@dataclass(frozen=True)
class DailyFitness:
    date: date
    load: int
    ctl: float
    atl: float
    tsb: float
    ctl_by_sport: dict[str, float] | None = None


def daily_series(days: Sequence[PlanDay]) -> list[DailyFitness]:
    """One point per date: the loads of its slots added; CTL/ATL/TSB are per date already."""
    by_date: dict[date, DailyFitness] = {}
    for day in sorted(days, key=lambda d: (d.date, d.slot)):
        seen = by_date.get(day.date)
        if seen is None:
            by_date[day.date] = DailyFitness(
                day.date, day.load, day.ctl, day.atl, day.tsb, day.ctl_by_sport
            )
        else:
            by_date[day.date] = DailyFitness(
                day.date, seen.load + day.load, seen.ctl, seen.atl, seen.tsb, seen.ctl_by_sport
            )
    return list(by_date.values())


def sport_label(sport: str) -> str:
    return f"{SPORT_LABEL[sport].lower()} fitness (CTL)"


def sport_fitness(series: Sequence[DailyFitness]) -> dict[str, list[float]]:
    """Each charted sport's CTL by date, for a plan whose every date carries it (else none)."""
    if not series or any(p.ctl_by_sport is None for p in series):
        return {}
    known = set.intersection(*(set(p.ctl_by_sport or {}) for p in series))
    return {
        sport: [(p.ctl_by_sport or {})[sport] for p in series]
        for sport in CHARTED_SPORTS
        if sport in known
    }


def _figure(series: Sequence[DailyFitness], race_date: date, title: str) -> Figure:
    dates = date2num([p.date for p in series])  # plain numbers: typed, no unit converter
    race_x = float(date2num(race_date))
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)  # Agg, whatever MPLBACKEND says; savefig switches to SVG by format
    ax = fig.add_subplot()
    ax_load = ax.twinx()
    # Lines in front of the bars: the line axes above, with a transparent background.
    ax.set_zorder(ax_load.get_zorder() + 1)
    ax.patch.set_visible(False)

    bars = ax_load.bar(dates, [p.load for p in series], width=0.8, color=COLORS["load"], alpha=0.55)
    for bar, point in zip(bars.patches, series, strict=True):
        bar.set_gid(f"load-{point.date.isoformat()}")
    bars.set_label("daily load")
    ax_load.set_ylabel("daily load (TSS)")
    top = max([p.load for p in series] + [1])
    ax_load.set_ylim(0, top * 2.2)  # bars in the lower half, under the lines
    # The load axis covers the loads: up to the first tick at or above the highest, not
    # through the empty half above the bars.
    ticks = [t for t in MaxNLocator(nbins=4).tick_values(0, top) if t >= 0]
    end = min(t for t in ticks if t >= top)
    ax_load.set_yticks([t for t in ticks if t <= end])
    ax_load.spines["right"].set_bounds(0, end)
    ax_load.yaxis.label.set_y(end / (2 * top * 2.2))  # the label beside its axis

    for key, label, values in (
        ("ctl", "fitness (CTL)", [p.ctl for p in series]),
        ("atl", "fatigue (ATL)", [p.atl for p in series]),
        ("tsb", "form (TSB)", [p.tsb for p in series]),
    ):
        (line,) = ax.plot(dates, values, color=COLORS[key], linewidth=2, label=label)
        line.set_gid(key)
    by_sport = sport_fitness(series)
    for sport, values in by_sport.items():
        (line,) = ax.plot(
            dates,
            values,
            color=SPORT_COLORS[sport],
            linewidth=1.4,
            linestyle=(0, (5, 2)),  # dashed: a part of the fitness line, not another total
            label=sport_label(sport),
        )
        line.set_gid(f"ctl-{sport}")
    ax.axhline(0, color="#868e96", linewidth=0.8)
    race = ax.axvline(race_x, color=COLORS["race"], linestyle="--", linewidth=1.5, label="race day")
    race.set_gid("race-day")
    ax.annotate(
        f"race {race_date:%d %b}",
        xy=(race_x, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(-4, -4),
        textcoords="offset points",
        ha="right",
        va="top",
        color=COLORS["race"],
        fontsize=9,
    )

    ax.set_ylabel("CTL / ATL / TSB")
    ax.set_title(title)
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.grid(axis="y", alpha=0.3)
    handles, _ = ax.get_legend_handles_labels()
    load_handles, _ = ax_load.get_legend_handles_labels()
    # With sports: the combined lines and race day in the first column, the sports' lines
    # and the load in the second (a legend fills column by column).
    sports = [h for h in handles if str(h.get_gid()).startswith("ctl-")]
    shown = [h for h in handles if h not in sports] + sports + load_handles
    ax.legend(handles=shown, loc="upper left", fontsize=9, ncols=2 if sports else 1)
    return fig


def render_chart(
    days: Sequence[PlanDay], *, race_date: date, fmt: ChartFormat, title: str | None = None
) -> bytes:
    """The chart as PNG or SVG bytes. Raises ValueError for a plan without days."""
    if fmt not in get_args(ChartFormat):
        raise ValueError(f"chart format {fmt!r}: use one of {', '.join(get_args(ChartFormat))}")
    series = daily_series(days)
    if not series:
        raise ValueError("the plan has no days to chart")
    title = title or f"Fitness, fatigue and form to race day {race_date:%Y-%m-%d}"
    buf = io.BytesIO()
    # No path simplification: every day is a vertex. A fixed hash salt and no date keep
    # the SVG the same for the same plan.
    with (
        _LOCK,
        rc_context({"path.simplify": False, "svg.hashsalt": "trainplan", "svg.fonttype": "none"}),
    ):
        fig = _figure(series, race_date, title)
        metadata = {"Date": None} if fmt == "svg" else {"Software": "trainplan"}
        fig.savefig(buf, format=fmt, dpi=DPI, metadata=metadata)
    return buf.getvalue()
