from __future__ import annotations

from datetime import date, timedelta

from shared.planning import Distance, PlanRequest, Race


def monday_weeks_before(race: date, weeks: int) -> date:
    return race - timedelta(days=race.weekday()) - timedelta(weeks=weeks - 1)


def request_for(
    distance: Distance, weeks: int, race: date = date(2027, 4, 18), **kwargs: object
) -> PlanRequest:
    """A plan request with a short time limit: tests check properties, not optimality."""
    params: dict[str, object] = {"time_limit_s": 4.0, "gap_limit": 0.02}
    params.update(kwargs)
    return PlanRequest.model_validate(
        {
            "races": [Race(date=race, distance=distance)],
            "start": monday_weeks_before(race, weeks),
            **params,
        }
    )
