"""Independent checkers of the seed rules, written from issue 4, not from the engine."""

from __future__ import annotations

from typing import Any


def races_of(n: int, k: int | None) -> list[int]:
    if k is None:
        return [n // 2] if n >= 60 else []
    return [(n // (k + 1)) * j for j in range(1, k + 1)]


def cs358_violations(
    days: list[dict[str, Any]], n: int, rest: int, baseline: int, k: int | None, d_max: int
) -> tuple[list[str], float]:
    """Every rule of the CS358 formulation, checked on a day-by-day plan; returns f_N too."""
    bad: list[str] = []
    assert [d["day"] for d in days] == list(range(1, n + 1))
    col = {
        key: [0] + [int(d[key]) for d in days]
        for key in ("easy", "medium", "hard", "strength", "off")
    }
    e, m, h, s, off = col["easy"], col["medium"], col["hard"], col["strength"], col["off"]
    for key, values in col.items():
        if any(v not in (0, 1) for v in values):
            bad.append(f"{key} not 0/1")
    races = races_of(n, k)
    race = dict.fromkeys(range(n + 1), 0.0)
    for r in races:
        if r + 4 <= n:
            race[r + 4] = 1.25 * r + baseline
    for r in races:
        race[r] = -(1.25 * r + baseline)
    weeks = n // 7
    bonus_count = weeks - 4
    bonus_day = {35 + 7 * (j - 1): j for j in range(1, bonus_count + 1)}
    b = {}
    for w in range(5, weeks + 1):
        count = sum(s[i] for i in range(7 * (w - 4) - 6, 7 * w + 1))
        if count not in (0, 5):
            bad.append(f"strength in weeks {w - 4}..{w} is {count}, not 0 or 5")
        b[w - 4] = 1 if count == 5 else 0
    if bonus_count >= 1:
        if bonus_count <= 4 and sum(b.values()) > 1:
            bad.append("more than one strength bonus")
        for j in range(1, bonus_count - 3):
            if bonus_count >= 5 and sum(b.get(t, 0) for t in range(j, j + 5)) > 1:
                bad.append(f"two bonuses within 5 weeks from {j}")
    f = [float(baseline)]
    for i in range(1, n + 1):
        value = f[-1] - (e[i] + 3 * m[i] + 5 * h[i] + 2 * s[i])
        value += (2 * e[i - 1] if i >= 2 else 0) + (6 * m[i - 2] if i >= 3 else 0)
        value += 12 * h[i - 3] if i >= 4 else 0
        value += 30 * b.get(bonus_day.get(i, 0), 0) + race[i]
        f.append(value)
        if value < -1e-9:
            bad.append(f"fitness below 0 on day {i}: {value}")
        if abs(days[i - 1]["fitness"] - value) > 1e-6:
            bad.append(f"reported fitness {days[i - 1]['fitness']} != {value} on day {i}")
        runs = e[i] + m[i] + h[i]
        if runs > d_max or m[i] + h[i] > 1 or runs + 3 * off[i] > 3:
            bad.append(f"per-day limits broken on day {i}")
        if i >= 2 and (m[i] or h[i]) and (m[i - 1] or h[i - 1]):
            bad.append(f"back-to-back medium/hard on days {i - 1},{i}")
        if i <= n - 7 and sum(off[i : i + 7]) != rest:
            bad.append(f"window from day {i} has {sum(off[i : i + 7])} off days")
        if i >= 7 and sum(e[t] + m[t] + h[t] for t in range(i - 6, i + 1)) > 10:
            bad.append(f"more than 10 runs in the 7 days to {i}")
        if i <= n - 3 and sum(s[i : i + 4]) > 1:
            bad.append(f"strength closer than 4 days from {i}")
    total = sum(e) + sum(m) + sum(h)
    if 10 * sum(e) < 7 * total or 10 * sum(m) != 2 * total or 10 * sum(h) > total:
        bad.append(f"mix broken: E={sum(e)} M={sum(m)} H={sum(h)}")
    return bad, f[-1]


def tri_violations(
    days: list[dict[str, Any]],
    weeks: list[dict[str, Any]],
    params: dict[str, Any],
    catalogue: dict[tuple[str, str], dict[str, Any]],
    weekly_hours: float,
) -> tuple[list[str], dict[str, float]]:
    """Every rule of the triathlon seed (its README, constraints 1-5, with the documented
    parameters), checked on a day-by-day plan; returns the final fitness per sport too.

    `catalogue` maps (sport, name) to the CSV's row (duration, fatigue_increase,
    fitness_gain, week_blocks)."""
    sports = ("swim", "bike", "run")
    bad: list[str] = []
    window_len = params["fatigue_window_days"]
    weights = [max(0.0, 1 - params["fatigue_decay_per_day"] * k) for k in range(window_len)]
    rho = params["weekly_retention"] ** (1 / 7)
    fit = dict.fromkeys(sports, float(params["start_fitness"]))
    history: list[list[tuple[str, str]]] = []
    week_end_fitness: dict[int, dict[str, float]] = {}
    for day in days:
        today = [(s["sport"], s["name"]) for s in day["sessions"]]
        history.append(today)
        if len(today) > params["max_per_day"]:
            bad.append(f"{day['date']}: {len(today)} workouts")
        if len({s for s, _ in today}) != len(today):
            bad.append(f"{day['date']}: two workouts of one sport")
        for key in today:
            row = catalogue[key]
            if day["phase"] in row["week_blocks"]:
                bad.append(f"{day['date']}: {key} used in {day['phase']}")
            earlier = history[-params["variety_days"] : -1]
            if any(key in e for e in earlier):
                bad.append(f"{day['date']}: {key} within {params['variety_days']} days")
        recent = list(enumerate(reversed(history[-window_len:])))
        per = {
            s: sum(
                weights[k] * catalogue[key]["fatigue_increase"]
                for k, keys in recent
                for key in keys
                if key[0] == s
            )
            for s in sports
        }
        for s in sports:
            if per[s] > params["sport_fatigue_cap"] + 1e-6:
                bad.append(f"{day['date']}: {s} fatigue {per[s]}")
        if sum(per.values()) > params["total_fatigue_cap"] + 1e-6:
            bad.append(f"{day['date']}: total fatigue {sum(per.values())}")
        for s in sports:
            fit[s] = fit[s] * rho + sum(catalogue[k]["fitness_gain"] for k in today if k[0] == s)
        if any(abs(day["fitness"][s] - fit[s]) > 1e-2 for s in sports):
            bad.append(f"{day['date']}: reported fitness {day['fitness']} != {fit}")
        week_end_fitness[day["week_number"]] = dict(fit)
    for week in weeks:
        span = [d for d in days if d["week_number"] == week["week_number"]]
        minutes = sum(s["duration_min"] for d in span for s in d["sessions"])
        if minutes > week["hours_cap"] * 60 + 1e-6 or minutes > weekly_hours * 60:
            bad.append(f"week {week['week_number']}: {minutes} min")
        values = list(week_end_fitness[week["week_number"]].values())
        # the model's fitness rows are rounded to 1e-4 of a unit: a hair of slack
        if max(values) - min(values) > params["max_divergence"] + 1e-2:
            bad.append(f"week {week['week_number']}: fitness spread {max(values) - min(values)}")
    return bad, fit
