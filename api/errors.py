"""Every error leaves as JSON `{"detail": message, "errors": [...]}`; no tracebacks.

Bad input is a 4xx; an unreachable Redis or MongoDB is a 503, so clients can retry.
"""

from __future__ import annotations

import logging
from typing import Any

from bson.errors import InvalidDocument
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from kombu.exceptions import OperationalError as KombuOperationalError
from pymongo.errors import ConnectionFailure, PyMongoError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.documents import ErrorBody

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status_code: int, detail: str, errors: list[str] | None = None) -> None:
        super().__init__(detail)
        self.status_code, self.detail, self.errors = status_code, detail, errors or []


def error(description: str) -> dict[str, Any]:
    """An OpenAPI response entry: errors share one body shape, `ErrorBody`."""
    return {"model": ErrorBody, "description": description}


# On every authenticated router: what any of their routes may answer besides its own.
COMMON_ERRORS: dict[int | str, dict[str, Any]] = {
    400: error("malformed request (e.g. a body that is not JSON)"),
    401: error("missing or invalid API key"),
    413: error("request body too large"),
    422: error("invalid request (the message says what and where)"),
    503: error("Redis or MongoDB unreachable; retry shortly"),
}


def json_error_bodies(openapi: dict[str, Any]) -> dict[str, Any]:
    """Errors are JSON `ErrorBody` even on routes that stream (SSE): say so in the spec."""
    for operations in openapi.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                if status[:1] in ("4", "5"):
                    ref = {"$ref": "#/components/schemas/ErrorBody"}
                    response["content"] = {"application/json": {"schema": ref}}
    return openapi


def not_found(what: str, ident: str) -> ApiError:
    return ApiError(404, f"{what} {ident!r} not found")


def _body(status_code: int, detail: str, errors: list[str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status_code, content={"detail": detail, "errors": errors or []})


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _body(exc.status_code, exc.detail, exc.errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _body(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
            errors.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
        return _body(422, "invalid request: " + "; ".join(errors), errors)

    @app.exception_handler(InvalidDocument)
    @app.exception_handler(OverflowError)
    @app.exception_handler(UnicodeEncodeError)
    async def unstorable(_: Request, exc: Exception) -> JSONResponse:
        # A value that validated but MongoDB cannot hold (an integer beyond 64 bits, text
        # with unpaired surrogates): the client's input, so a 4xx, never a 500.
        log.info("unstorable request value: %s", exc)
        return _body(
            422, "invalid request: a value cannot be stored (too large a number or invalid text)"
        )

    @app.exception_handler(ConnectionFailure)
    async def mongo_down(_: Request, exc: ConnectionFailure) -> JSONResponse:
        log.warning("MongoDB unreachable: %s", exc)
        return _body(503, "the database (MongoDB) is unreachable; retry shortly")

    @app.exception_handler(PyMongoError)
    async def mongo_error(_: Request, exc: PyMongoError) -> JSONResponse:
        log.error("MongoDB error: %s", exc)
        return _body(503, "the database (MongoDB) failed to answer; retry shortly")

    @app.exception_handler(RedisConnectionError)
    @app.exception_handler(RedisTimeoutError)
    @app.exception_handler(KombuOperationalError)
    async def redis_down(_: Request, exc: Exception) -> JSONResponse:
        log.warning("Redis unreachable: %s", exc)
        return _body(503, "the queue (Redis) is unreachable; retry shortly")

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return _body(500, "internal error; it has been logged")
