"""Feedback over HTTP: detection of language and kind, SLA, filters, triage, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from knowledge import models as m
from knowledge.db import Database

PROBLEM = "application/problem+json"


def _parse(ts: str) -> dt.datetime:
    return dt.datetime.fromisoformat(ts.replace("Z", "+00:00"))


@pytest.mark.parametrize(
    ("text", "language", "kind", "sla_hours"),
    [
        ("甘特图导出PDF时中文显示成方块", "zh", "bug", 72),
        ("The Gantt export garbles Chinese characters", "en", "bug", 72),
        ("能不能加个批量修改截止日期的功能", "zh", "feature_request", 72),
        ("please add bulk editing of due dates", "en", "feature_request", 72),
        ("审批流程配置太麻烦了", "zh", "complaint", 24),
        ("notifications are way too many and annoying", "en", "complaint", 24),
        ("新版看板太好用了，点赞", "zh", "praise", 24),
        ("手机端的task列表在哪里看", "zh", "question", 24),
        ("这个task的deadline在哪里改", "mixed", "question", 24),
    ],
)
def test_created_feedback_gets_language_kind_and_sla(
    client: TestClient, text: str, language: str, kind: str, sla_hours: int
) -> None:
    r = client.post("/api/v1/feedback", json={"text": text, "reporter": "赵敏"})
    assert r.status_code == 201, r.text
    item = r.json()
    assert (item["language"], item["kind"], item["status"]) == (language, kind, "open")
    assert _parse(item["sla_due"]) - _parse(item["created_at"]) == dt.timedelta(hours=sla_hours)


def test_critical_bug_gets_the_fast_sla(client: TestClient) -> None:
    item = client.post("/api/v1/feedback", json={"text": "系统登录失败，全员无法使用", "severity": "critical"}).json()
    assert _parse(item["sla_due"]) - _parse(item["created_at"]) == dt.timedelta(hours=24)


def test_triage_resolve_and_filters(client: TestClient, db: Database) -> None:
    a = client.post("/api/v1/feedback", json={"text": "App keeps crashing on launch", "kind": "bug"}).json()
    b = client.post("/api/v1/feedback", json={"text": "app 启动就闪退", "kind": "bug"}).json()
    c = client.post("/api/v1/feedback", json={"text": "希望支持暗色模式", "kind": "feature_request"}).json()

    needs_resolution = client.patch(f"/api/v1/feedback/{a['id']}", json={"status": "resolved"})
    assert needs_resolution.status_code == 422 and "resolution" in needs_resolution.json()["detail"]
    resolved = client.patch(
        f"/api/v1/feedback/{a['id']}", json={"status": "resolved", "resolution": "Fixed in 3.0.1: update the app."}
    ).json()
    assert resolved["status"] == "resolved" and resolved["resolution"].startswith("Fixed")
    dup = client.patch(f"/api/v1/feedback/{b['id']}", json={"duplicate_of": a["id"], "status": "triaged"}).json()
    assert dup["duplicate_of"] == a["id"]
    assert client.patch(f"/api/v1/feedback/{b['id']}", json={"duplicate_of": b["id"]}).status_code == 422
    assert client.patch(f"/api/v1/feedback/{b['id']}", json={"theme_id": 77}).status_code == 422

    def ids(**params: object) -> list[int]:
        r = client.get("/api/v1/feedback", params=params)
        assert r.status_code == 200, r.text
        return [f["id"] for f in r.json()["items"]]

    assert ids(kind="bug") == [a["id"], b["id"]]
    assert ids(status="resolved") == [a["id"]]
    assert ids(kind=["bug", "feature_request"], status=["open", "triaged"]) == [b["id"], c["id"]]
    assert ids(since=(dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()) == []
    assert ids(since="2000-01-01T00:00:00Z") == [a["id"], b["id"], c["id"]]
    assert client.get("/api/v1/feedback", params={"kind": "rant"}).status_code == 422

    with db.read() as s:
        audited = s.scalar(select(func.count()).where(m.AuditEntry.entity == "feedback"))
    assert audited == 3 + 2  # three creates, one resolve, one triage


@pytest.mark.parametrize(
    "body",
    [
        {"text": ""},
        {"text": "   "},
        {"text": "x" * 10_001},
        {"text": "ok", "kind": "rant"},
        {"text": "ok", "severity": "apocalyptic"},
        {"text": "ok", "created_at": "yesterday"},
        {"text": "ok", "created_at": "2026-11-01T10:00:00"},
    ],
)
def test_bad_feedback_is_refused_and_nothing_is_stored(client: TestClient, db: Database, body: dict[str, str]) -> None:
    r = client.post("/api/v1/feedback", json=body)
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(m.Feedback)) == 0


def test_feedback_idempotency(client: TestClient) -> None:
    body = {"text": "导入Excel时日期列报错"}
    first = client.post("/api/v1/feedback", json=body, headers={"Idempotency-Key": "survey-17"})
    again = client.post("/api/v1/feedback", json=body, headers={"Idempotency-Key": "survey-17"})
    assert (first.status_code, again.status_code) == (201, 200) and first.json()["id"] == again.json()["id"]
    clash = client.post("/api/v1/feedback", json={"text": "另一条"}, headers={"Idempotency-Key": "survey-17"})
    assert clash.status_code == 409
    assert client.get(f"/api/v1/feedback/{first.json()['id']}").json()["text"] == body["text"]
    assert client.get("/api/v1/feedback/999").status_code == 404
