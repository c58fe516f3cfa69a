"""Real `qiao` processes for tests: a free loopback port, an environment free of the developer's QIAO_* settings,
and `qiao serve` started and answering before the test goes on."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx

QIAO = Path(sys.executable).with_name("qiao")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def qiao_env(data_dir: Path, **settings: str) -> dict[str, str]:
    """This process's environment without any QIAO_* variable, plus the data dir and `settings`."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith("QIAO_")}
    return kept | {"QIAO_DATA_DIR": str(data_dir), **settings}


@contextmanager
def qiao_serve(
    env: dict[str, str], port: int, cwd: Path, *, stdout: IO[str] | int, stderr: IO[str] | int, wait_s: float = 90
) -> Iterator[subprocess.Popen[bytes]]:
    """`qiao serve` on `port`, once /healthz answers; stopped with SIGTERM (if still running) at the end."""
    server = subprocess.Popen(
        [str(QIAO), "serve"], cwd=cwd, env=env | {"QIAO_PORT": str(port)}, stdout=stdout, stderr=stderr
    )
    try:
        deadline = time.monotonic() + wait_s
        while True:
            assert server.poll() is None, "qiao serve exited before it answered"
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", headers={"X-Request-ID": "probe"}, timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "qiao serve did not answer in time"
                time.sleep(0.2)
        yield server
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
