"""A minimal HTTP/1.1 client on asyncio streams, for load generation.

A general client (httpx) costs about a millisecond of CPU per request; on a small machine
that shares its CPUs with the server under test, the load generator then becomes the
bottleneck and its own queueing shows up as server latency. This one writes each request
in one `write`, reads `Content-Length` or chunked bodies, and keeps connections alive.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def head(self) -> tuple[int, dict[str, str]]:
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        return status, headers

    async def chunks(self, headers: dict[str, str]) -> AsyncIterator[bytes]:
        if headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    return
                data = await self.reader.readexactly(size + 2)
                yield data[:-2]
        else:
            length = int(headers.get("content-length", "0"))
            if length:
                yield await self.reader.readexactly(length)

    def close(self) -> None:
        self.writer.close()


class Client:
    """Keep-alive connections to one host; a new one whenever all are busy."""

    def __init__(self, host: str, port: int, headers: dict[str, str]) -> None:
        self.host, self.port = host, port
        self.extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.idle: list[Connection] = []
        self.opened = 0

    async def connect(self) -> Connection:
        reader, writer = await asyncio.open_connection(self.host, self.port, limit=1 << 20)
        self.opened += 1
        return Connection(reader, writer)

    def request_bytes(self, method: str, path: str, body: bytes = b"", extra: str = "") -> bytes:
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{self.extra}{extra}"
            f"Content-Length: {len(body)}\r\n"
        )
        if body:
            head += "Content-Type: application/json\r\n"
        return head.encode() + b"\r\n" + body

    async def request(self, method: str, path: str, payload: Any = None) -> tuple[int, Any]:
        body = b"" if payload is None else json.dumps(payload).encode()
        conn = self.idle.pop() if self.idle else await self.connect()
        try:
            conn.writer.write(self.request_bytes(method, path, body))
            status, headers = await conn.head()
            data = b"".join([c async for c in conn.chunks(headers)])
        except BaseException:
            conn.close()
            raise
        if headers.get("connection", "").lower() == "close":
            conn.close()
        else:
            self.idle.append(conn)
        return status, json.loads(data) if data else None

    async def stream(self, path: str) -> tuple[Connection, int, dict[str, str]]:
        """A dedicated connection for a streaming GET (SSE): read it with `chunks`."""
        conn = await self.connect()
        conn.writer.write(self.request_bytes("GET", path, extra="Accept: text/event-stream\r\n"))
        status, headers = await conn.head()
        return conn, status, headers

    def close(self) -> None:
        for conn in self.idle:
            conn.close()
        self.idle.clear()
