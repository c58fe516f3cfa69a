"""Conversation turn latency without an LLM, printed as a table (`python -m bench.turns`, or `make bench`).

In process: `Assistant.turn` on a mix of messages in both languages (create, update, progress, report, how-to,
chitchat, out of scope), p50 and p95. Over HTTP: the app under uvicorn on a loopback port, 1 and 16 concurrent
clients sending the same mix for a fixed time: p50, p95 and turns per second. Targets (issue 5): p95 <= 60 ms in
process; >= 100 turns/s over HTTP on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
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
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


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
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(n: int) -> None:
        nonlocal errors
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
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
    server.should_exit = True
    thread.join(timeout=10)
    return percentile(latencies, 50) * 1000, percentile(latencies, 95) * 1000, len(latencies) / took, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15.0)
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


if __name__ == "__main__":
    main()
