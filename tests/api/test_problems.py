"""Problem details: Accept-Language negotiation, 405s that name every method, and the schema that documents them."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.problems import PROBLEM_JSON, negotiate_language


@pytest.mark.parametrize(
    ("header", "default", "expected"),
    [
        (None, "zh", "zh"),
        ("", "en", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "en", "zh"),
        ("en-US,en;q=0.9,zh-CN;q=0.8", "zh", "en"),
        ("zh-TW", "en", "zh"),
        ("fr-FR,en;q=0.5", "zh", "en"),
        ("en;q=0.2,zh;q=0.8", "en", "zh"),
        ("de, fr", "zh", "zh"),
        ("zh;q=0, en", "zh", "en"),
        ("zh;q=abc", "en", "en"),
    ],
)
def test_negotiate_language(header: str | None, default: str, expected: str) -> None:
    assert negotiate_language(header, default) == expected


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("OPTIONS", "/api/v1/projects", "GET, POST"),  # two routes on one path: Starlette named only the first
        ("PUT", "/api/v1/tasks/1", "GET, PATCH, DELETE"),
        ("PATCH", "/api/v1/feedback/bulk", "POST"),  # was a 422 about feedback id 'bulk'
        ("PATCH", "/api/v1/themes/map", "GET"),  # was a 422 about theme id 'map'
        ("POST", "/api/v1/themes/unthemed/items", "GET"),
    ],
)
def test_405_allows_every_method_the_path_has(client: TestClient, method: str, path: str, allow: str) -> None:
    r = client.request(method, path)
    assert r.status_code == 405 and r.headers["content-type"] == PROBLEM_JSON
    assert r.headers["allow"] == allow
    assert f"use {allow}" in r.json()["detail"]


BIG = 2**63  # one past SQL's 64-bit INTEGER: binding it to a query raised OverflowError, a 500


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("GET", f"/api/v1/tasks/{BIG}", None, "task_id"),
        ("GET", f"/api/v1/tasks?offset={BIG}", None, "offset"),
        ("POST", "/api/v1/tasks", {"title": "x", "project_id": BIG}, "project_id"),
        ("GET", f"/api/v1/feedback/{BIG}", None, "feedback_id"),
        ("GET", f"/api/v1/feedback?theme={BIG}", None, "theme"),
        ("GET", f"/api/v1/themes/{BIG}/items", None, "theme_id"),
        ("POST", "/api/v1/themes/1/merge", {"into": BIG}, "into"),
        ("POST", "/api/v1/themes/discover", {"seed": BIG}, "seed"),
    ],
)
def test_numbers_past_64_bits_are_invalid_input(
    client: TestClient, method: str, path: str, body: dict[str, Any] | None, field: str
) -> None:
    r = client.request(method, path, json=body)
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM_JSON
    assert [e["field"] for e in r.json()["errors"]] == [field]


def test_the_schema_documents_every_error_as_a_problem(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    responses = spec["paths"]["/api/v1/tasks/{task_id}"]["get"]["responses"]
    for status in ("401", "403", "404", "422", "429", "503"):
        assert responses[status]["content"][PROBLEM_JSON]["schema"] == {"$ref": "#/components/schemas/Problem"}
    assert "Retry-After" in responses["429"]["headers"]
    assert spec["paths"]["/api/v1/tasks/{task_id}"]["get"]["parameters"][0]["schema"]["maximum"] == 2**63 - 1
    assert "HTTPValidationError" not in spec["components"]["schemas"]
