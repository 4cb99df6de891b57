"""The plan model as a mixed-integer program: a CP-SAT model proto translated row by row.

The peer solves the very model CP-SAT solves (every family, the same objective, the same
variable bounds), not a re-implementation that could drift: `translate` reads the exported
`CpModelProto` and writes each constraint as linear rows over the same integer columns.

- `linear` (one interval `[lo, hi]`, no enforcement): one row.
- `exactly_one`, `at_most_one`, `bool_or`: one row over the literals.
- `bool_and` under enforcement literals `e1..ek`: each literal `l` of the conjunction gets
  `l >= e1 + ... + ek - (k - 1)`.
- `lin_max` (`t = max(expr_1..expr_n)`): `t >= expr_i` for every i, and a binary `z_i` per
  expression with `t <= expr_i + M_i (1 - z_i)`, `sum z_i = 1`; `M_i` from the bounds.
A negated literal `not x` is `1 - x`. Any other constraint kind raises: the translation
says so rather than solving a different model.

Only `numpy` here: the child process that runs HiGHS loads the arrays (HiGHS and OR-Tools
do not share a process, see bench/bench_cs358.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

INF = float("inf")
INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)


@dataclass
class Mip:
    """min cost·x + offset (the proto's internal sense); user objective = scale·(that)."""

    col_lower: list[float] = field(default_factory=list)
    col_upper: list[float] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    # Rows as (column, coefficient) lists.
    rows: list[list[tuple[int, float]]] = field(default_factory=list)
    offset: float = 0.0
    scale: float = 1.0
    hint: dict[int, float] = field(default_factory=dict)
    # Each lin_max's expressions and the binaries choosing the maximal one.
    maxes: list[tuple[list[_Affine], list[int]]] = field(default_factory=list)
    proto_columns: int = 0

    def complete(self, values: dict[int, float]) -> list[float]:
        """Every column's value from the proto variables' values: each lin_max's binary
        set on its largest expression."""
        # Constants are variables of a one-value domain, never hinted: their value.
        fixed = [
            lo if lo == hi else 0.0 for lo, hi in zip(self.col_lower, self.col_upper, strict=True)
        ]
        x = [values.get(c, fixed[c]) for c in range(len(self.col_lower))]
        for exprs, zs in self.maxes:
            levels = [e.value(x) for e in exprs]
            best = levels.index(max(levels))
            for i, z in enumerate(zs):
                x[z] = 1.0 if i == best else 0.0
        return x

    def add_col(self, lower: float, upper: float) -> int:
        self.col_lower.append(lower)
        self.col_upper.append(upper)
        self.cost.append(0.0)
        return len(self.col_lower) - 1

    def add_row(self, terms: dict[int, float], lower: float, upper: float) -> None:
        self.rows.append([(c, v) for c, v in terms.items() if v != 0])
        self.row_lower.append(lower)
        self.row_upper.append(upper)

    def save(self, path: Path) -> None:
        starts: list[int] = [0]
        index: list[int] = []
        value: list[float] = []
        for row in self.rows:
            index.extend(c for c, _ in row)
            value.extend(v for _, v in row)
            starts.append(len(index))
        np.savez(
            path,
            col_lower=np.array(self.col_lower),
            col_upper=np.array(self.col_upper),
            cost=np.array(self.cost),
            row_lower=np.array(self.row_lower),
            row_upper=np.array(self.row_upper),
            starts=np.array(starts, dtype=np.int64),
            index=np.array(index, dtype=np.int64),
            value=np.array(value, dtype=np.float64),
            offset=np.array([self.offset]),
            scale=np.array([self.scale]),
            hint_cols=np.array(list(self.hint), dtype=np.int64),
            hint_vals=np.array(list(self.hint.values()), dtype=np.float64),
        )


def _bound(value: int) -> float:
    if value >= INT64_MAX:
        return INF
    if value <= INT64_MIN + 1:
        return -INF
    return float(value)


class _Affine:
    """A linear expression over columns plus a constant, built from literals and terms."""

    def __init__(self) -> None:
        self.terms: dict[int, float] = {}
        self.const = 0.0

    def add_var(self, ref: int, coeff: float) -> None:
        if ref >= 0:
            self.terms[ref] = self.terms.get(ref, 0.0) + coeff
        else:  # not x  ==  1 - x
            var = -ref - 1
            self.terms[var] = self.terms.get(var, 0.0) - coeff
            self.const += coeff

    def value(self, x: list[float]) -> float:
        return self.const + sum(v * x[c] for c, v in self.terms.items())

    def bounds(self, mip: Mip) -> tuple[float, float]:
        lo = hi = self.const
        for c, v in self.terms.items():
            a, b = mip.col_lower[c] * v, mip.col_upper[c] * v
            lo += min(a, b)
            hi += max(a, b)
        return lo, hi


def _row(mip: Mip, expr: _Affine, lower: float, upper: float) -> None:
    """lower <= expr <= upper as a row (its constant moved to the bounds)."""
    mip.add_row(expr.terms, lower - expr.const, upper - expr.const)


def _literals(mip: Mip, refs: Any, lower: float, upper: float) -> None:
    expr = _Affine()
    for ref in refs:
        expr.add_var(ref, 1.0)
    _row(mip, expr, lower, upper)


def _linear_expr(vars_: Any, coeffs: Any, offset: float = 0.0) -> _Affine:
    expr = _Affine()
    for ref, coeff in zip(vars_, coeffs, strict=True):
        expr.add_var(ref, float(coeff))
    expr.const += offset
    return expr


def translate(proto: Any) -> Mip:
    """The MIP of a `cp_model_pb2.CpModelProto` (see the module docstring)."""
    mip = Mip()
    for var in proto.variables:
        if len(var.domain) != 2:
            raise NotImplementedError("a variable domain with holes")
        mip.add_col(_bound(var.domain[0]), _bound(var.domain[1]))
    mip.proto_columns = len(proto.variables)
    for ct in proto.constraints:
        kind = ct.WhichOneof("constraint")
        enforced = list(ct.enforcement_literal)
        if kind == "bool_and" and enforced:
            for lit in ct.bool_and.literals:
                # lit - sum(e) >= 1 - k
                expr = _Affine()
                expr.add_var(lit, 1.0)
                for e in enforced:
                    expr.add_var(e, -1.0)
                _row(mip, expr, 1.0 - len(enforced), INF)
        elif enforced:
            raise NotImplementedError(f"an enforced {kind} constraint")
        elif kind == "linear":
            if len(ct.linear.domain) != 2:
                raise NotImplementedError("a linear constraint with a domain of holes")
            expr = _linear_expr(ct.linear.vars, ct.linear.coeffs)
            _row(mip, expr, _bound(ct.linear.domain[0]), _bound(ct.linear.domain[1]))
        elif kind == "exactly_one":
            _literals(mip, ct.exactly_one.literals, 1.0, 1.0)
        elif kind == "at_most_one":
            _literals(mip, ct.at_most_one.literals, -INF, 1.0)
        elif kind == "bool_or":
            _literals(mip, ct.bool_or.literals, 1.0, INF)
        elif kind == "bool_and":
            for lit in ct.bool_and.literals:
                _literals(mip, [lit], 1.0, 1.0)
        elif kind == "lin_max":
            _lin_max(mip, ct.lin_max)
        else:
            raise NotImplementedError(f"constraint kind {kind}")
    obj = proto.objective
    for ref, coeff in zip(obj.vars, obj.coeffs, strict=True):
        expr = _Affine()
        expr.add_var(ref, float(coeff))
        for c, v in expr.terms.items():
            mip.cost[c] += v
        mip.offset += expr.const
    mip.offset += obj.offset
    mip.scale = obj.scaling_factor or 1.0
    hinted = dict(zip(proto.solution_hint.vars, proto.solution_hint.values, strict=True))
    if hinted:
        mip.hint = dict(enumerate(mip.complete({c: float(v) for c, v in hinted.items()})))
    return mip


def _lin_max(mip: Mip, ct: Any) -> None:
    target = _linear_expr(ct.target.vars, ct.target.coeffs, ct.target.offset)
    exprs = [_linear_expr(e.vars, e.coeffs, e.offset) for e in ct.exprs]
    _, t_hi = target.bounds(mip)
    chosen = []
    for expr in exprs:
        diff = _Affine()  # target - expr
        diff.terms = dict(target.terms)
        diff.const = target.const - expr.const
        for c, v in expr.terms.items():
            diff.terms[c] = diff.terms.get(c, 0.0) - v
        _row(mip, diff, 0.0, INF)  # t >= expr
        z = mip.add_col(0.0, 1.0)
        chosen.append(z)
        e_lo, _ = expr.bounds(mip)
        big_m = max(0.0, t_hi - e_lo)
        # t - expr + M z <= M
        with_z = _Affine()
        with_z.terms = dict(diff.terms)
        with_z.const = diff.const
        with_z.terms[z] = big_m
        _row(mip, with_z, -INF, big_m)
    mip.add_row({z: 1.0 for z in chosen}, 1.0, 1.0)
    mip.maxes.append((exprs, chosen))


def evaluate(mip: Mip, values: dict[int, float]) -> tuple[float, float]:
    """(user objective, worst row or bound violation) of the proto variables' values (the
    lin_max binaries completed): a check of the translation against a CP-SAT solution."""
    x = np.asarray(mip.complete(values), dtype=float)
    worst = 0.0
    for row, lo, hi in zip(mip.rows, mip.row_lower, mip.row_upper, strict=True):
        act = sum(v * x[c] for c, v in row)
        worst = max(worst, lo - act, act - hi)
    worst = max(worst, float(np.max(np.asarray(mip.col_lower) - x)))
    worst = max(worst, float(np.max(x - np.asarray(mip.col_upper))))
    internal = float(np.dot(mip.cost, x)) + mip.offset
    return mip.scale * internal, worst
