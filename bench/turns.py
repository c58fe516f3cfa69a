"""Conversation turn latency without an LLM, printed as a table (`python -m bench.turns`, or `make bench`).

In process: `Assistant.turn` on a mix of messages in both languages (create, update, progress, report, how-to,
chitchat, out of scope), p50 and p95. Over HTTP: the app under uvicorn on a loopback port, 1 and 16 concurrent
clients sending the same mix for a fixed time: p50, p95 and turns per second; then `qiao serve --workers 2` with
the vectors in a `chroma run` server (several processes can't share the embedded index).
Targets (issue 5): p95 <= 60 ms in process; >= 100 turns/s over HTTP on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx
import uvicorn

from api.app import create_app
from knowledge.demo import load_demo
from knowledge.schemas import Actor
from settings import Settings

MESSAGES = [
    "帮我建个任务：周五前把登录页埋点做完，交给张三，优先级高",
    "create a task in Apollo to draft the refund FAQ by next Monday",
    "凤凰项目现在进度怎么样了",
    "what's on Tom's plate",
    "把计费规则配置界面的截止日改成下周三",
    "甘特图导出PDF的时候中文全变成方框了",
    "the approval settings page is so confusing",
    "请假审批流程怎么配置",
    "how do I export a board to Excel?",
    "你好",
    "book me a flight to Shanghai",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def in_process(settings: Settings, rounds: int) -> tuple[float, float, float]:
    app = create_app(settings)
    services = app.state.services
    services.understanding.warm()
    actor = Actor(name="bench")
    for text in MESSAGES:  # warm every path once (retrieval index, spaCy, dateparser)
        services.assistant.turn(text, user="zhaomin", actor=actor)
    times = []
    for _ in range(rounds):
        for text in MESSAGES:
            start = time.perf_counter()
            services.assistant.turn(text, user="zhaomin", actor=actor)
            times.append(time.perf_counter() - start)
    return percentile(times, 50) * 1000, percentile(times, 95) * 1000, statistics.mean(times) * 1000


def over_http(settings: Settings, clients: int, seconds: float) -> tuple[float, float, float, int]:
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    app.state.services.understanding.warm()
    figures = _load(f"http://127.0.0.1:{port}", clients, seconds)
    server.should_exit = True
    thread.join(timeout=10)
    return figures


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait(url: str, proc: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"{proc.args!r} exited"
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not ready in {seconds} s")


def multi_process(data: Path, workers: int, clients: int, seconds: float) -> tuple[float, float, float, int]:
    """`qiao serve --workers N` against a `chroma run` server, loaded like the in-process runs."""
    bin_dir = Path(sys.executable).parent
    chroma_port, port = _free_port(), _free_port()
    chroma = subprocess.Popen(
        [str(bin_dir / "chroma"), "run", "--path", str(data / "chroma-server"), "--port", str(chroma_port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server: subprocess.Popen[bytes] | None = None
    try:
        _wait(f"http://127.0.0.1:{chroma_port}/api/v2/heartbeat", chroma)
        env = {**os.environ, "QIAO_DATA_DIR": str(data / "multi"), "QIAO_CHROMA_URL": f"http://127.0.0.1:{chroma_port}"}
        settings = Settings(data_dir=data / "multi", chroma_url=env["QIAO_CHROMA_URL"], _env_file=None)
        services = create_app(settings).state.services
        services.db.migrate()
        load_demo(services.db, now=dt.datetime.now(dt.UTC), tz=settings.tz, simple_hours=24, complex_hours=72)
        services.ingestor.ingest_paths([settings.docs_dir])
        services.close()
        server = subprocess.Popen(
            [str(bin_dir / "qiao"), "serve", "--workers", str(workers), "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers * 4):  # readiness is per worker: ask until each has answered ready
            _wait(f"http://127.0.0.1:{port}/readyz", server)
        return _load(f"http://127.0.0.1:{port}", clients, seconds)
    finally:
        for proc in (server, chroma):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=20)


def _load(base_url: str, clients: int, seconds: float) -> tuple[float, float, float, int]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(n: int) -> None:
        nonlocal errors
        with httpx.Client(base_url=base_url, timeout=30) as c:
            i = n
            while time.monotonic() < deadline:
                start = time.perf_counter()
                r = c.post("/api/v1/chat", json={"text": MESSAGES[i % len(MESSAGES)], "user": "zhaomin"})
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    errors += r.status_code != 200
                i += 1

    began = time.monotonic()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    took = time.monotonic() - began
    return percentile(latencies, 50) * 1000, percentile(latencies, 95) * 1000, len(latencies) / took, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--workers", type=int, default=2, help="Worker processes for the multi-process run.")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="qiao-bench-"))
    settings = Settings(data_dir=data, warm_start=False, _env_file=None)
    setup = create_app(settings).state.services
    setup.db.migrate()
    load_demo(setup.db, now=dt.datetime.now(dt.UTC), tz=settings.tz, simple_hours=24, complex_hours=72)
    setup.ingestor.ingest_paths([settings.docs_dir])
    p50, p95, mean = in_process(settings, args.rounds)
    print(f"{'measure':<34} {'p50 ms':>8} {'p95 ms':>8} {'turns/s':>8} {'errors':>7}")
    print(f"{'in process (1 caller)':<34} {p50:8.1f} {p95:8.1f} {1000 / mean:8.1f} {0:7d}")
    for clients in (1, 16):
        p50, p95, rate, errors = over_http(settings, clients, args.seconds)
        print(f"{f'HTTP, {clients} concurrent client(s)':<34} {p50:8.1f} {p95:8.1f} {rate:8.1f} {errors:7d}")
    if args.workers > 1:
        p50, p95, rate, errors = multi_process(data, args.workers, 16, args.seconds)
        label = f"HTTP, {args.workers} workers, 16 clients"
        print(f"{label:<34} {p50:8.1f} {p95:8.1f} {rate:8.1f} {errors:7d}")


if __name__ == "__main__":
    main()
