"""What `GET /runners` shows of each runner's plans: the latest plan, its goal race and
today's form. One query per collection for the whole page, never one per runner."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from api import store
from api.versions import version_of
from shared import names
from shared.documents import FormToday, GoalRace, Runner, RunnerListItem
from shared.indexes import version_days
from worker.jobs import lifecycle
from worker.jobs.lifecycle import AsyncJobs

Doc = dict[str, Any]

JOB_FIELDS = [
    "runner_id",
    "plan_id",
    "kind",
    "version",
    "schema_id",
    "created_at",
    "request.marathon_date",
    "request.distance",
    "result.race_date",
    "engine_request.races",  # re-plans: the races their version was solved for
]


async def list_items(db: store.Db, tenant: str, runners: list[Runner]) -> list[RunnerListItem]:
    today = datetime.now(UTC).date()
    jobs = await AsyncJobs(db).find(
        lifecycle.runners_plans(tenant, [r.id for r in runners], JOB_FIELDS)
    )
    latest = latest_plans(jobs)
    versions = latest_versions(jobs, {j["plan_id"] for j in latest.values()})
    distances = await store.schema_distances(db, tenant, {j["schema_id"] for j in latest.values()})
    days = await days_on(db, tenant, [j["plan_id"] for j in latest.values()], today)

    items = []
    for runner in runners:
        generated = latest.get(runner.id)
        plan_id = generated["plan_id"] if generated else None
        version = versions.get(plan_id) if plan_id else None
        items.append(
            RunnerListItem(
                **runner.model_dump(),
                latest_plan_id=plan_id,
                goal_race=goal_race(generated, version, distances) if generated else None,
                form_today=form(days, plan_id, version_of(version) if version else 1, today)
                if plan_id
                else None,
            )
        )
    return items


def latest_plans(jobs: list[Doc]) -> dict[str, Doc]:
    """Each runner's newest generated plan (its generating job)."""
    latest: dict[str, Doc] = {}
    for job in jobs:
        if lifecycle.kind_of(job) != "generate":
            continue
        seen = latest.get(job["runner_id"])
        if seen is None or (job["created_at"], job["_id"]) > (seen["created_at"], seen["_id"]):
            latest[job["runner_id"]] = job
    return latest


def latest_versions(jobs: list[Doc], plan_ids: set[str]) -> dict[str, Doc]:
    """The newest re-plan of each of `plan_ids` that has one (absent: version 1)."""
    latest: dict[str, Doc] = {}
    for job in jobs:
        if lifecycle.kind_of(job) != "replan" or job["plan_id"] not in plan_ids:
            continue
        seen = latest.get(job["plan_id"])
        if seen is None or version_of(job) > version_of(seen):
            latest[job["plan_id"]] = job
    return latest


def goal_race(generated: Doc, replan: Doc | None, distances: dict[str, Any]) -> GoalRace | None:
    """The A race of the plan's latest version: a re-plan may have moved it."""
    shown = replan or generated
    race_date = (shown.get("result") or {}).get("race_date")
    races = ((replan or {}).get("engine_request") or {}).get("races") or []
    goal = next((r for r in races if r.get("priority", "A") == "A"), None)
    request = generated.get("request") or {}
    distance = (goal or {}).get("distance") or request.get("distance")
    distance = distance or distances.get(generated.get("schema_id", ""))
    race_date = race_date or request.get("marathon_date")
    if race_date is None or distance is None:
        return None
    return GoalRace(date=race_date, distance=distance)


async def days_on(db: store.Db, tenant: str, plan_ids: list[str], day: date) -> list[Doc]:
    """The day documents of `day` of these plans, every version (few: a slot or two each)."""
    if not plan_ids:
        return []
    cursor = db[names.PLAN_DAYS].find(
        {
            "plan_id": {"$in": plan_ids},
            "tenant_id": tenant,
            "date": datetime.combine(day, time(), tzinfo=UTC),
        },
        {"plan_id": 1, "version": 1, "slot": 1, "ctl": 1, "atl": 1, "tsb": 1},
    )
    return await cursor.to_list()


def form(days: list[Doc], plan_id: str, version: int, today: date) -> FormToday | None:
    """Today's values of the version shown: every slot of a date carries the date's."""
    wanted = version_days(plan_id, version)
    shown = [d for d in days if d["plan_id"] == plan_id and d.get("version") == wanted["version"]]
    if not shown:
        return None
    first = min(shown, key=lambda d: d.get("slot", 0))
    return FormToday(date=today, ctl=first["ctl"], atl=first["atl"], tsb=first["tsb"])
