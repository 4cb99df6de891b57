"""`trainplan dev` (what `make run` starts): private Redis, embedded MongoDB, API, worker."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx

from tests.service.helpers import create_runner, events_until_terminal, generate, short_plan
from worker.cli.stack import free_port, self_command


def test_dev_stack_plans_and_stops_cleanly(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "MONGODB_URL")}
    log = (tmp_path / "dev.log").open("wb")
    data = tmp_path / "data"
    proc = subprocess.Popen(
        self_command("dev", "--port", str(port), "--data-dir", str(data)),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as api:
            while True:  # the test's timeout guards a stack that never comes up
                assert proc.poll() is None, (tmp_path / "dev.log").read_text()[-3000:]
                try:
                    if api.get("/readyz").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.3)
            assert api.post("/runners", json={"name": "A"}).status_code == 401
            # The key `trainplan dev` printed (and kept under --data-dir) is the dev tenant's.
            key = (data / "dev-api-key").read_text().strip()
            assert f"#key={key}" in (tmp_path / "dev.log").read_text()
            api.headers["X-API-Key"] = key
            job_id = generate(api, create_runner(api), short_plan())
            assert events_until_terminal(api, job_id)[-1].event == "succeeded"
            # A second stack on the same data directory says where the first one runs.
            second = subprocess.run(
                self_command("dev", "--port", str(free_port()), "--data-dir", str(data)),
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert second.returncode == 1, second.stdout + second.stderr
            assert "already running on the data directory" in second.stderr
            assert f"pid {proc.pid}, API on http://127.0.0.1:{port}" in second.stderr
            assert "Traceback" not in second.stderr + second.stdout
            assert api.get("/readyz").status_code == 200  # the first one is untouched
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
    assert code == 0
    assert any((data / "mongodb").iterdir()), "the embedded MongoDB keeps its data under --data-dir"
    with httpx.Client() as client:
        try:
            client.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
        except httpx.HTTPError:
            pass
        else:
            raise AssertionError("the API still answers after the stack stopped")
