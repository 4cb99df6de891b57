"""A session's template steps in the athlete's own numbers: the plan contract's `Step`s and
the session text the runner reads.

Targets, by sport, the first the athlete's zones allow:
- run: pace (Daniels, from a race result or a threshold pace) > heart rate (Friel's zones
  from LTHR, else % of max HR) > RPE;
- bike: power (Coggan, from FTP) > heart rate > RPE;
- swim: CSS pace (per 100 m, carried per km as the contract's paces are) > RPE;
- anything else (strength): RPE.
A zone a number means nothing for (uphill repeats: no pace; strides: heart rate lags) goes
to the next, down to the zone's RPE.

Heart-rate zones open at one end (Friel's Z1 has no floor): the target is the
`OPEN_HR_SPAN` bpm next to the bound that exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.planning import SessionTemplate
from shared.session_steps import (
    ZONES,
    TemplateRepeat,
    TemplateStep,
    ZoneSpec,
    steps_text,
    with_note,
)
from shared.steps import (
    HrTarget,
    PaceTarget,
    PowerTarget,
    RepeatStep,
    RpeTarget,
    Step,
    Target,
)
from shared.zones import Zones, format_duration

OPEN_HR_SPAN = 10
MAX_PACE_S_PER_KM = 1800  # the contract's slowest pace (a slower swim is given as RPE)

# What to add for numbers, per sport, where the session fell back to effort words.
HINTS: dict[str, str] = {
    "run": "Add a race result or threshold pace for your paces.",
    "bike": "Add an FTP for your watts.",
    "swim": "Add a CSS for your swim paces.",
}


@dataclass(frozen=True)
class ResolvedSession:
    steps: list[Step | RepeatStep]
    definition: str


def _hr(spec: ZoneSpec, zones: Zones) -> HrTarget | None:
    span = spec.hr_lthr if zones.hr_basis == "lthr" else spec.hr_max
    if zones.hr is None or span is None:
        return None
    low: int | None = zones.hr[span[0]][0]
    high: int | None = zones.hr[span[1]][1]
    if low is None and high is not None:
        low = high - OPEN_HR_SPAN
    if high is None and low is not None:
        high = low + OPEN_HR_SPAN
    if low is None or high is None:
        return None
    return HrTarget(low_bpm=low, high_bpm=high)


def _pace(spec: ZoneSpec, zones: Zones) -> PaceTarget | None:
    if not spec.has_pace or zones.vdot is None:
        return None
    # Daniels' own bands as the zones show them (from the unrounded VDOT); others from VDOT.
    band = zones.paces.get(spec.daniels) if zones.paces and spec.daniels else None
    fast, slow = band if band is not None else spec.pace(zones.vdot)
    return PaceTarget(low_s_per_km=fast, high_s_per_km=slow)


def _power(spec: ZoneSpec, zones: Zones) -> PowerTarget | None:
    if zones.power is None or spec.power is None:
        return None
    low, high = zones.power[spec.power]
    if low is None or high is None:
        return None
    return PowerTarget(low_w=low, high_w=high)


def _swim(spec: ZoneSpec, zones: Zones) -> PaceTarget | None:
    if zones.swim is None or spec.swim is None:
        return None
    fast, slow = (v * 10 for v in zones.swim[spec.swim])  # per 100 m -> per km
    if slow > MAX_PACE_S_PER_KM:
        return None
    return PaceTarget(low_s_per_km=round(fast, 1), high_s_per_km=round(slow, 1))


def resolve_target(zone: str, sport: str, zones: Zones | None) -> Target | None:
    """The target of a step in `zone` for this sport and athlete (None: an open step)."""
    spec = ZONES[zone]
    if zone == "walk":
        return None
    found: Target | None = None
    if zones is not None:
        if sport == "run":
            found = _pace(spec, zones) or _hr(spec, zones)
        elif sport == "bike":
            found = _power(spec, zones) or _hr(spec, zones)
        elif sport == "swim":
            found = _swim(spec, zones)
    return found or RpeTarget(value=spec.rpe)


def target_text(target: Target | None, sport: str) -> str | None:
    """`4:34-4:39/km`, `145-151 bpm`, `200-230 W`; None for RPE (effort words instead)."""
    if isinstance(target, PaceTarget):
        if sport == "swim":
            fast, slow = target.low_s_per_km / 10, target.high_s_per_km / 10
            return f"{format_duration(fast)}-{format_duration(slow)}/100 m"
        return f"{format_duration(target.low_s_per_km)}-{format_duration(target.high_s_per_km)}/km"
    if isinstance(target, HrTarget):
        return f"{target.low_bpm}-{target.high_bpm} bpm"
    if isinstance(target, PowerTarget):
        return f"{target.low_w}-{target.high_w} W"
    return None


def _step(step: TemplateStep, sport: str, zones: Zones | None) -> Step:
    return Step(
        type=step.type,
        duration_s=step.duration_s,
        distance_m=step.distance_m,
        target=resolve_target(step.zone, sport, zones),
    )


def _could_have_numbers(step: TemplateStep, sport: str) -> bool:
    spec = ZONES[step.zone]
    if sport == "run":
        return spec.has_pace
    return {"bike": spec.power, "swim": spec.swim}.get(sport) is not None


def resolve_session(session: SessionTemplate, zones: Zones | None) -> ResolvedSession:
    """The session's steps with the athlete's targets and its text in their numbers; a
    session without steps keeps its definition."""
    if not session.steps:
        return ResolvedSession([], session.definition)
    if zones is not None and not zones.known:
        zones = None
    sport = session.sport
    steps: list[Step | RepeatStep] = []
    for item in session.steps:
        if isinstance(item, TemplateRepeat):
            inner = [_step(s, sport, zones) for s in item.steps]
            steps.append(RepeatStep(count=item.count, steps=inner))
        else:
            steps.append(_step(item, sport, zones))

    targets = {id(t): r for t, r in zip(_template_flat(session.steps), _flat(steps), strict=True)}

    def text_of(step: TemplateStep) -> str | None:
        return target_text(targets[id(step)].target, sport)

    text = with_note(steps_text(session.steps, text_of, sport), session.note)
    lacking = any(
        isinstance(targets[id(s)].target, RpeTarget) and _could_have_numbers(s, sport)
        for s in _template_flat(session.steps)
    )
    if lacking and sport in HINTS:
        text = f"{text} {HINTS[sport]}"
    return ResolvedSession(steps, text)


def _template_flat(items: list[TemplateStep | TemplateRepeat]) -> list[TemplateStep]:
    """Each template step once, in order (repeats not unrolled)."""
    return [s for i in items for s in (i.steps if isinstance(i, TemplateRepeat) else [i])]


def _flat(items: list[Step | RepeatStep]) -> list[Step]:
    return [s for i in items for s in (i.steps if isinstance(i, RepeatStep) else [i])]
