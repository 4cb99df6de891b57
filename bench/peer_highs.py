"""Solve a translated plan MIP (bench/peer_mip.py) with HiGHS, in a process of its own.

    python -m bench.peer_highs MODEL.npz TIME_LIMIT THREADS

Prints one JSON line: status, the user objective and bound (the proto's sense and units),
the time of every improving solution and of each new dual bound (from HiGHS callbacks), and
the run time. No OR-Tools here: the two libraries do not share a process.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import highspy
import numpy as np


def solve(path: str, limit: float, threads: int) -> dict[str, Any]:
    data = np.load(path)
    scale = float(data["scale"][0])
    lp = highspy.HighsLp()
    lp.num_col_ = len(data["cost"])
    lp.num_row_ = len(data["row_lower"])
    lp.col_cost_ = data["cost"]
    lp.col_lower_ = data["col_lower"]
    lp.col_upper_ = data["col_upper"]
    lp.row_lower_ = data["row_lower"]
    lp.row_upper_ = data["row_upper"]
    lp.offset_ = float(data["offset"][0])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = data["starts"]
    lp.a_matrix_.index_ = data["index"]
    lp.a_matrix_.value_ = data["value"]
    lp.integrality_ = [highspy.HighsVarType.kInteger] * lp.num_col_
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", limit)
    h.setOptionValue("threads", threads)
    h.setOptionValue("mip_rel_gap", 0.0)  # to optimality or the limit, as CP-SAT runs
    h.passModel(lp)
    if len(data["hint_cols"]):
        start = highspy.HighsSolution()
        values = np.zeros(lp.num_col_)
        values[data["hint_cols"]] = data["hint_vals"]
        start.col_value = list(values)
        start.value_valid = True
        h.setSolution(start)
    events: list[dict[str, float]] = []
    began = time.perf_counter()

    def seen(e: Any) -> None:
        out = e.data_out
        primal, dual = float(out.mip_primal_bound), float(out.mip_dual_bound)
        if not (np.isfinite(primal) and np.isfinite(dual)):
            return
        if events and events[-1]["primal"] == primal and events[-1]["dual"] == dual:
            return
        events.append({"t": time.perf_counter() - began, "primal": primal, "dual": dual})

    h.cbMipImprovingSolution.subscribe(seen)
    h.cbMipInterrupt.subscribe(seen)
    h.run()
    elapsed = time.perf_counter() - began
    info = h.getInfo()
    status = h.modelStatusToString(h.getModelStatus())
    # Internal minimisation -> the proto's user sense: user = scale * internal.
    primal = float(info.objective_function_value) if info.primal_solution_status else None
    dual = float(info.mip_dual_bound)
    return {
        "status": status,
        "objective": scale * primal if primal is not None else None,
        "bound": scale * dual if np.isfinite(dual) else None,
        "seconds": elapsed,
        "events": [
            {"t": ev["t"], "objective": scale * ev["primal"], "bound": scale * ev["dual"]}
            for ev in events
        ],
        "version": highspy.Highs().version(),
    }


if __name__ == "__main__":
    print(json.dumps(solve(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]))))
