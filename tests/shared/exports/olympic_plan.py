"""A real olympic-triathlon plan, solved once per test process, for the views' tests: the
athlete's FTP, CSS and threshold pace given, so rides carry watts, swims and runs paces."""

from __future__ import annotations

from functools import cache

from shared.markers import Markers
from shared.planning import PlanRequest, PlanResult
from tests.engine.conftest import request_for
from worker.engine.solve import solve

MARKERS = Markers(ftp_w=250.0, css_s_per_100m=105.0, threshold_pace_s_per_km=270.0)


def olympic_request() -> PlanRequest:
    return request_for(
        "olympic",
        16,
        time_limit_s=10.0,
        athlete={"weekly_hours": 10.0},
        markers=MARKERS.model_dump(exclude_none=True),
    )


@cache
def olympic_plan() -> PlanResult:
    result = solve(olympic_request())
    assert result.status in ("OPTIMAL", "FEASIBLE"), result.conflicts
    return result
