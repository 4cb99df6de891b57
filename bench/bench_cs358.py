"""CS358 instances: our CP-SAT model against HiGHS and GLPK on the same MIP, in one run.

Each instance is built once as solver-neutral rows (`worker.reproduce.cs358`), solved by
CP-SAT in this process, and written as a CPLEX-LP file that HiGHS (`highspy`) and, when on
PATH, GLPK's `glpsol` solve in child processes (highspy and ortools cannot share a process:
their bundled HiGHS builds clash). All three get the identical formulation (the tight one,
with implied rows); times are the solvers' own solve calls, model building and file reading
excluded. Instances: N in 35, 70, 105, 182, 315 x D in 1, 2 with R = 1, B = 50 and the
issue's default race rule (one race on day N//2 when N >= 60).

Usage: python -m bench.bench_cs358 [--limit SECONDS] [--out bench/results]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

INSTANCES = [(n, d) for n in (35, 70, 105, 182, 315) for d in (1, 2)]
REST_DAYS, BASELINE = 1, 50

HIGHS_CHILD = """
import json, sys, time, highspy
path, limit = sys.argv[1], float(sys.argv[2])
h = highspy.Highs()
h.setOptionValue("output_flag", False)
h.setOptionValue("time_limit", limit)
h.setOptionValue("threads", 2)
h.readModel(path)
t = time.perf_counter(); h.run(); elapsed = time.perf_counter() - t
info = h.getInfo()
print(json.dumps({"status": h.modelStatusToString(h.getModelStatus()), "seconds": elapsed,
                  "objective": info.objective_function_value, "bound": info.mip_dual_bound,
                  "gap": info.mip_gap}))
"""


def run_highs(lp: Path, limit: float, constant: int, scale: int) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-c", HIGHS_CHILD, str(lp), str(limit)],
        capture_output=True,
        text=True,
        timeout=limit + 120,
        check=False,
    )
    if proc.returncode != 0:
        return {"status": "error", "error": proc.stderr.strip()[-300:]}
    out: dict[str, Any] = json.loads(proc.stdout)
    out["optimal"] = out["status"] == "Optimal"
    out["f_n"] = (out["objective"] + constant) / scale
    return out


def run_glpk(lp: Path, limit: float, constant: int, scale: int) -> dict[str, Any] | None:
    glpsol = shutil.which("glpsol")
    if glpsol is None:
        return None
    with tempfile.NamedTemporaryFile(suffix=".out", delete=False) as f:
        out_path = Path(f.name)
    started = time.perf_counter()
    proc = subprocess.run(
        [glpsol, "--lp", str(lp), "--tmlim", str(int(limit)), "-o", str(out_path)],
        capture_output=True,
        text=True,
        timeout=limit + 120,
        check=False,
    )
    elapsed = time.perf_counter() - started
    log = proc.stdout
    optimal = "INTEGER OPTIMAL SOLUTION FOUND" in log
    result: dict[str, Any] = {"seconds": elapsed, "optimal": optimal, "status": "Optimal"}
    if not optimal:
        result["status"] = "time limit" if "TIME LIMIT EXCEEDED" in log else "not solved"
        # last progress line: "+  1234: mip =  3.26e+03 <=  3.28e+03  0.5% (...)"
        lines = [ln for ln in log.splitlines() if "mip =" in ln and "<=" in ln]
        if lines:
            parts = lines[-1].split()
            try:
                gap = parts[parts.index("<=") + 2]
                result["gap"] = gap
                result["f_n"] = (float(parts[parts.index("=") + 1]) + constant) / scale
            except (ValueError, IndexError):
                pass
    else:
        text = out_path.read_text()
        for line in text.splitlines():
            if line.startswith("Objective:"):
                result["f_n"] = (float(line.split("=")[1].split()[0]) + constant) / scale
    out_path.unlink(missing_ok=True)
    return result


def run_cpsat(n: int, d: int, limit: float) -> tuple[dict[str, Any], Any]:
    from shared.reproduce import Cs358Request
    from worker.reproduce.cs358 import (
        InvestmentData,
        build_formulation,
        solver_parameters,
        to_cp_model,
    )

    req = Cs358Request(days=n, rest_days=REST_DAYS, baseline=BASELINE, max_runs_per_day=d)
    form = build_formulation(InvestmentData.from_request(req))
    model, _ = to_cp_model(form)
    solver = solver_parameters(limit, 2, n)
    code = solver.solve(model)
    return {
        "status": solver.status_name(code),
        "optimal": solver.status_name(code) == "OPTIMAL",
        "seconds": solver.wall_time,
        "f_n": solver.objective_value / form.scale,
        "bound": solver.best_objective_bound / form.scale,
    }, form


def fmt_time(r: dict[str, Any] | None) -> str:
    if r is None:
        return "not installed"
    if r.get("status") == "error":
        return "error"
    if r["optimal"]:
        return f"{r['seconds']:.2f} s"
    gap = r.get("gap")
    return f"limit ({r['seconds']:.0f} s), gap {gap}" if gap is not None else "limit, no plan"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=float, default=60.0, help="per solver and instance")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    ap.add_argument("--only", default="", help="e.g. 35x1,70x2")
    args = ap.parse_args(argv)
    wanted = INSTANCES
    if args.only:
        wanted = [tuple(map(int, s.split("x"))) for s in args.only.split(",")]  # type: ignore[misc]
    args.out.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, d in wanted:
            from worker.reproduce.cs358 import to_lp

            ours, form = run_cpsat(n, d, args.limit)
            lp = Path(tmp) / f"cs358_{n}_{d}.lp"
            lp.write_text(to_lp(form))
            highs = run_highs(lp, args.limit, form.objective_constant, form.scale)
            glpk = run_glpk(lp, args.limit, form.objective_constant, form.scale)
            ratio = highs["seconds"] / ours["seconds"] if highs.get("optimal") else None
            row = {
                "instance": f"N={n} D={d}",
                "days": n,
                "max_runs_per_day": d,
                "optimum": ours["f_n"] if ours["optimal"] else None,
                "cpsat": ours,
                "highs": highs,
                "glpk": glpk,
                "highs_over_cpsat": ratio,
            }
            rows.append(row)
            print(
                f"{row['instance']:12s} f_N={ours['f_n']:.0f} cpsat {fmt_time(ours)} "
                f"highs {fmt_time(highs)} glpk {fmt_time(glpk)}",
                flush=True,
            )
    load_after = os.getloadavg()
    meta = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}",
        "load_average_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
        "limit_s": args.limit,
        "rest_days": REST_DAYS,
        "baseline": BASELINE,
        "races": "issue default: one race on day N//2 when N >= 60",
    }
    (args.out / "cs358.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2))
    lines = [
        "# CS358 model: CP-SAT vs HiGHS vs GLPK",
        "",
        f"{meta['date']} on {meta['machine']}; 1-min load average before/after the run "
        f"{meta['load_average_before_after']} (2 cores shared with other work: times are "
        "noisy). Same CPLEX-LP formulation for every solver (tight form with implied rows); "
        f"R = {REST_DAYS}, B = {BASELINE}, races by the issue's default rule; limit "
        f"{args.limit:.0f} s per solver. CP-SAT: 2 workers (`max_lp`, `default_lp`), 1 for "
        "N <= 70; HiGHS: threads = 2. Time = the solver's own solve call to proven optimality.",
        "",
        "| instance | optimum f_N | CP-SAT | HiGHS | GLPK | HiGHS / CP-SAT |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        ratio = f"{r['highs_over_cpsat']:.1f}x" if r["highs_over_cpsat"] else "-"
        optimum = f"{r['optimum']:.0f}" if r["optimum"] is not None else "-"
        lines.append(
            f"| {r['instance']} | {optimum} | {fmt_time(r['cpsat'])} | {fmt_time(r['highs'])} "
            f"| {fmt_time(r['glpk'])} | {ratio} |"
        )
    (args.out / "cs358.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {args.out / 'cs358.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
