"""The CP-SAT model of a training plan: variables, constraint families, objective.

Every family is declared once in `registry.py` (name, builder, explanation, re-planning
policy). In diagnosis mode each user-facing family is guarded by an assumption literal,
so an infeasible request can be explained by the families in an infeasible core (see
`explain.py`). A re-plan fixes the days already lived and settles the rows over them
(`settle.py`); `warm_start.py` hints a complete solution from chosen sessions.
"""

from worker.engine.model.build import build_model
from worker.engine.model.container import OBJECTIVE_SCALE, PlanModel

__all__ = ["OBJECTIVE_SCALE", "PlanModel", "build_model"]
