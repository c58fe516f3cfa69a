"""Probes and the OpenAPI document."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient


def test_healthz_and_readyz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "checks": {}}
    client.app.state.services.understanding.warm()  # type: ignore[attr-defined]
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "models": "ok"}


def test_readyz_is_503_problem_before_migrations(app: FastAPI) -> None:
    # Without the lifespan (no `with`), nothing has migrated the fresh database yet.
    r = TestClient(app).get("/readyz")
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    assert "qiao migrate" in r.json()["detail"]


def test_openapi_lists_the_v1_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/projects",
        "/api/v1/members",
        "/api/v1/tasks",
        "/api/v1/tasks/{task_id}",
        "/api/v1/feedback",
        "/api/v1/feedback/{feedback_id}",
        "/healthz",
        "/readyz",
    ):
        assert path in paths
    assert client.get("/docs").status_code == 200


def test_unknown_route_and_method_are_problems(client: TestClient) -> None:
    r = client.get("/api/v1/nothing-here", headers={"Accept-Language": "zh"})
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert "/docs" in r.json()["detail"]
    assert client.put("/api/v1/tasks", json={}).status_code == 405
