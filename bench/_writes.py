"""The writes of bench/load.py: task and feedback creates with Idempotency-Keys, sent at once or in a burst that
the server is killed in the middle of, and the listings that show what was stored."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx2 as httpx

from bench._server import QiaoServer

Json = dict[str, Any]


@dataclass
class Write:
    """One create request, with the Idempotency-Key it is always sent with."""

    kind: Literal["task", "feedback"]
    key: str
    label: str
    body: Json
    confirmed: int | None = None
    statuses: list[int] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)

    @property
    def path(self) -> str:
        return "/api/v1/tasks" if self.kind == "task" else "/api/v1/feedback"


async def send(client: httpx.AsyncClient, w: Write) -> int | None:
    """POST `w`; returns the stored id on a 2xx, None on a transport error; records the status."""
    try:
        r = await client.post(w.path, json=w.body, headers={"Idempotency-Key": w.key})
    except httpx.HTTPError:
        return None
    w.statuses.append(r.status_code)
    if r.status_code in (200, 201):
        stored: int = r.json()["id"]
        w.ids.append(stored)
        return stored
    return None


def task_writes(run: str, tag: str, n: int, projects: list[int], members: list[int]) -> list[Write]:
    today = dt.date.today()
    writes = []
    for i in range(n):
        title = f"{run} {tag} {i:04d} 并发写入 concurrent write"
        body: Json = {
            "title": title,
            "project_id": projects[i % len(projects)],
            "assignee_id": members[i % len(members)],
            "priority": ("low", "medium", "high")[i % 3],
            "due": (today + dt.timedelta(days=i % 30)).isoformat(),
        }
        writes.append(Write("task", f"{run}-{tag}-task-{i}", title, body))
    return writes


def feedback_writes(run: str, tag: str, n: int) -> list[Write]:
    texts = [
        "导出PDF时中文显示成方框",
        "the board is slow with many cards",
        "希望甘特图支持按周显示",
        "login page keeps timing out",
    ]
    writes = []
    for i in range(n):
        text = f"{texts[i % len(texts)]} ({run} {tag} {i:04d})"
        writes.append(Write("feedback", f"{run}-{tag}-feedback-{i}", text, {"text": text, "reporter": "bench"}))
    return writes


async def listing(client: httpx.AsyncClient, path: str, field_name: str) -> dict[str, list[int]]:
    """Every item of a paged list endpoint, as {title or text: [ids]}."""
    out: dict[str, list[int]] = defaultdict(list)
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 1000, **({"cursor": cursor} if cursor else {})}
        r = await client.get(path, params=params)
        r.raise_for_status()
        page = r.json()
        for item in page["items"]:
            out[item[field_name]].append(item["id"])
        cursor = page["next_cursor"]
        if not cursor:
            return out


async def stored(client: httpx.AsyncClient) -> dict[str, list[int]]:
    return {**await listing(client, "/api/v1/tasks", "title"), **await listing(client, "/api/v1/feedback", "text")}


async def concurrent_creates(client: httpx.AsyncClient, writes: list[Write], copies: int) -> float:
    """Every write at once; every fourth one `copies` times at once with the same key. Returns seconds."""
    sends = [w for i, w in enumerate(writes) for _ in range(copies if i % 4 == 0 else 1)]
    random.Random(0).shuffle(sends)
    began = time.monotonic()
    await asyncio.gather(*(send(client, w) for w in sends))
    return time.monotonic() - began


async def burst_until_killed(
    client: httpx.AsyncClient, server: QiaoServer, writes: list[Write], kill_after: int, concurrency: int
) -> int:
    """Send `writes` with `concurrency` in flight; SIGKILL the server once `kill_after` are confirmed.
    Returns how many requests were in flight (sent, unanswered) at the kill."""
    gate = asyncio.Semaphore(concurrency)
    confirmed = 0
    lost = 0
    killed = False

    async def one(w: Write) -> None:
        nonlocal confirmed, lost, killed
        async with gate:
            if killed:
                return  # the server is gone: the rest of the burst is never sent
            w.confirmed = await send(client, w)
            if w.confirmed is None:
                lost += not w.statuses
                return
            confirmed += 1
            if confirmed >= kill_after and not killed:
                killed = True
                server.kill()

    await asyncio.gather(*(one(w) for w in writes))
    return lost
