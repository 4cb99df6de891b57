"""The MIP translation of a CP-SAT model (bench/peer_mip.py) is the same model: CP-SAT's
solutions satisfy every row with the same objective, and a broken assignment is caught."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model

from bench.peer_mip import evaluate, translate
from shared.planning import Athlete, PlanRequest, Race
from worker.engine.calendar import build_calendar
from worker.engine.hint import add_heuristic_hint
from worker.engine.model import build_model
from worker.engine.validation import schema_for


def _proto(model: cp_model.CpModel, tmp_path: Path) -> cp_model_pb2.CpModelProto:
    path = tmp_path / "m.pb"
    model.export_to_file(str(path))
    return cp_model_pb2.CpModelProto.FromString(path.read_bytes())


def _values(solver: cp_model.CpSolver, model: cp_model.CpModel, n: int) -> dict[int, float]:
    return {i: float(solver.value(model.get_int_var_from_proto_index(i))) for i in range(n)}


def test_every_constraint_kind_keeps_its_meaning(tmp_path: Path) -> None:
    m = cp_model.CpModel()
    x = m.new_int_var(0, 10, "x")
    y = m.new_int_var(-5, 5, "y")
    a, b, c = (m.new_bool_var(n) for n in "abc")
    t = m.new_int_var(-20, 40, "t")
    m.add(2 * x - 3 * y <= 12)
    m.add_exactly_one([a, b, c])
    m.add_bool_and([a.Not()]).only_enforce_if(b)  # b -> not a
    m.add_max_equality(t, [x + 2 * y, 3 - x, 5 * c])
    m.add_bool_or([a, c])
    m.maximize(x + y - 2 * t + 7 * a)
    proto = _proto(m, tmp_path)
    mip = translate(proto)
    solver = cp_model.CpSolver()
    assert solver.solve(m) == cp_model.OPTIMAL
    objective, violation = evaluate(mip, _values(solver, m, len(proto.variables)))
    assert violation == 0
    assert objective == solver.objective_value
    # Every assignment of the booleans: feasible for the MIP exactly when CP-SAT agrees.
    for av in (0, 1):
        for bv in (0, 1):
            for cv in (0, 1):
                probe = cp_model.CpModel()
                probe.proto.copy_from(m.proto)
                for lit, v in ((a, av), (b, bv), (c, cv)):
                    probe.add(probe.get_bool_var_from_proto_index(lit.index) == v)
                s = cp_model.CpSolver()
                ok = s.solve(probe) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
                guess = {0: 5.0, 1: 0.0, 2: av, 3: bv, 4: cv}
                guess[5] = max(guess[0] + 2 * guess[1], 3 - guess[0], 5 * cv)
                _, broken = evaluate(mip, guess)
                # x=5, y=0 satisfies the linear row; the booleans decide the rest.
                assert (broken == 0) == ok, (av, bv, cv)


def test_a_plan_models_solution_satisfies_its_translation(tmp_path: Path) -> None:
    request = PlanRequest(races=[Race(date=date(2027, 10, 31), distance="10k")], athlete=Athlete())
    schema = schema_for(request)
    pm = build_model(request, schema, build_calendar(request, schema))
    add_heuristic_hint(pm)
    proto = _proto(pm.model, tmp_path)
    mip = translate(proto)
    hint = {i: v for i, v in mip.hint.items() if i < mip.proto_columns}
    assert evaluate(mip, hint)[1] == 0  # the engine's hint holds every row
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 5
    solver.parameters.num_workers = 2
    assert solver.solve(pm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    values = _values(solver, pm.model, len(proto.variables))
    objective, violation = evaluate(mip, values)
    assert violation < 1e-6
    # The translation's objective is the proto's at the same values. (Not compared with
    # `solver.objective_value`: on some runs CP-SAT's postsolve returns values of the monotony
    # penalty's auxiliaries other than those its reported objective was computed with.)
    o = proto.objective
    linear = sum(c * values[v] for v, c in zip(o.vars, o.coeffs, strict=True))
    assert objective == (o.scaling_factor or 1.0) * (linear + o.offset)
    assert abs(objective - solver.objective_value) <= 0.01 * abs(objective)
    # Raising one day's load past its bound breaks the translation's rows or bounds.
    load = next(i for i, v in enumerate(proto.variables) if v.name.startswith("load_"))
    values[load] = float(proto.variables[load].domain[-1] + 1)
    assert evaluate(mip, values)[1] > 0
