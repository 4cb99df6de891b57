"""`trainplan dev | api | worker`: the service's processes.

`api` and `worker` are what containers and operators run (configured by the environment);
`dev` runs the whole stack on this machine, starting a private Redis and an embedded
SecantusDB (GPL, development only: imported here, never by the service modules) when
`REDIS_URL` / `MONGODB_URL` are not set.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from shared.apikeys import configured_entry
from worker.cli.dev_lock import AlreadyRunning, data_dir_lock

DATA_DIR = Path(".data")


def register(subparsers: Any) -> None:
    dev = subparsers.add_parser("dev", help="run API, worker(s), Redis and MongoDB locally")
    dev.add_argument("--host", default="127.0.0.1")
    dev.add_argument("--port", type=int, default=8000)
    dev.add_argument("--workers", type=int, default=1, help="Celery worker processes")
    dev.add_argument("--data-dir", type=Path, default=DATA_DIR, help="embedded MongoDB data")
    dev.set_defaults(func=run_dev)

    api = subparsers.add_parser("api", help="serve the HTTP API (uvicorn)")
    api.add_argument("--host", default="127.0.0.1")
    api.add_argument("--port", type=int, default=8000)
    api.add_argument("--log-level", default="info")
    api.set_defaults(func=run_api)

    worker = subparsers.add_parser("worker", help="run one Celery worker")
    worker.add_argument(
        "--concurrency", type=int, default=None, help="processes (default: CPUs / solver threads)"
    )
    worker.add_argument("--pool", choices=["prefork", "solo", "threads"], default="prefork")
    worker.add_argument("--name", default=None, help="node name (default: worker-<pid>@<host>)")
    worker.add_argument("--log-level", default="INFO")
    worker.add_argument("--events", action="store_true", help="send task events (for Flower)")
    worker.set_defaults(func=run_worker)


def run_api(args: argparse.Namespace) -> int:
    import uvicorn

    from shared.logs import logging_config
    from shared.settings import get_settings

    settings = get_settings()
    if not settings.mongodb_url:
        print("trainplan api: set MONGODB_URL (or use `trainplan dev`)", file=sys.stderr)
        return 2
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        log_config=logging_config(settings.log_format, args.log_level),
        # Let in-flight SSE streams end instead of hanging shutdown forever.
        timeout_graceful_shutdown=5,
    )
    return 0


def run_worker(args: argparse.Namespace) -> int:
    from shared.settings import get_settings
    from worker import log_hooks
    from worker.celery_app import app

    settings = get_settings()
    if not settings.mongodb_url:
        print("trainplan worker: set MONGODB_URL (or use `trainplan dev`)", file=sys.stderr)
        return 2
    log_hooks.install(app, settings.log_format, args.log_level)
    argv = [
        # JSON logs: no multi-line text banner (the "ready." record follows anyway).
        *(["--quiet"] if settings.log_format == "json" else []),
        "worker",
        f"--loglevel={args.log_level}",
        f"--concurrency={args.concurrency or settings.concurrency}",
        f"--pool={args.pool}",
        f"--queues={settings.celery_queue}",
        f"--hostname={args.name or f'worker-{os.getpid()}@%h'}",
        "--without-gossip",
        "--without-mingle",
        *(["--task-events"] if args.events else []),
    ]
    app.worker_main(argv)
    return 0


# -- dev: the whole stack --------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_for_port(host: str, port: int, timeout_s: float = 15) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing answers on {host}:{port}")


@contextlib.contextmanager
def private_redis() -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("no redis-server on PATH: install Redis or set REDIS_URL")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="trainplan-redis-") as workdir:
        no_persistence = ["--save", "", "--appendonly", "no"]
        proc = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(port), *no_persistence],
            cwd=workdir,
            stdout=subprocess.DEVNULL,
        )
        try:
            wait_for_port("127.0.0.1", port)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            proc.terminate()
            proc.wait(timeout=10)


@contextlib.contextmanager
def embedded_mongodb(data_dir: Path) -> Iterator[str]:
    from secantus import SecantusDBServer  # GPL-2.0: development only

    data_dir.mkdir(parents=True, exist_ok=True)
    server = SecantusDBServer(storage_path=str(data_dir / "mongodb"))
    server.start()
    try:
        yield server.uri
    finally:
        server.stop()


def dev_api_key(data_dir: Path) -> str:
    """The development tenant's key, kept under the data dir so it survives restarts."""
    from shared.apikeys import new_key

    path = data_dir / "dev-api-key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = new_key()
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key


def self_command(*args: str) -> list[str]:
    """`trainplan ARGS` with this interpreter (works without the console script on PATH)."""
    entry = "import sys; from worker.cli import main; sys.exit(main())"
    return [sys.executable, "-c", entry, *args]


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_dev(args: argparse.Namespace) -> int:
    # `kill`, `timeout` and closed terminals stop the stack as cleanly as Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)
    address = f"http://{args.host}:{args.port}"
    with contextlib.ExitStack() as stack:
        env = dict(os.environ)
        env.setdefault("LOG_FORMAT", "text")  # a terminal: readable lines, not JSON
        if not env.get("MONGODB_URL"):  # the embedded MongoDB: one stack per data directory
            try:
                stack.enter_context(data_dir_lock(args.data_dir, address))
            except AlreadyRunning as exc:
                print(f"trainplan dev: {exc}", file=sys.stderr)
                return 1
        if not env.get("REDIS_URL"):
            env["REDIS_URL"] = stack.enter_context(private_redis())
            print(f"trainplan dev: private Redis at {env['REDIS_URL']}")
        if not env.get("MONGODB_URL"):
            env["MONGODB_URL"] = stack.enter_context(embedded_mongodb(args.data_dir))
            print(f"trainplan dev: embedded MongoDB (SecantusDB) at {env['MONGODB_URL']}")
        key = dev_api_key(args.data_dir)
        env["API_KEYS"] = ",".join(
            filter(None, [env.get("API_KEYS"), configured_entry("dev", key)])
        )
        procs = [
            subprocess.Popen(
                self_command("api", "--host", args.host, "--port", str(args.port)), env=env
            ),
            *[
                subprocess.Popen(self_command("worker", "--name", f"dev{i}@%h"), env=env)
                for i in range(1, args.workers + 1)
            ],
        ]
        print(f"trainplan dev: API on {address} (docs at /docs); Ctrl-C stops")
        print(f"trainplan dev: API key of tenant 'dev' (X-API-Key header): {key}")
        print(f"trainplan dev: web page: {address}/#key={key}", flush=True)
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
            print("trainplan dev: a process exited; stopping the stack", file=sys.stderr)
            code = 1
        except KeyboardInterrupt:
            code = 0
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
        return code
    return 1
