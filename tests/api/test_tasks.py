"""Tasks over HTTP on a real SQLite file: CRUD, filters, paging, bad input, idempotency, audit."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from knowledge import models as m
from knowledge.db import Database

PROBLEM = "application/problem+json"


def _project(client: TestClient, key: str = "phoenix", name: str = "凤凰") -> int:
    r = client.post("/api/v1/projects", json={"key": key, "name": name, "aliases": ["Phoenix"]})
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def _member(client: TestClient, key: str = "zhangsan", name: str = "张三") -> int:
    r = client.post("/api/v1/members", json={"key": key, "name": name, "aliases": ["Sam Zhang", "老张"]})
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def _count(db: Database, model: type[m.Base]) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_create_get_patch_delete_roundtrip(client: TestClient, db: Database) -> None:
    pid, mid = _project(client), _member(client)
    r = client.post(
        "/api/v1/tasks",
        json={"title": "  登录页改版 ", "project_id": pid, "assignee_id": mid, "priority": "high", "due": "2026-12-04"},
    )
    assert r.status_code == 201, r.text
    task = r.json()
    assert task["title"] == "登录页改版"
    assert (task["project_key"], task["assignee_name"], task["status"]) == ("phoenix", "张三", "todo")
    assert task["due"] == "2026-12-04" and task["progress"] == 0 and task["completed_at"] is None

    assert client.get(f"/api/v1/tasks/{task['id']}").json() == task

    done = client.patch(f"/api/v1/tasks/{task['id']}", json={"status": "done"}).json()
    assert done["status"] == "done" and done["progress"] == 100 and done["completed_at"] is not None
    reopened = client.patch(f"/api/v1/tasks/{task['id']}", json={"status": "in_progress", "progress": 60}).json()
    assert reopened["completed_at"] is None and reopened["progress"] == 60

    cleared = client.patch(f"/api/v1/tasks/{task['id']}", json={"assignee_id": None, "due": None}).json()
    assert cleared["assignee_id"] is None and cleared["due"] is None and cleared["title"] == "登录页改版"

    assert client.delete(f"/api/v1/tasks/{task['id']}").status_code == 204
    missing = client.get(f"/api/v1/tasks/{task['id']}")
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM
    assert _count(db, m.Task) == 0


def test_filters_and_paging(client: TestClient) -> None:
    p1, p2 = _project(client), _project(client, "apollo", "阿波罗")
    zs, ln = _member(client), _member(client, "lina", "李娜")
    today = dt.date.today()
    specs: list[dict[str, Any]] = [
        {"project_id": p1, "assignee_id": zs, "status": "todo", "due": str(today - dt.timedelta(days=3))},
        {"project_id": p1, "assignee_id": ln, "status": "done", "due": str(today - dt.timedelta(days=3))},
        {"project_id": p1, "assignee_id": zs, "status": "blocked", "due": str(today + dt.timedelta(days=2))},
        {"project_id": p2, "assignee_id": ln, "status": "in_progress", "due": str(today + dt.timedelta(days=9))},
        {"project_id": p2, "status": "todo"},
    ]
    ids = [client.post("/api/v1/tasks", json={"title": f"t{i}", **s}).json()["id"] for i, s in enumerate(specs)]

    def listed(**params: Any) -> list[int]:
        r = client.get("/api/v1/tasks", params=params)
        assert r.status_code == 200, r.text
        return [t["id"] for t in r.json()["items"]]

    assert listed(project=p1) == ids[:3]
    assert listed(project="apollo") == ids[3:]
    assert listed(assignee="lina") == [ids[1], ids[3]]
    assert listed(status=["todo", "blocked"]) == [ids[0], ids[2], ids[4]]
    assert listed(overdue="true") == [ids[0]]
    assert listed(overdue="false") == [ids[1], ids[2], ids[3], ids[4]]
    assert listed(due_before=str(today + dt.timedelta(days=2))) == ids[:3]
    assert listed(project=p1, assignee=zs, status="todo") == [ids[0]]

    first = client.get("/api/v1/tasks", params={"limit": 2}).json()
    assert first["total"] == 5 and [t["id"] for t in first["items"]] == ids[:2]
    second = client.get("/api/v1/tasks", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    third = client.get("/api/v1/tasks", params={"limit": 2, "cursor": second["next_cursor"]}).json()
    assert [t["id"] for t in second["items"] + third["items"]] == ids[2:]
    assert third["next_cursor"] is None
    assert listed(limit=2, offset=4) == ids[4:]


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"limit": 1001}, "limit"),
        ({"limit": 0}, "limit"),
        ({"project": "nope"}, "'nope'"),
        ({"status": "finished"}, "status"),
        ({"due_before": "next friday"}, "due_before"),
        ({"cursor": "garbage!"}, "cursor"),
        ({"assignee": "²"}, "'²'"),  # isdigit() but not int(): was a 500
        ({"assignee": "99999999999999999999"}, "'99999999999999999999'"),  # past 64 bits: was a 500
    ],
)
def test_bad_list_queries_are_problems(client: TestClient, params: dict[str, Any], fragment: str) -> None:
    r = client.get("/api/v1/tasks", params=params)
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM
    assert fragment in r.json()["detail"]


BAD_BODIES: list[tuple[str, Any, int, str]] = [
    ("empty title", {"title": ""}, 422, "title"),
    ("blank title", {"title": "   "}, 422, "title"),
    ("unknown status", {"title": "x", "status": "finished"}, 422, "status"),
    ("unknown priority", {"title": "x", "priority": "P9"}, 422, "priority"),
    ("malformed date", {"title": "x", "due": "2026-13-45"}, 422, "due"),
    ("text date", {"title": "x", "due": "下周五"}, 422, "due"),
    ("progress over 100", {"title": "x", "progress": 150}, 422, "progress"),
    ("unknown field", {"title": "x", "owner": "me"}, 422, "owner"),
    ("unknown project", {"title": "x", "project_id": 999}, 422, "project_id 999"),
    ("unknown assignee", {"title": "x", "assignee_id": 999}, 422, "assignee_id 999"),
    ("not an object", ["title"], 422, "body"),
]


@pytest.mark.parametrize(("case", "body", "status", "fragment"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_bad_task_bodies_write_nothing(
    client: TestClient, db: Database, case: str, body: Any, status: int, fragment: str
) -> None:
    pid = _project(client)
    if isinstance(body, dict):
        body = {"project_id": pid, **body}
    audit_before = _count(db, m.AuditEntry)
    r = client.post("/api/v1/tasks", json=body)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    problem = r.json()
    assert problem["status"] == status and problem["title"] and fragment in problem["detail"]
    assert _count(db, m.Task) == 0
    assert _count(db, m.AuditEntry) == audit_before


def test_malformed_json_oversized_body_and_wrong_content_type(client: TestClient, db: Database) -> None:
    pid = _project(client)
    bad_json = client.post("/api/v1/tasks", content=b'{"title": "x",', headers={"content-type": "application/json"})
    assert bad_json.status_code == 422 and bad_json.headers["content-type"] == PROBLEM

    huge = b'{"title": "' + b"x" * (10 * 1024 * 1024) + b'", "project_id": %d}' % pid
    too_big = client.post("/api/v1/tasks", content=huge, headers={"content-type": "application/json"})
    assert too_big.status_code == 413 and too_big.headers["content-type"] == PROBLEM
    assert "bytes" in too_big.json()["detail"]

    form = client.post("/api/v1/tasks", content=b"title=x", headers={"content-type": "text/plain"})
    assert form.status_code == 415 and form.headers["content-type"] == PROBLEM
    assert "application/json" in form.json()["detail"]
    assert _count(db, m.Task) == 0


def test_patch_rejects_nulls_for_required_fields_and_keeps_the_row(client: TestClient) -> None:
    pid = _project(client)
    task = client.post("/api/v1/tasks", json={"title": "原标题", "project_id": pid}).json()
    for body in ({"title": None}, {"status": None}, {"title": ""}, {"project_id": 999}, {"priority": "soon"}):
        r = client.patch(f"/api/v1/tasks/{task['id']}", json=body)
        assert r.status_code == 422 and r.headers["content-type"] == PROBLEM, body
    assert client.get(f"/api/v1/tasks/{task['id']}").json() == task


def test_problem_detail_follows_accept_language(client: TestClient) -> None:
    zh = client.get("/api/v1/tasks/12345", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}).json()
    en = client.get("/api/v1/tasks/12345", headers={"Accept-Language": "en-US"}).json()
    assert zh["detail"] == "任务 12345 不存在" and zh["title"] == "未找到"
    assert en["detail"] == "task 12345 does not exist" and en["title"] == "Not found"


def test_idempotency_key_replays_and_conflicts(client: TestClient, db: Database) -> None:
    pid = _project(client)
    body = {"title": "写周报", "project_id": pid}
    first = client.post("/api/v1/tasks", json=body, headers={"Idempotency-Key": "k-1"})
    again = client.post("/api/v1/tasks", json=body, headers={"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    other = client.post("/api/v1/tasks", json={**body, "title": "别的"}, headers={"Idempotency-Key": "k-1"})
    assert other.status_code == 409 and other.headers["content-type"] == PROBLEM
    assert _count(db, m.Task) == 1


def test_fifty_concurrent_creates_with_one_key_make_one_task(
    live_server: str, client: TestClient, db: Database
) -> None:
    auth = {"Authorization": client.headers["Authorization"]}
    with httpx.Client(base_url=live_server, headers=auth) as c:
        pid = c.post("/api/v1/projects", json={"key": "apollo", "name": "阿波罗"}).json()["id"]
    body = {"title": "账单迁移演练", "project_id": pid, "priority": "urgent"}

    def create(_: int) -> httpx.Response:
        with httpx.Client(base_url=live_server, timeout=30) as c:
            return c.post("/api/v1/tasks", json=body, headers={"Idempotency-Key": "double-click", **auth})

    with ThreadPoolExecutor(max_workers=50) as pool:
        responses = list(pool.map(create, range(50)))
    assert sorted(r.status_code for r in responses) == [200] * 49 + [201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert _count(db, m.Task) == 1
    with db.read() as s:
        creates = s.scalar(select(func.count()).where(m.AuditEntry.entity == "task", m.AuditEntry.action == "create"))
    assert creates == 1


def test_every_write_is_audited_with_actor_and_key(client: TestClient, db: Database) -> None:
    headers: dict[str, str] = {}
    pid = client.post("/api/v1/projects", json={"key": "mobile", "name": "移动端"}, headers=headers).json()["id"]
    mid = client.post("/api/v1/members", json={"key": "tom", "name": "Tom Becker"}, headers=headers).json()["id"]
    tid = client.post("/api/v1/tasks", json={"title": "Ship 3.0", "project_id": pid}, headers=headers).json()["id"]
    client.patch(f"/api/v1/tasks/{tid}", json={"assignee_id": mid, "priority": "high"}, headers=headers)
    client.delete(f"/api/v1/tasks/{tid}", headers=headers)
    with db.read() as s:
        entries = s.scalars(
            select(m.AuditEntry).where(m.AuditEntry.entity != "api_key").order_by(m.AuditEntry.id)
        ).all()
    assert [(e.entity, e.action) for e in entries] == [
        ("project", "create"),
        ("member", "create"),
        ("task", "create"),
        ("task", "update"),
        ("task", "delete"),
    ]
    (key,) = client.app.state.services.keys.list()  # type: ignore[attr-defined]
    assert {(e.actor, e.key_id) for e in entries} == {("test admin", key.id)}
    update, delete = entries[3], entries[4]
    assert update.before is not None and update.after is not None
    assert (update.before["priority"], update.after["priority"]) == ("medium", "high")
    assert update.after["assignee_id"] == mid
    assert delete.before is not None and delete.before["title"] == "Ship 3.0" and delete.after is None


def test_duplicate_project_and_member_keys_conflict(client: TestClient) -> None:
    _project(client)
    _member(client)
    assert client.post("/api/v1/projects", json={"key": "phoenix", "name": "x"}).status_code == 409
    assert client.post("/api/v1/members", json={"key": "zhangsan", "name": "x"}).status_code == 409
    bad = client.post("/api/v1/projects", json={"key": "Not A Slug", "name": "x"})
    assert bad.status_code == 422 and "key" in bad.json()["detail"]
