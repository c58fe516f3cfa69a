"""Access control over HTTP: every route's roles, one person's data kept from another, site keys bound to their
origins and to a signed user token, rate limits, deadlines, and keys managed by admins only."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from api.user_token import sign_user_token
from knowledge import models as m
from knowledge.db import Database
from settings import Settings
from tests.conftest import mint_key

PROBLEM = "application/problem+json"
ORIGIN = "https://pm.example.com"

# Who may call what. A new route must be added here, or test_every_route_is_classified fails.
PUBLIC, CHAT, MEMBER, OPS, ADMIN = "public", "chat", "member", "ops", "admin"
ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/readyz"): PUBLIC,
    ("GET", "/help"): PUBLIC,
    ("POST", "/api/v1/chat"): CHAT,
    ("POST", "/api/v1/chat/stream"): CHAT,
    ("POST", "/api/v1/chat/{session_id}/actions"): CHAT,
    ("GET", "/api/v1/chat/{session_id}"): CHAT,
    ("POST", "/api/v1/transcribe"): CHAT,
    ("POST", "/api/v1/voice/parse"): CHAT,
    ("POST", "/api/v1/voice"): CHAT,
    ("GET", "/api/v1/projects"): MEMBER,
    ("GET", "/api/v1/members"): MEMBER,
    ("GET", "/api/v1/tasks"): MEMBER,
    ("POST", "/api/v1/tasks"): MEMBER,
    ("GET", "/api/v1/tasks/{task_id}"): MEMBER,
    ("PATCH", "/api/v1/tasks/{task_id}"): MEMBER,
    ("DELETE", "/api/v1/tasks/{task_id}"): MEMBER,
    ("GET", "/api/v1/feedback"): MEMBER,
    ("POST", "/api/v1/feedback"): MEMBER,
    ("GET", "/api/v1/feedback/{feedback_id}"): MEMBER,
    ("POST", "/api/v1/ask"): MEMBER,
    ("POST", "/api/v1/parse"): MEMBER,
    ("PATCH", "/api/v1/feedback/{feedback_id}"): OPS,
    ("POST", "/api/v1/feedback/bulk"): OPS,
    ("POST", "/api/v1/knowledge/ingest"): OPS,
    ("GET", "/api/v1/knowledge/gaps"): OPS,
    ("GET", "/api/v1/knowledge/similar-feedback"): OPS,
    ("GET", "/api/v1/themes"): OPS,
    ("POST", "/api/v1/themes/discover"): OPS,
    ("GET", "/api/v1/themes/report"): OPS,
    ("GET", "/api/v1/themes/map"): OPS,
    ("GET", "/api/v1/themes/unthemed/items"): OPS,
    ("GET", "/api/v1/themes/{theme_id}"): OPS,
    ("PATCH", "/api/v1/themes/{theme_id}"): OPS,
    ("GET", "/api/v1/themes/{theme_id}/items"): OPS,
    ("POST", "/api/v1/themes/{theme_id}/items"): OPS,
    ("POST", "/api/v1/themes/{theme_id}/merge"): OPS,
    ("POST", "/api/v1/themes/{theme_id}/split"): OPS,
    ("GET", "/api/v1/keys"): ADMIN,
    ("POST", "/api/v1/keys"): ADMIN,
    ("DELETE", "/api/v1/keys/{key_id}"): ADMIN,
    ("POST", "/api/v1/projects"): ADMIN,
    ("POST", "/api/v1/members"): ADMIN,
}
ALLOWED = {
    CHAT: {"site", "member", "ops", "admin"},
    MEMBER: {"member", "ops", "admin"},
    OPS: {"ops", "admin"},
    ADMIN: {"admin"},
}
PATH_VALUES = {
    "{session_id}": "abc123",
    "{task_id}": "1",
    "{feedback_id}": "1",
    "{theme_id}": "1",
    "{key_id}": "key_00",
}


def _url(path: str) -> str:
    for name, value in PATH_VALUES.items():
        path = path.replace(name, value)
    return path


@pytest.fixture
def access(demo: TestClient) -> TestClient:
    """The demo workspace, called with no key unless a test says which."""
    del demo.headers["Authorization"]
    return demo


@pytest.fixture
def callers(access: TestClient) -> dict[str, dict[str, str]]:
    """Headers for each kind of caller (the site key as the widget sends it, from its origin)."""
    app: FastAPI = access.app  # type: ignore[assignment]
    site = mint_key(app, "site", origins=(ORIGIN,))
    assert site.signing_secret is not None
    return {
        "anonymous": {},
        "member": {"Authorization": f"Bearer {mint_key(app, 'member', member='zhaomin').key}"},
        "ops": {"Authorization": f"Bearer {mint_key(app, 'ops').key}"},
        "admin": {"Authorization": f"Bearer {mint_key(app, 'admin').key}"},
        "site": {
            "Authorization": f"Bearer {site.key}",
            "Origin": ORIGIN,
            "X-Qiao-User-Token": sign_user_token(site.signing_secret, "zhaomin"),
        },
    }


def test_every_route_is_classified(client: TestClient) -> None:
    schema = client.app.openapi()  # type: ignore[attr-defined]
    served = {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}
    assert served == set(ROUTES)


@pytest.mark.parametrize(("method", "path"), [r for r, need in ROUTES.items() if need != PUBLIC])
def test_each_route_admits_exactly_its_roles(
    access: TestClient, callers: dict[str, dict[str, str]], method: str, path: str
) -> None:
    need = ROUTES[(method, path)]
    for who, headers in callers.items():
        r = access.request(method, _url(path), headers=headers)
        if who == "anonymous":
            assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer", (who, r.text)
        elif who in ALLOWED[need]:
            assert r.status_code not in (401, 403), (who, r.status_code, r.text)
        else:
            assert r.status_code == 403, (who, r.status_code, r.text)
        if r.status_code in (401, 403):
            assert r.headers["content-type"] == PROBLEM and r.json()["detail"]


def test_unknown_malformed_and_revoked_keys_are_refused(access: TestClient) -> None:
    app: FastAPI = access.app  # type: ignore[assignment]
    for header in ("Bearer qiao_sk_nope", "Basic dXNlcjpwYXNz", "Bearer ", "qiao_sk_without_scheme"):
        r = access.get("/api/v1/projects", headers={"Authorization": header})
        assert r.status_code == 401 and r.headers["content-type"] == PROBLEM
    ops = mint_key(app, "ops")
    bearer = {"Authorization": f"Bearer {ops.key}"}
    assert access.get("/api/v1/themes", headers=bearer).status_code == 200
    admin = {"Authorization": f"Bearer {mint_key(app, 'admin').key}"}
    assert access.delete(f"/api/v1/keys/{ops.id}", headers=admin).json()["revoked_at"] is not None
    assert access.delete(f"/api/v1/keys/{ops.id}", headers=admin).status_code == 200  # idempotent
    r = access.get("/api/v1/themes", headers={**bearer, "Accept-Language": "zh"})
    assert r.status_code == 401 and "吊销" in r.json()["detail"]


def test_keys_are_stored_hashed_and_never_listed(access: TestClient, db: Database) -> None:
    admin = {"Authorization": f"Bearer {mint_key(access.app, 'admin').key}"}  # type: ignore[arg-type]
    made = access.post("/api/v1/keys", json={"role": "ops", "name": "console"}, headers=admin)
    assert made.status_code == 201 and made.json()["key"].startswith("qiao_sk_")
    listed = access.get("/api/v1/keys", headers=admin)
    assert made.json()["key"] not in listed.text and "secret_hash" not in listed.text
    with db.read() as s:
        stored = s.scalars(select(m.ApiKey)).all()
        audit = s.scalars(select(m.AuditEntry).where(m.AuditEntry.entity == "api_key")).all()
    assert all(made.json()["key"] not in (k.secret_hash, k.prefix) for k in stored)
    assert audit and all("secret_hash" not in (e.after or {}) for e in audit)
    for bad in (
        {"role": "member"},
        {"role": "site"},
        {"role": "ops", "origins": [ORIGIN]},
        {"role": "site", "origins": ["ftp://x"]},
    ):
        r = access.post("/api/v1/keys", json=bad, headers=admin)
        assert r.status_code == 422 and r.headers["content-type"] == PROBLEM, bad


# One person's data ---------------------------------------------------------------------------------------------
@pytest.fixture
def two_people(access: TestClient) -> tuple[dict[str, str], dict[str, str]]:
    app: FastAPI = access.app  # type: ignore[assignment]
    a = {"Authorization": f"Bearer {mint_key(app, 'member', member='zhaomin').key}"}
    b = {"Authorization": f"Bearer {mint_key(app, 'member', member='zhangsan').key}"}
    return a, b


def test_a_member_cannot_read_or_change_anothers_tasks(
    access: TestClient, two_people: tuple[dict[str, str], dict[str, str]]
) -> None:
    a, b = two_people
    project = access.get("/api/v1/projects", headers=a).json()[0]["id"]
    task = access.post("/api/v1/tasks", json={"title": "赵敏的私人任务", "project_id": project}, headers=a).json()
    assert task["created_by_id"] is not None
    assert access.get(f"/api/v1/tasks/{task['id']}", headers=a).status_code == 200
    for method, body in (("GET", None), ("PATCH", {"status": "done"}), ("DELETE", None)):
        r = access.request(method, f"/api/v1/tasks/{task['id']}", json=body, headers=b)
        assert r.status_code == 404 and r.headers["content-type"] == PROBLEM, method
    mine = access.get("/api/v1/tasks", params={"limit": 1000}, headers=b).json()["items"]
    assert task["id"] not in {t["id"] for t in mine}
    assert mine and all(t["assignee_name"] == "张三" or t["created_by_id"] is not None for t in mine)
    everyone = access.get("/api/v1/tasks", params={"limit": 1000}, headers=access.headers | _admin(access)).json()
    assert everyone["total"] > len(mine)
    assert access.get(f"/api/v1/tasks/{task['id']}", headers=a).json()["status"] == "todo"  # B changed nothing


def _admin(client: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_key(client.app, 'admin').key}"}  # type: ignore[arg-type]


def test_a_member_sees_only_their_own_feedback(
    access: TestClient, two_people: tuple[dict[str, str], dict[str, str]]
) -> None:
    a, b = two_people
    item = access.post("/api/v1/feedback", json={"text": "甘特图导出 PDF 时中文乱码"}, headers=a).json()
    assert access.get(f"/api/v1/feedback/{item['id']}", headers=a).status_code == 200
    assert access.get(f"/api/v1/feedback/{item['id']}", headers=b).status_code == 404
    assert access.get("/api/v1/feedback", headers=b).json()["items"] == []
    assert [f["id"] for f in access.get("/api/v1/feedback", headers=a).json()["items"]] == [item["id"]]
    assert access.patch(f"/api/v1/feedback/{item['id']}", json={"status": "resolved"}, headers=a).status_code == 403


def test_a_member_cannot_read_or_drive_anothers_conversation(
    access: TestClient, two_people: tuple[dict[str, str], dict[str, str]]
) -> None:
    a, b = two_people
    turn = access.post("/api/v1/chat", json={"text": "帮我建个任务：周五前整理发布说明，凤凰项目"}, headers=a).json()
    session, confirm = turn["session_id"], next(x["id"] for x in turn["actions"] if x["kind"] == "confirm")
    assert access.get(f"/api/v1/chat/{session}", headers=a).status_code == 200
    assert access.get(f"/api/v1/chat/{session}", headers=b).status_code == 404
    assert access.post(f"/api/v1/chat/{session}/actions", json={"action_id": confirm}, headers=b).status_code == 404
    assert access.post("/api/v1/chat", json={"text": "确认", "session_id": session}, headers=b).status_code == 404
    speak_as = access.post("/api/v1/chat", json={"text": "我的任务进度怎么样", "user": "zhaomin"}, headers=b)
    assert speak_as.status_code == 403 and speak_as.headers["content-type"] == PROBLEM
    done = access.post(f"/api/v1/chat/{session}/actions", json={"action_id": confirm}, headers=a).json()
    assert done["cards"][0]["task"]["title"]  # the owner still can


def test_progress_in_chat_counts_only_a_members_own_tasks(
    access: TestClient, two_people: tuple[dict[str, str], dict[str, str]]
) -> None:
    _, b = two_people
    reply = access.post("/api/v1/chat", json={"text": "凤凰项目现在进度怎么样了"}, headers=b).json()
    card = next(c for c in reply["cards"] if c["type"] == "progress")
    own = access.get("/api/v1/tasks", params={"project": "phoenix", "limit": 1000}, headers=b).json()
    assert card["total"] == own["total"] and "仅含你的任务" in card["name"]
    full = access.post("/api/v1/chat", json={"text": "凤凰项目现在进度怎么样了"}, headers=_admin(access)).json()
    assert next(c for c in full["cards"] if c["type"] == "progress")["total"] > card["total"]


# Site keys -----------------------------------------------------------------------------------------------------
@pytest.fixture
def site(access: TestClient) -> tuple[str, str]:
    new = mint_key(access.app, "site", origins=(ORIGIN, "http://localhost:3000"))  # type: ignore[arg-type]
    assert new.signing_secret is not None
    return new.key, new.signing_secret


@pytest.mark.parametrize(
    ("origin", "referer", "status"),
    [
        (ORIGIN, None, 200),
        ("https://PM.example.com:443", None, 200),
        ("http://localhost:3000", None, 200),
        (None, f"{ORIGIN}/board/7?tab=2", 200),
        ("https://evil.example", None, 403),
        ("http://pm.example.com", None, 403),
        ("null", None, 403),
        (None, None, 403),
    ],
)
def test_site_keys_serve_only_their_origins(
    access: TestClient, site: tuple[str, str], origin: str | None, referer: str | None, status: int
) -> None:
    key, secret = site
    headers = {"Authorization": f"Bearer {key}", "X-Qiao-User-Token": sign_user_token(secret, "zhaomin")}
    if origin:
        headers["Origin"] = origin
    if referer:
        headers["Referer"] = referer
    r = access.post("/api/v1/chat", json={"text": "你好"}, headers=headers)
    assert r.status_code == status, r.text


def test_cors_preflight_follows_the_site_keys(access: TestClient, site: tuple[str, str]) -> None:
    asked = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,x-qiao-user-token",
    }
    ok = access.options("/api/v1/chat", headers={"Origin": ORIGIN, **asked})
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == ORIGIN
    assert "x-qiao-user-token" in ok.headers["access-control-allow-headers"].lower()
    assert access.options("/api/v1/chat", headers={"Origin": "https://evil.example", **asked}).status_code == 400
    simple = access.get("/healthz", headers={"Origin": ORIGIN})
    assert simple.headers["access-control-allow-origin"] == ORIGIN
    assert (
        "access-control-allow-origin" not in access.get("/healthz", headers={"Origin": "https://evil.example"}).headers
    )


@pytest.mark.parametrize(
    ("token", "why"),
    [
        ("", "missing"),
        ("v1.e30.abc", "signature"),
        ("not-a-token", "malformed"),
        ("expired", "expired"),
        ("forever", "too long"),
        ("wrong-secret", "signature"),
        ("stranger", "not a member"),
    ],
)
def test_site_visitors_need_a_valid_user_token(access: TestClient, site: tuple[str, str], token: str, why: str) -> None:
    key, secret = site
    made = {
        "expired": sign_user_token(secret, "zhaomin", ttl_s=60, now=time.time() - 3600),
        "forever": sign_user_token(secret, "zhaomin", ttl_s=400 * 86_400),
        "wrong-secret": sign_user_token("0" * 64, "zhaomin"),
        "stranger": sign_user_token(secret, "nobody-here"),
    }
    headers = {"Authorization": f"Bearer {key}", "Origin": ORIGIN, "X-Qiao-User-Token": made.get(token, token)}
    r = access.post("/api/v1/chat", json={"text": "你好"}, headers=headers)
    assert r.status_code == 401 and r.headers["content-type"] == PROBLEM
    assert why in r.json()["detail"] or (why == "missing" and "token" in r.json()["detail"]), r.json()


def test_a_site_visitor_is_the_member_the_token_names(access: TestClient, site: tuple[str, str], db: Database) -> None:
    key, secret = site
    visitor = {
        "Authorization": f"Bearer {key}",
        "Origin": ORIGIN,
        "X-Qiao-User-Token": sign_user_token(secret, "zhaomin"),
    }
    turn = access.post("/api/v1/chat", json={"text": "报告一个问题：看板拖拽卡片时页面卡顿"}, headers=visitor).json()
    confirm = next(x["id"] for x in turn["actions"] if x["kind"] == "confirm")
    access.post(f"/api/v1/chat/{turn['session_id']}/actions", json={"action_id": confirm}, headers=visitor)
    with db.read() as s:
        item = s.scalars(select(m.Feedback).order_by(m.Feedback.id.desc())).first()
        zhaomin = s.scalar(select(m.Member.id).where(m.Member.key == "zhaomin"))
        entry = s.scalars(
            select(m.AuditEntry).where(m.AuditEntry.entity == "feedback").order_by(m.AuditEntry.id.desc())
        ).first()
    assert item is not None and item.reporter_id == zhaomin and "卡顿" in item.text
    assert entry is not None and entry.actor == "zhaomin (widget)" and entry.key_id is not None
    other = {**visitor, "X-Qiao-User-Token": sign_user_token(secret, "zhangsan")}
    assert access.get(f"/api/v1/chat/{turn['session_id']}", headers=other).status_code == 404


# Limits and deadlines ------------------------------------------------------------------------------------------
@pytest.fixture
def limited(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update={"rate_limit_key_per_minute": 3, "rate_limit_ip_per_minute": 6}))
    with TestClient(app) as c:
        yield c


def test_rate_limits_per_key_and_per_address(limited: TestClient) -> None:
    one = {"Authorization": f"Bearer {mint_key(limited.app, 'admin').key}"}  # type: ignore[arg-type]
    two = {"Authorization": f"Bearer {mint_key(limited.app, 'admin').key}"}  # type: ignore[arg-type]
    assert [limited.get("/api/v1/projects", headers=one).status_code for _ in range(4)] == [200, 200, 200, 429]
    r = limited.get("/api/v1/projects", headers={**one, "Accept-Language": "zh"})
    assert r.status_code == 429 and r.headers["content-type"] == PROBLEM and int(r.headers["retry-after"]) >= 1
    assert "秒后重试" in r.json()["detail"]
    assert limited.get("/api/v1/projects", headers=two).status_code == 200  # another key has its own budget
    # ... but the address has spent its 6 (4 + 1 + 1): anonymous guessing is slowed down too.
    assert limited.get("/api/v1/projects").status_code == 429
    assert limited.get("/healthz").status_code == 200  # health checks are never limited


def test_a_slow_request_gets_a_504_problem(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"request_timeout_s": 0.2}))

    async def slow() -> dict[str, bool]:
        await asyncio.sleep(2)
        return {"finished": True}

    app.add_api_route("/api/v1/_slow", slow)
    with TestClient(app) as c:
        began = time.monotonic()
        r = c.get("/api/v1/_slow", headers={"Accept-Language": "zh"})
    assert r.status_code == 504 and r.headers["content-type"] == PROBLEM and "0.2 秒" in r.json()["detail"]
    assert time.monotonic() - began < 1.5


def test_without_auth_required_a_dev_machine_needs_no_key(settings: Settings) -> None:
    with TestClient(create_app(settings.model_copy(update={"auth_required": False}))) as c:
        assert c.get("/api/v1/projects").status_code == 200
