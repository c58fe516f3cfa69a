"""A real `qiao serve` in a subprocess on a loopback port, for the load and crash bench (bench/load.py).

Every command (`qiao demo load`, `qiao ingest`, `qiao keys create`, `qiao serve`) runs with the same `QIAO_*`
environment and the data dir as working directory, so a developer's `.env` in the repo never leaks in.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx2 as httpx

BIN = Path(sys.executable).parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class QiaoServer:
    """One data dir and port; the server process can be started, killed (SIGKILL) and started again."""

    def __init__(self, data_dir: Path, extra_env: Mapping[str, str]) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("QIAO_")}
        self.env = {
            **inherited,
            "QIAO_DATA_DIR": str(data_dir),
            "QIAO_PORT": str(self.port),
            "QIAO_WARM_START": "true",
            **extra_env,
        }
        self.log = data_dir / "serve.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run `qiao ARGS` with the server's environment; raises CalledProcessError when `check` and it fails."""
        return subprocess.run(
            [str(BIN / "qiao"), *args], env=self.env, cwd=self.data_dir, capture_output=True, text=True, check=check
        )

    def admin_key(self) -> str | None:
        """A new admin API key from `qiao keys create`, or None when this build has no `qiao keys` yet."""
        if self.cli("keys", "--help", check=False).returncode != 0:
            return None
        out = self.cli("keys", "create", "--role", "admin", "--name", "bench", "--json").stdout
        key: str = json.loads(out[out.index("{") :])["key"]
        return key

    def start(self, headers: Mapping[str, str], timeout_s: float = 300) -> float:
        """Start `qiao serve` and wait until /readyz says the database and the models are ready; returns seconds."""
        assert self.proc is None, "server already running"
        began = time.monotonic()
        with self.log.open("ab") as log:
            log.write(f"\n--- start {self.starts + 1} ---\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                [str(BIN / "qiao"), "serve"], env=self.env, cwd=self.data_dir, stdout=log, stderr=subprocess.STDOUT
            )
        self.starts += 1
        deadline = began + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"qiao serve exited with {self.proc.returncode}; see {self.log}")
            try:
                r = httpx.get(f"{self.base_url}/readyz", headers=dict(headers), timeout=5)
                if r.status_code == 200 and r.json().get("checks", {}).get("models") == "ok":
                    return time.monotonic() - began
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"qiao serve not ready in {timeout_s} s; see {self.log}")

    @property
    def pid(self) -> int:
        assert self.proc is not None, "server not running"
        return self.proc.pid

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no flush, as in a crash or an OOM kill."""
        if self.proc is not None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            self.proc = None

    def stop(self) -> None:
        """A graceful stop (SIGTERM), falling back to SIGKILL after 30 s."""
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None
