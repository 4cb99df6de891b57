"""The JSON plan file: what `trainplan plan --format json` writes and `trainplan replan` reads.

Beside the DESIGN.md section 5 fields it carries `request`, the engine request the plan
was solved from, so a plan can be re-planned (and a re-plan re-planned again) without
repeating the flags.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from shared.exports.registry import render
from shared.planning import PlanDay, PlanRequest, PlanResult
from shared.submission import describe


class PlanFileError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def render_with_request(result: PlanResult, fmt: str, request: PlanRequest, **extra: Any) -> str:
    """`render`, with `request` (and any `extra` fields) added to the JSON object."""
    text = render(result, fmt)
    if fmt != "json":
        return text
    doc = json.loads(text)
    doc.update(extra)
    doc["request"] = request.model_dump(mode="json", by_alias=True, exclude_none=True)
    return json.dumps(doc, indent=2) + "\n"


@dataclass(frozen=True)
class PlanFile:
    request: PlanRequest
    days: list[PlanDay]


def read_plan_file(path: Path) -> PlanFile:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PlanFileError([f"cannot read {path}: {exc.strerror or exc}"]) from None
    except json.JSONDecodeError as exc:
        raise PlanFileError([f"{path} is not JSON ({exc.msg}, line {exc.lineno})"]) from None
    if not isinstance(doc, dict):
        raise PlanFileError([f"{path}: expected the JSON object of `trainplan plan`"])
    if "request" not in doc:
        raise PlanFileError(
            [
                f"{path} has no `request` (written by an older trainplan?); "
                "make it again with `trainplan plan ... --format json`"
            ]
        )
    if not doc.get("days"):
        status = doc.get("status", "?")
        raise PlanFileError([f"{path} holds no plan (status {status}): nothing to re-plan"])
    try:
        request = PlanRequest.model_validate(doc["request"])
        days = [PlanDay.model_validate(d) for d in doc["days"]]
    except ValidationError as exc:
        raise PlanFileError(describe(exc)) from None
    return PlanFile(request=request, days=sorted(days, key=lambda d: (d.date, d.slot)))
