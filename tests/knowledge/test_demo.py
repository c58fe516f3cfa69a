"""The bundled demo workspace: loads once, dates relative to today, reachable through the API."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from knowledge.db import Database
from knowledge.demo import load_demo
from settings import Settings


def test_demo_loads_once_and_is_listed(demo: TestClient, db: Database, settings: Settings) -> None:
    again = load_demo(db, now=dt.datetime.now(dt.UTC), tz=settings.tz, simple_hours=24, complex_hours=72)
    assert (again.projects, again.members, again.tasks, again.feedback) == (0, 0, 0, 0)

    projects = demo.get("/api/v1/projects").json()
    assert {p["key"] for p in projects} == {"phoenix", "apollo", "mobile"}
    members = demo.get("/api/v1/members").json()
    assert len(members) == 12 and any("老张" in mem["aliases"] for mem in members)

    phoenix = next(p for p in projects if p["key"] == "phoenix")
    page = demo.get("/api/v1/tasks", params={"project": phoenix["id"], "limit": 1000}).json()
    assert page["total"] > 10 and all(t["project_id"] == phoenix["id"] for t in page["items"])

    everything = demo.get("/api/v1/tasks", params={"limit": 1000}).json()
    assert everything["total"] >= 50
    assert {t["status"] for t in everything["items"]} == {"todo", "in_progress", "blocked", "done"}
    assert {t["priority"] for t in everything["items"]} == {"urgent", "high", "medium", "low"}
    today = dt.datetime.now(settings.tz).date()
    dues = [dt.date.fromisoformat(t["due"]) for t in everything["items"] if t["due"]]
    assert min(dues) < today < max(dues), "demo due dates are placed around today"
    assert demo.get("/api/v1/tasks", params={"overdue": "true"}).json()["total"] >= 5

    feedback = demo.get("/api/v1/feedback", params={"limit": 1000}).json()
    assert feedback["total"] >= 30
    assert {f["language"] for f in feedback["items"]} >= {"zh", "en"}
    assert any(f["duplicate_of"] for f in feedback["items"])
    assert all(f["resolution"] for f in feedback["items"] if f["status"] == "resolved")
