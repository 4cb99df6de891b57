"""Request body size limit, enforced before the body is read into memory."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

UPLOAD_PATH_SUFFIX = "/activities/upload"


class BodySizeLimit:
    """413 for a declared or streamed body above `max_bytes` (chunked uploads included);
    file uploads (paths ending in `/activities/upload`) may take `upload_bytes`."""

    def __init__(self, app: ASGIApp, max_bytes: int, upload_bytes: int | None = None) -> None:
        self.app, self.max_bytes = app, max_bytes
        self.upload_bytes = max(upload_bytes or max_bytes, max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = str(scope.get("path", "")).endswith(UPLOAD_PATH_SUFFIX)
        limit = self.upload_bytes if upload else self.max_bytes
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self.reject(send, limit)
            return
        if declared is not None:  # the server stops reading at the declared length
            await self.app(scope, receive, send)
            return
        # Chunked upload: buffer it (at most the limit) so the app sees a sized body.
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunks.append(message.get("body", b""))
            seen += len(chunks[-1])
            if seen > limit:
                await self.reject(send, limit)
                return
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay, send)

    async def reject(self, send: Send, limit: int) -> None:
        body = json.dumps(
            {"detail": f"request body too large (limit {limit} bytes)", "errors": []}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
