"""Days that already happened, inside a plan model: facts, not decisions.

A re-plan builds the model of the whole plan (start to race) so that every rule spanning
the effective date sees the past: rolling windows, weekly hours and loads, back-to-back
hard days, recovery-week ratios, the CTL ramp, the taper's peak week and the fitness
response all read the past days' sessions and loads. Those days get variables fixed to
what was done; a constraint whose variables are all such facts can no longer be changed,
so it is dropped (a week of illness does not make the plan infeasible for lacking runs),
while every constraint that also involves a future day stays.

A spanning rule that no future can meet any more is treated by its family's re-planning
policy (`registry.py`). By default it is relaxed to "the future does not make it worse"
(three long runs logged this week: no further long run this week; a recovery week already
over its share: the rest of it off; an easy share the last days cannot restore: the
remaining running at least as easy as the rule asks). A weekly minimum (runs, a long run,
rest days, a quality day in the taper) that the days left in the week cannot reach any
more is waived for that week: ill until Friday, the weekend is not forced to make up for
it. Race-day targets are never relaxed: when the race-day form cannot be reached any more,
the re-plan says so. A family may also settle its own rows against the lived days first
(the recovery week's credit for missed load).
"""

from __future__ import annotations

from ortools.sat.python import cp_model, cp_model_helper

from shared.planning import SessionTemplate
from worker.engine.calendar import Day
from worker.engine.model.container import PlanModel
from worker.engine.model.family import Replanning
from worker.engine.model.registry import FAMILIES, replanning_of
from worker.engine.past import same_session

ENDURANCE_KINDS = frozenset({"run", "long", "race"})
INT64_MIN = -(2**63)


def _key(pm: PlanModel, template: SessionTemplate, day: Day) -> str:
    """The catalogue code when the session is the catalogue's (variety spans the boundary);
    otherwise a key of its own, so a logged session never redefines a catalogue one."""
    known = pm.sessions.get(template.code)
    if known is not None and same_session(known, template):
        return template.code
    key = f"{template.code}-{day.date:%Y%m%d}"
    pm.sessions[key] = template
    return key


def fixed_day_variables(
    pm: PlanModel, day: Day
) -> tuple[dict[str, cp_model.IntVar], dict[str, cp_model.IntVar], cp_model.IntVar | None]:
    """Primary, doubles and strength variables of a past day, all fixed to what was done.

    The first endurance session is the day's primary (else rest); further runs count
    through `fixed_lits` (minutes and load, exactly as done); strength done makes the
    day not a rest day. Every other catalogue session gets a literal fixed to 0, so the
    day's expressions (long runs in a week, hard days) are never empty: a rule over past
    days alone then has only settled variables and is dropped."""
    assert pm.fixed is not None
    d, m = day.index, pm.model
    sessions = pm.fixed.sessions[d]
    done = _settled(pm, m.new_int_var(1, 1, f"done_{d}"))
    endurance = [s for s in sessions if s.kind in ENDURANCE_KINDS]
    main = endurance[0] if endurance else pm.catalogue.rest
    primary = {_key(pm, main, day): done}
    for option in [pm.catalogue.rest, *pm.catalogue.runs]:
        if option.code not in primary:
            primary[option.code] = _settled(pm, m.new_int_var(0, 0, f"{option.code}_{d}_not_done"))
    strength = done if any(s.kind == "strength" for s in sessions) else None
    if strength is not None:
        pm.true_rest[d] = _settled(pm, m.new_int_var(0, 0, f"true_rest_{d}_not"))
    pm.fixed_lits[d] = [(s, done) for s in sessions] or [(pm.catalogue.rest, done)]
    return primary, {}, strength


def _settled(pm: PlanModel, var: cp_model.IntVar) -> cp_model.IntVar:
    pm.settled.add(var.index)
    return var


def settle_loads(pm: PlanModel) -> None:
    """Past daily loads become constants; so do the loads of weeks wholly in the past."""
    assert pm.fixed is not None
    fixed, m = pm.fixed, pm.model
    for d in range(fixed.until):
        value = fixed.load(d)
        pm.load[d] = m.new_int_var(value, value, f"load_done_{d}")
        pm.settled.add(pm.load[d].index)
    top = max([pm.max_day_load, *(fixed.load(d) for d in range(fixed.until))])
    pm.max_day_load = top
    for week in pm.calendar.weeks:
        past = [d for d in week.days if fixed.covers(d)]
        if not past:
            continue
        if len(past) == len(week.days):
            value = sum(fixed.load(d) for d in past)
            var = m.new_int_var(value, value, f"week_load_done_{week.number}")
            pm.settled.add(var.index)
        else:
            upper = sum(fixed.load(d) for d in past) + top * (len(week.days) - len(past))
            var = m.new_int_var(0, upper, f"week_load_{week.number}_spanning")
        pm.week_load[week.number] = var


def _refs(ct: cp_model_helper.ConstraintProto) -> list[int]:
    """Variable references of a constraint's body (enforcement literals not included)."""
    if ct.has_linear():
        return list(ct.linear.vars)
    if ct.has_exactly_one():
        return list(ct.exactly_one.literals)
    if ct.has_at_most_one():
        return list(ct.at_most_one.literals)
    if ct.has_bool_or():
        return list(ct.bool_or.literals)
    if ct.has_bool_and():
        return list(ct.bool_and.literals)
    if ct.has_lin_max():
        refs = list(ct.lin_max.target.vars)
        for expr in ct.lin_max.exprs:
            refs += list(expr.vars)
        return refs
    return []  # an unknown kind: never treated as settled


def settle_constraints(pm: PlanModel) -> tuple[int, int]:
    """Drop every constraint over past facts only; relax the spanning ones the past has
    already broken. Returns (dropped, relaxed).

    Group guards (diagnosis mode) do not count: a past-only rule is not a conflict."""
    guards = {lit.index for lit in pm.guards.values()}
    # A future day's primary sessions are exclusive (exactly one): bound them per day.
    exclusive = {
        lit.index: (d, len(options))
        for d, options in enumerate(pm.primary)
        if not pm.past(d)
        if options
        for lit in options.values()
    }
    for family in FAMILIES:  # credits first: they move the maxima settled next
        if family.settle is not None:
            family.settle(pm)
    _settle_maxima(pm)
    empty = cp_model_helper.ConstraintProto()
    dropped = relaxed = 0
    for index, ct in enumerate(pm.model.proto.constraints):
        refs = _refs(ct) + [r for r in ct.enforcement_literal if _var(r) not in guards]
        policy = replanning_of(pm.constraint_groups.get(index))
        if refs and all(_var(r) in pm.settled for r in refs):
            ct.copy_from(empty)
            dropped += 1
        elif (
            ct.has_linear()
            and policy is not Replanning.NEVER_RELAXED
            and any(v in pm.settled for v in ct.linear.vars)
            and _relax_broken(pm, ct.linear, exclusive, policy is Replanning.WAIVED_MINIMUM)
        ):
            relaxed += 1
    return dropped, relaxed


def _settle_maxima(pm: PlanModel) -> None:
    """A maximum of past facts (the taper's peak week, when all training weeks are over)
    is a fact too."""
    variables = pm.model.proto.variables
    for ct in pm.model.proto.constraints:
        if not ct.has_lin_max() or ct.enforcement_literal:
            continue
        target = ct.lin_max.target
        exprs = list(ct.lin_max.exprs)
        if len(target.vars) != 1 or target.coeffs[0] != 1 or target.offset != 0 or not exprs:
            continue
        if not all(v in pm.settled for e in exprs for v in e.vars):
            continue
        value = max(
            e.offset
            + sum(c * variables[v].domain[0] for v, c in zip(e.vars, e.coeffs, strict=True))
            for e in exprs
        )
        domain = variables[target.vars[0]].domain
        if len(domain) == 2 and domain[0] <= value <= domain[1]:
            domain[0] = domain[1] = value
            pm.settled.add(target.vars[0])


def _relax_broken(
    pm: PlanModel,
    linear: cp_model_helper.LinearConstraintProto,
    exclusive: dict[int, tuple[int, int]],
    waive_minimum: bool,
) -> bool:
    """lo <= past + future <= hi with past fixed: if no future value can meet a bound
    (the past broke the rule for good), the bound becomes what the past left, or the
    nearest reachable value when that is further: the future may not make it worse; a
    weekly minimum's lower bound is waived (`waive_minimum`). True if a bound moved.

    `exclusive` maps a literal to (its day, the day's number of options): exactly one
    option of a day is chosen, so a day contributes one of its coefficients (or 0 if one
    of its options is not in the constraint)."""
    if len(linear.domain) != 2:
        return False
    variables = pm.model.proto.variables
    past = future_min = future_max = 0
    days: dict[int, list[int]] = {}
    sizes: dict[int, int] = {}
    for v, c in zip(linear.vars, linear.coeffs, strict=True):
        domain = variables[v].domain
        lo, hi = domain[0], domain[len(domain) - 1]
        if v in pm.settled or lo == hi:  # a fact, or a constant (a future race)
            past += c * lo
        elif v in exclusive:
            day, size = exclusive[v]
            days.setdefault(day, []).append(c)
            sizes[day] = size
        else:
            future_min += min(c * lo, c * hi)
            future_max += max(c * lo, c * hi)
    for day, coeffs in days.items():
        options = coeffs + ([0] if len(coeffs) < sizes[day] else [])
        future_min += min(options)
        future_max += max(options)
    moved = False
    if past + future_min > linear.domain[1]:
        linear.domain[1] = max(past, past + future_min)
        moved = True
    if past + future_max < linear.domain[0]:
        linear.domain[0] = INT64_MIN if waive_minimum else min(past, past + future_max)
        moved = True
    return moved


def _var(ref: int) -> int:
    return ref if ref >= 0 else -ref - 1
