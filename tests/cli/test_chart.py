"""`trainplan plan --chart FILE`: the chart written beside the plan, by its extension."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from shared.exports.chart import DPI, HEIGHT_IN, WIDTH_IN, render_chart
from shared.planning import PlanResult
from tests.shared.exports.chart_checks import check_svg_chart, png_size
from worker.cli import main

START = date.today() + timedelta(days=14 - date.today().weekday())  # a Monday, 1-2 weeks out
RACE = START + timedelta(days=7 * 4 - 1)


def _plan_args(*extra: str) -> list[str]:
    return [
        "plan",
        *("--race-date", RACE.isoformat(), "--distance", "5k", "--start", START.isoformat()),
        *("--time-limit", "3", "--quiet", *extra),
    ]


def test_cli_chart_png_and_svg(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, png = tmp_path / "plan.json", tmp_path / "charts" / "plan.png"
    code = main(_plan_args("--format", "json", "--out", str(out), "--chart", str(png)))
    assert code == 0, capsys.readouterr().err
    doc = json.loads(out.read_text())
    width, height = png_size(png.read_bytes())
    assert (width, height) == (int(WIDTH_IN * DPI), int(HEIGHT_IN * DPI))

    # The SVG of the same plan, drawn from the JSON the CLI wrote, is checked day by day.
    plan = PlanResult.model_validate(doc)
    svg = render_chart(plan.days, race_date=plan.race_date, fmt="svg")
    check_svg_chart(svg, doc["days"], RACE)


def test_cli_chart_svg_by_extension(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, svg = tmp_path / "plan.json", tmp_path / "plan.SVG"
    code = main(_plan_args("--format", "json", "--out", str(out), "--chart", str(svg)))
    assert code == 0, capsys.readouterr().err
    check_svg_chart(svg.read_bytes(), json.loads(out.read_text())["days"], RACE)


def test_cli_chart_bad_extension_fails_before_solving(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(_plan_args("--chart", str(tmp_path / "plan.pdf")))
    err = capsys.readouterr().err
    assert code == 1
    assert "--chart" in err and ".png or .svg" in err
    assert not (tmp_path / "plan.pdf").exists()
