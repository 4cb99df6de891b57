"""Jobs: state, cancellation, and live progress as Server-Sent Events or a WebSocket."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, WebSocket, WebSocketDisconnect, status

from api import store
from api.auth import current_tenant
from api.cancellation import cancel
from api.deps import DbDep, RedisDep, SettingsDep, TenantDep
from api.errors import COMMON_ERRORS, ApiError, error
from api.events import (
    SSE_EVENT_SCHEMA,
    SseResponse,
    check_last_event_id,
    follow,
    sse_frames,
)
from api.ids import ID_PATTERN, JobId
from shared.documents import TERMINAL_STATES, Job

router = APIRouter(prefix="/jobs", tags=["jobs"], responses=COMMON_ERRORS)

# HTTP status + 4000, the usual convention for application close codes.
WS_CLOSE_CODES = {401: 4401, 404: 4404}


async def existing_job(job_id: JobId, db: DbDep, tenant: TenantDep) -> Job:
    return await store.get_job(db, tenant, job_id)


def resume_after(last_event_id: Annotated[str | None, Header()] = None) -> str:
    return check_last_event_id(last_event_id)


# Dependencies run before a streaming response starts: a missing job is still a 404.
ExistingJob = Annotated[Job, Depends(existing_job)]
ResumeAfter = Annotated[str, Depends(resume_after)]


@router.get("/{job_id}", responses={404: error("unknown job")})
async def get_job(job: ExistingJob) -> Job:
    return job


@router.delete(
    "/{job_id}",
    status_code=status.HTTP_202_ACCEPTED,
    responses={404: error("unknown job"), 409: error("already finished")},
)
async def cancel_job(job: ExistingJob, db: DbDep, redis: RedisDep, settings: SettingsDep) -> Job:
    """Cancel: a queued job never starts; a running solve stops within a second.

    Answers with the job: `cancelled` at once if it was queued, else still `running`
    until the worker stops (follow the events for the terminal `cancelled`)."""
    if job.state in TERMINAL_STATES:
        raise ApiError(409, f"job {job.id} already {job.state}; nothing to cancel")
    return await cancel(db, redis, settings, job)


@router.get(
    "/{job_id}/events",
    response_class=SseResponse,
    responses={
        200: {
            "description": "Server-Sent Events: `id`, `event` and `data` (the event, JSON)",
            "content": {"text/event-stream": {"itemSchema": SSE_EVENT_SCHEMA}},
        },
        404: error("unknown job"),
        400: error("Last-Event-ID is not an event id"),
    },
)
async def job_events(
    job: ExistingJob,
    after: ResumeAfter,
    db: DbDep,
    redis: RedisDep,
    settings: SettingsDep,
) -> SseResponse:
    """Server-Sent Events: every event so far, then live ones, ending with the terminal one
    (`succeeded`, `failed` or `cancelled`). Reconnect with `Last-Event-ID` to resume."""
    frames = sse_frames(redis, settings, job, after, lambda i: store.get_job(db, job.tenant_id, i))
    return SseResponse(frames)


@router.websocket("/{job_id}/ws")
async def job_websocket(
    websocket: WebSocket,
    job_id: str,
    db: DbDep,
    redis: RedisDep,
    settings: SettingsDep,
    last_event_id: Annotated[str | None, Query()] = None,
) -> None:
    """The same events as JSON messages `{"id": ..., "event": ..., ...}`; closes after the
    terminal event. Resume with `?last_event_id=`. The key: `X-API-Key` or `?api_key=`."""
    try:
        tenant = await current_tenant(websocket, websocket.headers.get("x-api-key"))
        if not re.match(ID_PATTERN, job_id):
            raise ApiError(404, f"job {job_id!r} not found")
        after = check_last_event_id(last_event_id)
        job = await store.get_job(db, tenant, job_id)
    except ApiError as exc:
        # Accept, then close with a code: a refused handshake tells the client nothing.
        await websocket.accept()
        await websocket.close(code=WS_CLOSE_CODES.get(exc.status_code, 1008), reason=exc.detail)
        return
    await websocket.accept()
    try:
        async for stream_id, event in follow(
            redis, settings, job, after, lambda i: store.get_job(db, tenant, i)
        ):
            await websocket.send_json(
                {"id": stream_id, **event.model_dump(mode="json", exclude_none=True)}
            )
        await websocket.close(code=1000)
    except WebSocketDisconnect:
        pass
