"""Every output format of a plan, one entry each: the CLI's `--format` and `--chart` choices
and the API's export routes are read from here.

A new format is one renderer module plus one entry below.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from shared.exports.csv import render_csv
from shared.exports.ics import render_ics
from shared.exports.json import render_json
from shared.exports.table import render_table
from shared.exports.workouts import Reference, WorkoutFormat
from shared.exports.zwo import render_zwo, zwo_refusal
from shared.planning import PlanDay, PlanResult

if TYPE_CHECKING:  # shared.exports.chart imports matplotlib: only when a chart is drawn
    from shared.exports.chart import ChartFormat

Content = TypeVar("Content", str, bytes)


@dataclass(frozen=True)
class ExportFormat(Generic[Content]):
    name: str
    extension: str  # of the file, without the dot
    media_type: str
    binary: bool  # `render` gives bytes; else text (UTF-8 when sent or written)
    # `render(result, key)`: the file's content. `key` is the plan's id where it has one
    # (the API's plan id), None where it has not (a CLI plan file); formats that name the
    # plan (the calendar's event UIDs) then derive one from the plan.
    render: Callable[[PlanResult, str | None], Content]


def _keyless(render: Callable[[PlanResult], str]) -> Callable[[PlanResult, str | None], str]:
    """A format whose content does not name the plan."""

    def keyless(result: PlanResult, key: str | None) -> str:
        return render(result)

    return keyless


def _chart(fmt: ChartFormat) -> Callable[[PlanResult, str | None], bytes]:
    def chart(result: PlanResult, key: str | None) -> bytes:
        # Deferred: matplotlib takes a moment to import; the API and `trainplan --help`
        # start without it.
        from shared.exports.chart import render_chart

        return render_chart(result.days, race_date=result.race_date, fmt=fmt)

    return chart


# The plan itself as a file: `trainplan plan --format NAME`, `GET /training-plans/{id}.EXT`.
PLAN_FORMATS: dict[str, ExportFormat[str]] = {
    f.name: f
    for f in (
        ExportFormat("table", "txt", "text/plain", binary=False, render=_keyless(render_table)),
        ExportFormat(
            "json", "json", "application/json", binary=False, render=_keyless(render_json)
        ),
        ExportFormat("csv", "csv", "text/csv", binary=False, render=_keyless(render_csv)),
        ExportFormat("ics", "ics", "text/calendar", binary=False, render=render_ics),
    )
}

# Drawings of the plan: `trainplan plan --chart FILE.EXT`, `GET /training-plans/{id}/chart.EXT`.
CHART_FORMATS: dict[str, ExportFormat[bytes]] = {
    f.name: f
    for f in (
        ExportFormat("png", "png", "image/png", binary=True, render=_chart("png")),
        ExportFormat("svg", "svg", "image/svg+xml", binary=True, render=_chart("svg")),
    )
}


def _fit(day: PlanDay, reference: Reference) -> bytes:
    # Deferred: the FIT writer takes a moment to import.
    from shared.exports.fit import render_fit

    return render_fit(day, reference)


def _any_sport(day: PlanDay) -> str | None:
    return None  # FIT has workouts of every sport (generic for one it does not name)


# One session as a device workout: `trainplan plan --format NAME --out DIR` (one file per
# session), `GET /training-plans/{id}/days/{date}/workout.EXT` and `.../workouts.zip`.
WORKOUT_FORMATS: dict[str, WorkoutFormat] = {
    f.name: f
    for f in (
        WorkoutFormat("fit", "fit", "application/vnd.ant.fit", render=_fit, refusal=_any_sport),
        WorkoutFormat("zwo", "zwo", "application/xml", render=render_zwo, refusal=zwo_refusal),
    )
}


def by_extension(
    formats: Mapping[str, ExportFormat[Content]], extension: str
) -> ExportFormat[Content] | None:
    """The format of `formats` whose files end in `.extension`."""
    return next((f for f in formats.values() if f.extension == extension), None)


def extensions(formats: Mapping[str, ExportFormat[Content]]) -> str:
    """`.a or .b`: for messages naming what is accepted."""
    return " or ".join(f".{f.extension}" for f in formats.values())


def render(result: PlanResult, name: str, key: str | None = None) -> str:
    """The plan in the plan format `name`, e.g. for `trainplan plan --format NAME`."""
    return PLAN_FORMATS[name].render(result, key)
