"""CP-SAT parameters, chosen by measurement on 2 cores (see bench/).

`configure_base` holds what every solve here shares; `configure` adds the plan solves' own:

- The default 2-worker portfolio pairs one tree search with LNS and proves the
  bound slowly; the LP-heavy `max_lp` and `default_lp` subsolvers close the gap
  on this model (its weekly knapsacks have a tight LP relaxation).
- Full presolve with probing spent ~0.8 s on the dense fitness rows for little
  gain; one presolve pass without probing starts the search in ~0.1 s.
- The heuristic hint (hint.py) is complete and feasible, so it is the first
  solution as soon as the search starts.

Repeatable plans (a request's `seed`, 0 by default): the same request, time limit
included, gives the same plan on the same machine and version. CP-SAT's parallel
portfolio is not deterministic (workers share solutions and bounds as they come), so the
search runs interleaved (`interleave_search`: the subsolvers' work is cut into batches,
run on `num_workers` threads and synchronised between batches in a fixed order) and
stops on a deterministic budget, `DTIME_PER_SECOND` units of CP-SAT's deterministic time
per second of `time_limit_s` (an operation count, summed over the workers), so that a
2-core machine spends it in about `time_limit_s`. The wall clock still caps the solve, at
`PlanRequest.wall_limit_s` (WALL_BACKSTOP times `time_limit_s`): a machine so loaded that
the budget is not spent by then gets the best plan found so far, which may then differ
from run to run. A search that ends on `gap_limit` or with a proof is as repeatable (the
interleaved search notices the gap at a batch's end, so it may search on a little after
the gap is reached, deterministically). `seed=None` runs the free portfolio instead:
faster to a good plan, not repeatable, capped at `time_limit_s`.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from shared.planning import PlanRequest

# The LP-heavy pair that proves optima fastest with 2 workers (plans and CS358 alike).
LP_SUBSOLVERS = ("max_lp", "default_lp")
# Deterministic time per second of the request's time limit (see the module docstring):
# 2 busy cores spent 0.4-0.5 units per wall second (bench/results/determinism.md).
DTIME_PER_SECOND = 0.5
# ...but never less than this: presolve alone spends about 0.5 units on a 52-week plan, and
# a budget spent before the search starts ends without the hint's plan.
MIN_BUDGET = 1.0


def configure_base(solver: cp_model.CpSolver, workers: int, time_limit_s: float) -> None:
    """The settings every CP-SAT solve here shares (plans and the seed reproductions).

    CP-SAT's SIGINT handler is left to `configure`: the reproductions solve on the CLI's
    main thread, where that handler turns Ctrl-C into a stop with the best solution found."""
    p = solver.parameters
    p.num_workers = workers
    p.max_time_in_seconds = time_limit_s


def configure_probe(solver: cp_model.CpSolver, budget: float) -> None:
    """A feasibility check of an explanation (explain.py): one worker on `budget` units of
    deterministic time (the same answer every time), a generous wall backstop, and
    the plans' light presolve (probing the dense fitness rows costs seconds, proves little).
    """
    configure_base(solver, 1, 1.0 + 4.0 * budget)
    p = solver.parameters
    p.max_deterministic_time = budget
    p.max_presolve_iterations = 1
    p.cp_model_probing_level = 0
    p.catch_sigint_signal = False


def configure_explain(solver: cp_model.CpSolver, budget: float) -> None:
    """A check of an explanation (explain.py): one worker on `budget` units of deterministic
    time (the same answer every time), one presolve pass without probing, and no LP. The
    conflicts these checks meet are propagation's to find (a week's sums, a row whose
    bounds cannot meet); the LP relaxation slowed the core of a 36-week conflict down
    (bench/results/explain-after.md), and no presolve at all slowed it too."""
    configure_base(solver, 1, 1.0 + 4.0 * budget)
    p = solver.parameters
    p.max_deterministic_time = budget
    p.max_presolve_iterations = 1
    p.cp_model_probing_level = 0
    p.linearization_level = 0
    p.catch_sigint_signal = False


def configure(solver: cp_model.CpSolver, request: PlanRequest) -> None:
    configure_base(solver, request.workers, request.wall_limit_s)
    p = solver.parameters
    p.relative_gap_limit = request.gap_limit
    p.max_presolve_iterations = 1
    p.cp_model_probing_level = 0
    # CP-SAT's own SIGINT handler aborts the process when the solve runs off the main
    # thread (CLI, Celery); cancellation goes through the engine's Event instead.
    p.catch_sigint_signal = False
    if request.workers >= 2:
        p.subsolvers.extend(LP_SUBSOLVERS)
    if request.seed is not None:
        p.random_seed = request.seed
        p.interleave_search = True
        p.max_deterministic_time = max(request.time_limit_s * DTIME_PER_SECOND, MIN_BUDGET)
