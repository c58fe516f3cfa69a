"""POST /api/v1/parse on the real models and the demo workspace; hostile input never gives a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

NOW = "2026-11-24T10:00:00+08:00"  # a Tuesday


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "intent", "slots"),
    [
        (
            "帮我建个任务：周五前把登录页改版做完，交给张三，优先级高",
            "create_task",
            {"title": "登录页改版", "assignee": "张三", "due": "2026-11-27", "priority": "high"},
        ),
        ("move the billing migration deadline to December 10", "update_task", {"due": "2026-12-10"}),
        ("凤凰项目现在进度怎么样了", "query_progress", {"project": "凤凰"}),
        ("the Gantt export garbles Chinese", "report_issue", {"kind": "bug"}),
        ("请假审批流程怎么配置", "ask_howto", {}),
        ("你好呀", "chitchat", {}),
        ("book me a flight", "out_of_scope", {}),
    ],
)
def test_parse_examples_from_the_issue(demo: TestClient, text: str, intent: str, slots: dict[str, str]) -> None:
    r = demo.post("/api/v1/parse", json={"text": text, "now": NOW})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["intent"] == intent
    assert 0.0 <= body["confidence"] <= 1.0
    for name, value in slots.items():
        assert body["slots"][name] == value, (name, body["slots"])
    assert [a["intent"] for a in body["alternatives"]] and intent not in [a["intent"] for a in body["alternatives"]]


@pytest.mark.slow
def test_members_and_projects_resolve_to_ids(demo: TestClient) -> None:
    members = {m["key"]: m["id"] for m in demo.get("/api/v1/members").json()}
    projects = {p["key"]: p["id"] for p in demo.get("/api/v1/projects").json()}
    r = demo.post("/api/v1/parse", json={"text": "在凤凰项目下建个任务：首页性能优化，交给老张", "now": NOW}).json()
    assert r["slots"]["assignee_id"] == members["zhangsan"]
    assert r["slots"]["project_id"] == projects["phoenix"]
    stranger = demo.post("/api/v1/parse", json={"text": "给孙悦建个任务 整理竞品分析报告", "now": NOW}).json()
    assert (stranger["slots"]["assignee"], stranger["slots"]["assignee_id"]) == ("孙悦", None)


@pytest.mark.slow
def test_timezone_decides_what_tomorrow_is(demo: TestClient) -> None:
    late = "2026-11-24T23:30:00-05:00"  # already the 25th in Shanghai
    ny = demo.post(
        "/api/v1/parse",
        json={"text": "remind me to call the bank tomorrow", "now": late, "timezone": "America/New_York"},
    ).json()
    sh = demo.post(
        "/api/v1/parse", json={"text": "remind me to call the bank tomorrow", "now": late, "timezone": "Asia/Shanghai"}
    ).json()
    assert (ny["slots"]["due"], sh["slots"]["due"]) == ("2026-11-25", "2026-11-26")


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"text": ""}, "empty"),
        ({"text": "   \n\t "}, "empty"),
        ({"text": "x" * 20_000}, "2000"),
        ({"text": "x" * 20_001}, "text"),
        ({"text": "hi", "timezone": "Mars/Olympus"}, "timezone"),
        ({"text": "hi", "now": "next tuesday"}, "now"),
        ({}, "text"),
    ],
)
def test_bad_parse_requests_are_4xx_problems(client: TestClient, body: dict[str, str], fragment: str) -> None:
    r = client.post("/api/v1/parse", json=body)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert fragment in r.json()["detail"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "😀😀😀",
        "\x00\x01\x02\ufffd\ufffd",
        "'; DROP TABLE tasks; --",
        "<script>alert('x')</script>",
        "asdkjh qwe zxcmnb",
    ],
)
def test_garbage_is_low_confidence_out_of_scope(client: TestClient, text: str) -> None:
    r = client.post("/api/v1/parse", json={"text": text})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["intent"] == "out_of_scope"
    assert body["slots"]["title"] is None


def test_readyz_waits_for_the_models(client: TestClient) -> None:
    # warm_start is off in tests: nothing has loaded the classifier yet.
    r = client.get("/readyz")
    assert r.status_code == 503 and "loading" in r.json()["detail"]
    client.app.state.services.understanding.warm()  # type: ignore[attr-defined]
    assert client.get("/readyz").json()["checks"] == {"database": "ok", "models": "ok"}
