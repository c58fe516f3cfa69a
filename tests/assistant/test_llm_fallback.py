"""The LLM's second opinion: only validated JSON counts; anything else is ignored."""

from __future__ import annotations

import pytest

from assistant.llm_fallback import parse_reply
from intents.types import Intent


@pytest.mark.parametrize(
    ("reply", "intent", "title"),
    [
        ('{"intent": "create_task", "title": "登录页改版"}', Intent.create_task, "登录页改版"),
        ('Sure! ```json\n{"intent": "query_progress", "title": null}\n```', Intent.query_progress, None),
        ('{"intent": "delete_everything"} then {"intent": "chitchat"}', Intent.chitchat, None),
        ('{"intent": "report_issue", "title": "x", "extra": 1}', Intent.report_issue, "x"),
    ],
)
def test_valid_readings(reply: str, intent: Intent, title: str | None) -> None:
    reading = parse_reply(reply)
    assert reading is not None and (reading.intent, reading.title) == (intent, title)


@pytest.mark.parametrize(
    "reply",
    ["", "create_task", '{"intent": "drop table"}', "{not json}", '{"title": "no intent"}', "我觉得是建任务"],
)
def test_anything_else_is_ignored(reply: str) -> None:
    assert parse_reply(reply) is None
