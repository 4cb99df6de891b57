"""`PATCH /runners/{id}`: the given fields merged into the stored profile, validated whole."""

from __future__ import annotations

from pydantic import ValidationError

from api.errors import ApiError
from shared.documents import RunnerIn, RunnerPatch
from shared.submission import describe

# Derived from `recent_loads` when not given (shared/submission.py, worker/fitness.py).
DERIVED_FROM_LOADS = ("ctl", "atl")


def merged(current: RunnerIn, patch: RunnerPatch) -> RunnerIn:
    """The profile after the patch: each field given replaces the stored value (lists and
    `thresholds` whole); the result is validated as a new runner's profile would be."""
    given = patch.model_fields_set
    profile = {
        **current.model_dump(mode="json"),
        **patch.model_dump(mode="json", include=given),
    }
    # New loads say what the fitness is, as on creation: stored CTL/ATL not given again
    # would otherwise silently win over them.
    if "recent_loads" in given and profile["recent_loads"]:
        for field in DERIVED_FROM_LOADS:
            if field not in given:
                profile[field] = None
    try:
        return RunnerIn.model_validate(profile)
    except ValidationError as exc:
        problems = describe(exc)
        raise ApiError(422, "invalid request: " + "; ".join(problems), problems) from exc
