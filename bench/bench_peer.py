"""The plan model side by side: CP-SAT (ours) and HiGHS on the same MIP, in the same run.

For each profile the engine builds its model with the heuristic hint; the exported proto is
translated row by row into a MIP (bench/peer_mip.py: every family, the same objective and
bounds, the same hint as a MIP start) that HiGHS solves in a child process
(bench/peer_highs.py) with the same time limit and threads. Recorded for both: time of the
first plan, time at which a gap <= 1% was first proven, final gap, objective and bound
(CTL - 0.5 ATL units of the engine). Writes bench/results/peer.md and peer.json.

    python -m bench.bench_peer [--weeks 8,20] [--profiles NAME,NAME|none] [--time-limit S]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

from ortools.sat import cp_model_pb2

from bench.bench_engine import RACE_DATE, machine
from bench.bench_quality import PROFILES
from bench.peer_mip import evaluate, translate
from shared.planning import Athlete, PlanRequest, Race, SolveProgress
from worker.engine.calendar import build_calendar
from worker.engine.hint import add_heuristic_hint
from worker.engine.model import OBJECTIVE_SCALE, build_model
from worker.engine.progress import relative_gap
from worker.engine.solve import search
from worker.engine.validation import schema_for

RESULTS = Path(__file__).resolve().parent / "results"
WEEKS = (8, 12, 16, 20, 24, 36, 52)
TARGET_GAP = 0.01


@dataclass
class Side:
    status: str
    first_s: float | None
    gap_1pct_s: float | None
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float


@dataclass
class Row:
    profile: str
    days: int
    limit_s: float
    rows: int
    nonzeros: int
    ours: Side
    highs: Side


def marathon(weeks: int) -> PlanRequest:
    return PlanRequest(
        races=[Race(date=RACE_DATE, distance="marathon")],
        start=RACE_DATE - timedelta(days=7 * weeks - 1),
        athlete=Athlete(),
    )


def limit_for(days: int) -> float:
    return 30.0 if days > 300 else 20.0 if days > 200 else 10.0


def _first_within(events: list[tuple[float, float, float]]) -> float | None:
    """The first time (t, objective, bound) shows a gap <= 1%."""
    return next((t for t, obj, bnd in events if relative_gap(obj, bnd) <= TARGET_GAP), None)


def run_ours(request: PlanRequest, limit: float, workers: int) -> tuple[Side, Any]:
    request = request.model_copy(
        update={"time_limit_s": limit, "gap_limit": 0.0, "workers": workers}
    )
    schema = schema_for(request)
    calendar = build_calendar(request, schema)
    t0 = time.perf_counter()
    pm = build_model(request, schema, calendar)
    add_heuristic_hint(pm)
    seen: list[SolveProgress] = []
    outcome = search(pm, on_progress=seen.append, throttle_s=0.0, started=t0)
    events = [(p.elapsed_s, p.objective, p.bound) for p in seen]
    fields = outcome.fields(request, calendar)
    if fields.get("gap") is not None:
        events.append((outcome.seconds, fields["objective"], fields["bound"]))
    side = Side(
        status=outcome.status,
        first_s=outcome.first_solution_s,
        gap_1pct_s=_first_within(events),
        objective=fields.get("objective"),
        bound=fields.get("bound"),
        gap=fields.get("gap"),
        seconds=outcome.seconds,
    )
    return side, pm


def run_highs(pm: Any, limit: float, threads: int, workdir: Path) -> tuple[Side, int, int, str]:
    """Translate the (hinted) model, check the hint against the MIP, solve in a child."""
    proto_path = workdir / "plan.pb"
    pm.model.export_to_file(str(proto_path))
    proto = cp_model_pb2.CpModelProto.FromString(proto_path.read_bytes())
    mip = translate(proto)
    hinted = {c: v for c, v in mip.hint.items() if c < mip.proto_columns}
    _, violation = evaluate(mip, hinted)
    if violation > 1e-6:  # a hint that breaks a row (the beginner's) is no MIP start
        print(f"  the hint breaks a row of the MIP by {violation:g}: HiGHS starts without it")
        mip.hint = {}
    npz = workdir / "plan.npz"
    mip.save(npz)
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bench.peer_highs", str(npz), str(limit), str(threads)],
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - t0
    out = json.loads(done.stdout.strip().splitlines()[-1])
    scale = OBJECTIVE_SCALE
    events = [(e["t"], e["objective"] / scale, e["bound"] / scale) for e in out["events"]]
    obj = out["objective"] / scale if out["objective"] is not None else None
    bound = out["bound"] / scale if out["bound"] is not None else None
    if obj is not None and bound is not None:
        events.append((out["seconds"], obj, bound))
    side = Side(
        status=out["status"],
        first_s=events[0][0] if events else None,
        gap_1pct_s=_first_within(events),
        objective=round(obj, 4) if obj is not None else None,
        bound=round(bound, 4) if bound is not None else None,
        gap=round(relative_gap(obj, bound), 6) if obj is not None and bound is not None else None,
        seconds=min(out["seconds"], wall),
    )
    return side, len(mip.rows), sum(len(r) for r in mip.rows), out["version"]


def _s(v: float | None, missing: str = "—") -> str:
    return missing if v is None else f"{v:.2f} s"


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.2f}%"


def _num(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f}"


def _ratio(ours: float | None, peer: float | None) -> str:
    if ours is None and peer is None:
        return "neither"
    if peer is None:
        return "HiGHS never"
    if ours is None:
        return "ours never"
    return f"{ours / peer:.2f}" if peer > 0 else "—"


def markdown(rows: list[Row], meta: dict[str, Any]) -> str:
    lines = [
        "# The plan model: CP-SAT (ours) and HiGHS side by side",
        "",
        f"- date: {meta['date']}; machine: {meta['cpu']}, {meta['cores']} cores; "
        f"load average before {meta['load_before']}, after {meta['load_after']}",
        f"- CP-SAT {meta['ortools']} with the engine's parameters, {meta['workers']} workers; "
        f"HiGHS {meta['highs']}, {meta['workers']} threads, in its own process",
        "- the same model: the engine's CP-SAT proto translated row by row (bench/peer_mip.py), "
        "the heuristic hint given to both (HiGHS as a MIP start, checked feasible for the MIP)",
        "- objective: race-morning CTL - 0.5 ATL (plus the engine's small penalties); gap "
        "= (bound - objective) / max(1, |objective|), for both; ≤ 1%: first moment seen",
        "- ratio: our time to a proven gap ≤ 1% over HiGHS's (below 1: ours is faster)",
        "",
        "| profile | days | limit | rows / nonzeros | ours: first | ours: gap ≤ 1% "
        "| ours: final gap | ours: objective | HiGHS: gap ≤ 1% | HiGHS: final gap "
        "| HiGHS: objective | HiGHS: bound | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: |",
    ]
    for r in rows:
        o, h = r.ours, r.highs
        lines.append(
            f"| {r.profile} | {r.days} | {r.limit_s:g} s | {r.rows} / {r.nonzeros} "
            f"| {_s(o.first_s)} | {_s(o.gap_1pct_s, 'not within limit')} | {_pct(o.gap)} "
            f"| {_num(o.objective)} | {_s(h.gap_1pct_s, 'not within limit')} | {_pct(h.gap)} "
            f"| {_num(h.objective)} | {_num(h.bound)} | {_ratio(o.gap_1pct_s, h.gap_1pct_s)} |"
        )
    return "\n".join(lines) + "\n"


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--weeks", default=",".join(map(str, WEEKS)), help="'none' for no rows")
    parser.add_argument("--profiles", default="all", help="names of bench_quality, or none")
    parser.add_argument(
        "--time-limit", type=float, help="default: 10 s, 20 s > 200 days, 30 s > 300"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out-dir", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    cases: list[tuple[str, PlanRequest]] = []
    if args.weeks != "none":
        cases += [(f"marathon {w} w, default", marathon(int(w))) for w in args.weeks.split(",")]
    if args.profiles == "all":
        cases += list(PROFILES.items())
    elif args.profiles != "none":
        cases += [(n, PROFILES[n]) for n in args.profiles.split(",")]
    load_before = _load()
    rows: list[Row] = []
    highs_version = "?"
    with tempfile.TemporaryDirectory() as tmp:
        for name, request in cases:
            days = (request.goal.date - request.start).days + 1 if request.start else 0
            limit = args.time_limit or limit_for(days)
            ours, pm = run_ours(request, limit, args.workers)
            highs, n_rows, nnz, highs_version = run_highs(pm, limit, args.workers, Path(tmp))
            rows.append(Row(name, days, limit, n_rows, nnz, ours, highs))
            print(
                f"{name}: ours ≤1% {_s(ours.gap_1pct_s, 'never')} final {_pct(ours.gap)}; "
                f"HiGHS ≤1% {_s(highs.gap_1pct_s, 'never')} final {_pct(highs.gap)}",
                file=sys.stderr,
                flush=True,
            )
    meta: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "workers": args.workers,
        "load_before": load_before,
        "load_after": _load(),
        "ortools": version("ortools"),
        "highs": highs_version,
        **machine(),
    }
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "peer.md").write_text(markdown(rows, meta))
    payload = {**meta, "rows": [asdict(r) for r in rows]}
    (args.out_dir / "peer.json").write_text(json.dumps(payload, indent=2) + "\n")
    print(markdown(rows, meta))
    return 0


if __name__ == "__main__":
    sys.exit(main())
