"""Each plan day's session in the athlete's numbers: its steps and the text they read.

The request's markers give the zones once per plan; each session of the catalogue is
resolved once (`shared.resolve_steps`), however many days it falls on.
"""

from __future__ import annotations

from shared.planning import PlanRequest, SessionTemplate
from shared.resolve_steps import ResolvedSession, resolve_session
from shared.zones import Zones


class DaySteps:
    """The resolved sessions of one request (by template: a re-plan's lived days may reuse
    a code for another session)."""

    def __init__(self, request: PlanRequest) -> None:
        markers = request.markers
        self.zones: Zones | None = markers.zones() if markers is not None else None
        self._resolved: dict[int, ResolvedSession] = {}

    def of(self, session: SessionTemplate) -> ResolvedSession:
        found = self._resolved.get(id(session))
        if found is None:
            found = self._resolved[id(session)] = resolve_session(session, self.zones)
        return found
