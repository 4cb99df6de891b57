"""The registry of output formats: every entry renders, says truly whether it is binary, is
found by its extension; and listing the formats does not load matplotlib."""

from __future__ import annotations

import subprocess
import sys

import pytest

from shared.exports.registry import CHART_FORMATS, PLAN_FORMATS, ExportFormat, by_extension
from shared.planning import PlanResult

ALL = [*PLAN_FORMATS.values(), *CHART_FORMATS.values()]


@pytest.mark.parametrize("fmt", ALL, ids=[f.name for f in ALL])
def test_every_format_renders_what_it_declares(
    fmt: ExportFormat[str] | ExportFormat[bytes], handmade_plan: PlanResult
) -> None:
    content = fmt.render(handmade_plan, "plan-1")
    assert content
    assert isinstance(content, bytes) == fmt.binary
    assert "/" in fmt.media_type and not fmt.extension.startswith(".")


def test_each_format_is_found_by_its_extension() -> None:
    for formats in (PLAN_FORMATS, CHART_FORMATS):
        assert len({f.extension for f in formats.values()}) == len(formats)
        for name, fmt in formats.items():
            assert fmt.name == name
            assert by_extension(formats, fmt.extension) is fmt
    assert by_extension(PLAN_FORMATS, "svg") is None  # a chart is not a plan format
    assert by_extension(PLAN_FORMATS, "pdf") is None


def test_the_key_names_the_plan_in_the_calendar(handmade_plan: PlanResult) -> None:
    ics = PLAN_FORMATS["ics"]
    assert "-plan-1@trainplan" in ics.render(handmade_plan, "plan-1")
    derived = ics.render(handmade_plan, None)  # no id (a CLI plan file): one from the plan
    assert "-plan-1@" not in derived and "@trainplan" in derived


def test_listing_the_formats_does_not_import_matplotlib() -> None:
    """The API imports the registry at start; matplotlib loads with the first chart only."""
    code = "import sys, api.routers.exports, worker.cli.plan; sys.exit('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
