"""The chat load of bench/load.py: clients holding bilingual conversations against a running server, timed."""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx2 as httpx

Json = dict[str, Any]

HOWTO = [
    "请假审批流程怎么配置",
    "how do I export a board to Excel?",
    "甘特图怎么导出成PDF",
    "how do I invite a teammate to a project?",
    "看板上的卡片可以批量移动吗",
    "where do I change my notification settings?",
]
PROGRESS = [
    "凤凰项目现在进度怎么样了",
    "what's on Tom's plate",
    "阿波罗项目有哪些逾期任务",
    "how is the Mobile App going?",
]
CREATE = [
    "在凤凰项目里建个任务：下周五前完成压测清单第{n}项，交给张三，优先级高",
    "create a task in Apollo to review load-test item {n} by next Monday, assign it to Tom",
    "移动端项目新建任务：修复压测问题{n}，月底前完成，交给李娜",
]
UPDATE = ["把计费规则配置界面的截止日改成下周三", "set the priority of the refund FAQ task to high"]
REPORT = ["甘特图导出PDF的时候中文全变成方框了", "the approval settings page is so confusing"]
OTHER = ["你好", "book me a flight to Shanghai", "谢谢！"]
PLAN = ["howto", "progress", "create", "howto", "update", "report", "progress", "create", "other"]


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] if ordered else float("nan")


@dataclass
class ChatStats:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    presses: Counter[str] = field(default_factory=Counter)
    intents: Counter[str] = field(default_factory=Counter)


async def _post(client: httpx.AsyncClient, stats: ChatStats, path: str, body: Json) -> Json | None:
    start = time.perf_counter()
    try:
        r = await client.post(path, json=body)
    except httpx.HTTPError as exc:
        stats.errors.append(f"{path}: {type(exc).__name__}")
        return None
    if r.status_code != 200:
        stats.errors.append(f"{path}: {r.status_code} {r.text[:200]}")
        return None
    stats.latencies.append(time.perf_counter() - start)  # of answered turns only: errors are counted apart
    turn: Json = r.json()
    return turn


async def _chat_client(client: httpx.AsyncClient, n: int, deadline: float, stats: ChatStats) -> None:
    rng = random.Random(n)
    session: str | None = None
    moves = 0
    while time.monotonic() < deadline:
        kind = PLAN[(n + moves) % len(PLAN)]
        pool = {"howto": HOWTO, "progress": PROGRESS, "create": CREATE, "update": UPDATE, "report": REPORT}
        text = rng.choice(pool.get(kind, OTHER)).format(n=f"{n}-{moves}")
        if moves % 10 == 0:
            session = None  # a new conversation now and then, as a new visitor would start one
        moves += 1
        turn = await _post(client, stats, "/api/v1/chat", {"text": text, "session_id": session, "user": "zhaomin"})
        if turn is None:
            continue
        session = turn["session_id"]
        stats.intents[turn.get("intent") or "none"] += 1
        if not turn["actions"] and turn["suggestions"] and kind == "create":
            # Qiao asked a follow-up (which project?): answer with its first suggestion, as a user would tap it.
            turn = await _post(client, stats, "/api/v1/chat", {"text": turn["suggestions"][0], "session_id": session})
            if turn is None:
                continue
        buttons = {a["kind"]: a["id"] for a in turn["actions"]}
        if not buttons:
            continue
        # Confirm a third of new tasks and a quarter of reports; cancel updates, so the demo stays as it was.
        press = (
            "confirm" if (kind == "create" and moves % 3 == 0) or (kind == "report" and moves % 4 == 0) else "cancel"
        )
        if press in buttons:
            stats.presses[press] += 1
            await _post(client, stats, f"/api/v1/chat/{session}/actions", {"action_id": buttons[press]})


async def chat_load(base_url: str, headers: dict[str, str], clients: int, seconds: float) -> tuple[ChatStats, float]:
    """`clients` conversations at once for `seconds`; returns their statistics and the seconds they took."""
    stats = ChatStats()
    limits = httpx.Limits(max_connections=clients * 2, max_keepalive_connections=clients * 2)
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=120, limits=limits) as client:
        began = time.monotonic()
        await asyncio.gather(*(_chat_client(client, n, began + seconds, stats) for n in range(clients)))
        return stats, time.monotonic() - began
