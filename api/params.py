"""Query parameters: a name a route does not know is a mistake to report, not to ignore."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from starlette.requests import Request

from api.errors import ApiError


def only_query(*allowed: str) -> Callable[[Request], None]:
    """A route dependency: 422 when the query string has a parameter not in `allowed`."""

    def check(request: Request) -> None:
        unknown = sorted(set(request.query_params) - set(allowed))
        if unknown:
            names = ", ".join(repr(name) for name in unknown)
            raise ApiError(
                422,
                f"unknown query parameter(s) {names}; this route takes "
                + (", ".join(allowed) or "none"),
                [f"query.{name}: unknown parameter" for name in unknown],
            )

    return check


ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def query_date(value: str | None, name: str) -> date | None:
    """A `YYYY-MM-DD` query value (the pattern is checked by the route; lax date parsing
    would take `0` for 1970-01-01)."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApiError(
            422, f"{name}: {value!r} is not a date", [f"query.{name}: not a date"]
        ) from None
