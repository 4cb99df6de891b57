"""A runner's training zones, derived from the performance markers of their profile."""

from __future__ import annotations

from fastapi import APIRouter

from api import store
from api.deps import DbDep, TenantDep
from api.errors import COMMON_ERRORS, error
from api.ids import RunnerId
from shared.zones import RunnerZones

router = APIRouter(prefix="/runners", tags=["runners"], responses=COMMON_ERRORS)

HINT = (
    "No performance markers yet: add `markers.race_result` ({distance_m, time_s} of a recent "
    'race, e.g. {"distance_m": 10000, "time_s": 2700}) or `markers.threshold_pace_s_per_km` '
    "for paces; `markers.lthr_bpm` or `max_hr_bpm` for heart-rate zones, `ftp_w` for power, "
    "`css_s_per_100m` for swim paces."
)


@router.get("/{runner_id}/zones", responses={404: error("unknown runner")})
async def get_zones(runner_id: RunnerId, db: DbDep, tenant: TenantDep) -> RunnerZones:
    """Daniels paces (E/M/T/I/R, from the race result or the threshold pace), heart-rate
    zones (Friel's from LTHR, else % of max HR), Coggan power levels (FTP), swim paces
    (CSS); null where the marker is unknown."""
    runner = await store.get_runner(db, tenant, runner_id)
    zones = runner.markers.zones()
    return RunnerZones(
        **zones.model_dump(), runner_id=runner_id, hint=None if zones.known else HINT
    )
