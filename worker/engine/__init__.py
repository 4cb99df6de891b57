"""The planning engine: pure code, request in, plan out, no I/O.

`solve(request, on_progress=None, cancel=None) -> PlanResult` is the single entry point;
`replan(replan_request, on_progress=None, cancel=None) -> ReplanResult` re-plans from a date.
`validate(request, today)` lists plain-language problems without solving.
"""

from worker.engine.errors import InvalidRequest
from worker.engine.replan import replan
from worker.engine.solve import solve
from worker.engine.validation import validate

__all__ = ["InvalidRequest", "replan", "solve", "validate"]
