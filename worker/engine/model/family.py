"""What a constraint family is: its name, its builder, its sentence, its re-planning policy.

The registry (`registry.py`) lists every family once; the model build, the explanation of
an infeasible request and re-planning all read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from shared.planning import Athlete, PlanRequest, PlanRules, SessionKind, TrainingSchema
from worker.engine.model.container import PlanModel, Rows
from worker.engine.past import FixedPast


class Replanning(Enum):
    """How a re-plan treats a family's rows that the days already lived affect."""

    # A bound the past broke for good becomes "the future does not make it worse".
    DEFAULT = "default"
    # A target on a future day: an unreachable one is a conflict to report, not to relax.
    NEVER_RELAXED = "never relaxed"
    # A weekly minimum the days left in the week cannot reach is waived for that week.
    WAIVED_MINIMUM = "minimum waived"
    # The family settles its rows against the lived days itself (`Family.settle`), then
    # as DEFAULT.
    SETTLED = "settled against the days lived"


@dataclass(frozen=True)
class Limits:
    """The runner's request as a family's sentence reads it."""

    athlete: Athlete
    rules: PlanRules
    schema: TrainingSchema
    ctl: float  # the form the plan starts from (a re-plan: the form the lived days left)
    atl: float

    @classmethod
    def of(
        cls, request: PlanRequest, schema: TrainingSchema, fixed: FixedPast | None = None
    ) -> Limits:
        a = request.athlete
        ctl, atl = (round(fixed.ctl, 1), round(fixed.atl, 1)) if fixed else (a.ctl, a.atl)
        return cls(athlete=a, rules=request.rules, schema=schema, ctl=ctl, atl=atl)

    def durations(self, kind: SessionKind) -> list[int]:
        """The durations (minutes) of the schema's sessions of `kind`."""
        return [s.duration_min for s in self.schema.sessions if s.kind == kind]


Builder = Callable[[PlanModel, Rows], None]


@dataclass(frozen=True)
class Family:
    """One constraint family. Without `explain` it is structural: always hard, never
    guarded, never named in an explanation."""

    name: str
    add: Builder
    explain: Callable[[Limits], str] | None = None
    replanning: Replanning = Replanning.DEFAULT
    settle: Callable[[PlanModel], None] | None = None  # with Replanning.SETTLED only

    def __post_init__(self) -> None:
        if (self.settle is not None) != (self.replanning is Replanning.SETTLED):
            raise ValueError(f"family {self.name}: a settle hook goes with Replanning.SETTLED")
        if self.explain is None and self.replanning is not Replanning.DEFAULT:
            raise ValueError(f"family {self.name}: a structural family has no policy")

    @property
    def user_facing(self) -> bool:
        return self.explain is not None

    def build(self, pm: PlanModel) -> None:
        self.add(pm, Rows(pm, self.name if self.user_facing else None))
