"""The repeatable search's guard: never hand CP-SAT's interleaved search an infeasible hint.

CP-SAT 9.15 aborts the whole process (`Check failed: heuristics.fixed_search != nullptr`)
when, with `interleave_search`, a full-problem subsolver proves the model infeasible while
loading it and a solution hint is present (the hint is then infeasible too, and the
hint-repair search starts without its heuristics). A model with a feasible hint is
feasible, so the abort cannot happen; the hint is therefore checked first (in Python, on
the model's rows), and when it breaks a row, a short single-worker search (the sequential
path, where the abort does not occur) decides:

- it proves the request infeasible: that is the answer, and quickly;
- it finds a plan (it stops at the first): that plan becomes the hint (feasible, so the
  interleaved search is safe);
- neither within its budget: the interleaved search runs without a hint.

Every step is deterministic (the probe stops on deterministic time), so the plan still
depends only on the request.
"""

from __future__ import annotations

from ortools.sat.python import cp_model, cp_model_helper

from worker.engine.model import PlanModel
from worker.engine.parameters import configure_probe

# Deterministic time of the probe: enough to prove the infeasible requests of
# bench/bench_explain.py infeasible at 36 weeks; a feasible one stops at its first plan.
PROBE_BUDGET = 0.5


# Constraint kinds the plan model does not use (an emptied row, settle.py, has none).
_OTHER_KINDS = (
    "all_diff",
    "automaton",
    "bool_xor",
    "circuit",
    "cumulative",
    "dummy_constraint",
    "element",
    "int_div",
    "int_mod",
    "int_prod",
    "interval",
    "inverse",
    "no_overlap",
    "no_overlap_2d",
    "reservoir",
    "routes",
    "table",
)


def _holds(ct: cp_model_helper.ConstraintProto, value: dict[int, int]) -> bool | None:
    """Whether a constraint holds under `value` (None: a kind not evaluated here)."""

    def lit(ref: int) -> bool:
        return value[ref] != 0 if ref >= 0 else value[-ref - 1] == 0

    if not all(lit(r) for r in ct.enforcement_literal):
        return True
    if ct.has_linear():
        total = sum(c * value[v] for v, c in zip(ct.linear.vars, ct.linear.coeffs, strict=True))
        dom = list(ct.linear.domain)
        return any(dom[i] <= total <= dom[i + 1] for i in range(0, len(dom), 2))
    if ct.has_exactly_one():
        return sum(lit(r) for r in ct.exactly_one.literals) == 1
    if ct.has_at_most_one():
        return sum(lit(r) for r in ct.at_most_one.literals) <= 1
    if ct.has_bool_or():
        return any(lit(r) for r in ct.bool_or.literals)
    if ct.has_bool_and():
        return all(lit(r) for r in ct.bool_and.literals)
    if ct.has_lin_max():

        def expr(e: cp_model_helper.LinearExpressionProto) -> int:
            return int(e.offset) + sum(c * value[v] for v, c in zip(e.vars, e.coeffs, strict=True))

        exprs = [expr(e) for e in ct.lin_max.exprs]
        return bool(exprs) and expr(ct.lin_max.target) == max(exprs)
    return None if any(getattr(ct, f"has_{kind}")() for kind in _OTHER_KINDS) else True


def hint_is_feasible(model: cp_model.CpModel) -> bool:
    """The model's hint gives every variable a value in its domain and meets every row."""
    proto = model.proto
    hint = proto.solution_hint
    value = dict(zip(hint.vars, hint.values, strict=True))
    for index, var in enumerate(proto.variables):
        dom = list(var.domain)
        if index not in value:
            if dom[0] != dom[-1]:
                return False  # incomplete
            value[index] = dom[0]
        v = value[index]
        if not any(dom[i] <= v <= dom[i + 1] for i in range(0, len(dom), 2)):
            return False
    return all(_holds(ct, value) is True for ct in proto.constraints)


def guard_hint(pm: PlanModel) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver] | None:
    """Make `pm`'s hint safe for the interleaved search (see the module docstring); returns
    the probe's (status, solver) when it proved the request infeasible, else None."""
    model = pm.model
    if not model.proto.has_solution_hint() or hint_is_feasible(model):
        return None
    solver = cp_model.CpSolver()
    configure_probe(solver, PROBE_BUDGET)
    solver.parameters.stop_after_first_solution = True
    code = solver.solve(model)
    if code == cp_model.INFEASIBLE:
        return code, solver
    model.clear_hints()
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for index in range(len(model.proto.variables)):
            var = model.get_int_var_from_proto_index(index)
            model.add_hint(var, solver.value(var))
    return None
