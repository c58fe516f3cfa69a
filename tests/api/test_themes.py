"""Feedback themes over HTTP, on the demo workspace with the real embedder, Chroma and SQLite: discovery, stable
ids and names, the classifier for new items, ops' review (audited), the committee report."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from knowledge import models as m
from knowledge.db import Database
from knowledge.schemas import Actor
from knowledge.themes import ClusteringParams, ThemeDiscovery, ThemeStore
from retrieval.embedder import Vectors
from tests.conftest import mint_key

PROBLEM = "application/problem+json"
OPS: dict[str, str] = {}  # the `themed` client calls with an ops key named "ops-lead"
# Demo reports of one problem, in Chinese and English (knowledge/demo/workspace.json keys).
SAME_PROBLEM = [("f01", "f03"), ("f06", "f07"), ("f25", "f26"), ("f11", "f13"), ("f17", "f18")]


def _ids(db: Database) -> dict[str, int]:
    with db.read() as s:
        rows = s.execute(select(m.Feedback.idempotency_key, m.Feedback.id)).all()
    return {k.removeprefix("demo:"): i for k, i in rows if k}


def _theme_of(db: Database) -> dict[int, int | None]:
    with db.read() as s:
        return dict(s.execute(select(m.Feedback.id, m.Feedback.theme_id)).all())


def _discover(client: TestClient) -> dict[str, Any]:
    r = client.post("/api/v1/themes/discover", headers=OPS)
    assert r.status_code == 200, r.text
    run: dict[str, Any] = r.json()
    return run


def _audit(db: Database, entity: str, action: str) -> list[m.AuditEntry]:
    with db.read() as s:
        return list(s.scalars(select(m.AuditEntry).where(m.AuditEntry.entity == entity, m.AuditEntry.action == action)))


@pytest.fixture
def themed(demo: TestClient) -> TestClient:
    """The demo workspace after one discovery, called with an ops key (the audit log names it)."""
    demo.headers["Authorization"] = f"Bearer {mint_key(demo.app, 'ops', name='ops-lead').key}"  # type: ignore[arg-type]
    _discover(demo)
    return demo


def test_discovery_themes_both_languages_together(themed: TestClient, db: Database) -> None:
    listing = themed.get("/api/v1/themes").json()
    assert listing["total_items"] == 40 and listing["unthemed"] <= 4  # at most 10% unthemed
    assert 5 <= len(listing["themes"]) <= 10
    run = listing["last_discovery"]
    assert (run["status"], run["items"], run["created"], run["kept"]) == ("done", 40, len(listing["themes"]), 0)
    ids, theme_of = _ids(db), _theme_of(db)
    for zh_or_en, other in SAME_PROBLEM:
        assert theme_of[ids[zh_or_en]] is not None and theme_of[ids[zh_or_en]] == theme_of[ids[other]]
    biggest = listing["themes"][0]
    assert biggest["count"] == sum(biggest["kinds"].values()) >= sum(biggest["trend"])
    assert set(biggest["languages"]) == {"zh", "en"} and len(biggest["trend"]) == 8
    assert {q["language"] for q in biggest["quotes"]} == {"zh", "en"} and biggest["keywords"]
    assert len(_audit(db, "theme", "create")) == len(listing["themes"])
    assert len(_audit(db, "theme_run", "discover")) == 1
    # Discovery does not touch the items' own updated_at (the SLA figures read it).
    with db.read() as s:
        assert all(f.updated_at <= f.created_at + dt.timedelta(seconds=1) for f in s.scalars(select(m.Feedback)))


def test_ids_and_names_survive_rediscovery(themed: TestClient, db: Database) -> None:
    before = themed.get("/api/v1/themes").json()["themes"]
    pdf = _theme_of(db)[_ids(db)["f01"]]
    name = {"name": "导出PDF中文乱码 / PDF export garbles Chinese"}
    renamed = themed.patch(f"/api/v1/themes/{pdf}", json=name, headers=OPS)
    assert renamed.status_code == 200 and renamed.json()["name_source"] == "manual"

    run = _discover(themed)
    assert (run["created"], run["kept"], run["retired"]) == (0, len(before), 0)
    after = {t["id"]: t for t in themed.get("/api/v1/themes").json()["themes"]}
    assert set(after) == {t["id"] for t in before}
    assert after[pdf]["name"] == "导出PDF中文乱码 / PDF export garbles Chinese"
    assert all(after[t["id"]]["name"] == t["name"] for t in before if t["id"] != pdf)
    renames = _audit(db, "theme", "rename")
    assert len(renames) == 1 and renames[0].actor == "ops-lead" and renames[0].after["name_source"] == "manual"


def test_a_new_item_joins_its_theme_when_it_arrives(themed: TestClient, db: Database) -> None:
    pdf = _theme_of(db)[_ids(db)["f01"]]
    crash = _theme_of(db)[_ids(db)["f06"]]
    zh = themed.post("/api/v1/feedback", json={"text": "导出甘特图PDF的时候，中文全部变成了小方块"}).json()
    en = themed.post("/api/v1/feedback", json={"text": "The iPhone app crashes whenever I open a photo in a comment"})
    unrelated = themed.post("/api/v1/feedback", json={"text": "食堂的午饭太咸了"}).json()
    assert (zh["theme_id"], unrelated["theme_id"]) == (pdf, None), "the created item comes back with its theme"
    assert themed.get(f"/api/v1/feedback/{zh['id']}").json()["theme_id"] == pdf
    assert themed.get(f"/api/v1/feedback/{en.json()['id']}").json()["theme_id"] == crash
    assert themed.get(f"/api/v1/feedback/{unrelated['id']}").json()["theme_id"] is None
    listed = themed.get("/api/v1/feedback", params={"theme": pdf}).json()["items"]
    assert zh["id"] in [f["id"] for f in listed]
    classified = _audit(db, "feedback", "classify")
    assert {e.entity_id for e in classified} == {str(zh["id"]), str(en.json()["id"])}
    items = themed.get(f"/api/v1/themes/{pdf}/items").json()["items"]
    new = next(i for i in items if i["id"] == zh["id"])
    assert new["theme_source"] == "classifier" and new["theme_score"] >= 0.45


def test_merge_is_persisted_audited_and_respected_by_rediscovery(themed: TestClient, db: Database) -> None:
    ids = _ids(db)
    excel, pdf = _theme_of(db)[ids["f25"]], _theme_of(db)[ids["f01"]]
    assert excel != pdf
    r = themed.post(f"/api/v1/themes/{excel}/merge", json={"into": pdf}, headers=OPS)
    assert r.status_code == 200, r.text
    assert r.json()["id"] == pdf and r.json()["count"] >= 8
    gone = themed.get(f"/api/v1/themes/{excel}").json()
    assert (gone["status"], gone["merged_into"], gone["count"]) == ("merged", pdf, 0)
    merges = _audit(db, "theme", "merge")
    assert {e.entity_id for e in merges} == {str(excel), str(pdf)} and all(e.actor == "ops-lead" for e in merges)

    _discover(themed)
    theme_of = _theme_of(db)
    assert theme_of[ids["f25"]] == theme_of[ids["f01"]] == pdf  # the Excel cluster still lands in the merged theme
    assert excel not in [t["id"] for t in themed.get("/api/v1/themes").json()["themes"]]
    again = themed.post(f"/api/v1/themes/{excel}/merge", json={"into": pdf})
    assert again.status_code == 422 and again.headers["content-type"] == PROBLEM


def test_split_move_agenda_and_task_link(themed: TestClient, db: Database) -> None:
    ids = _ids(db)
    theme = _theme_of(db)[ids["f11"]]
    count = themed.get(f"/api/v1/themes/{theme}").json()["count"]
    parts = themed.post(f"/api/v1/themes/{theme}/split", headers=OPS)
    assert parts.status_code == 200, parts.text
    split = parts.json()
    assert split[0]["id"] == theme and len(split) >= 2 and sum(p["count"] for p in split) == count
    assert len(_audit(db, "theme", "split")) == len(split)

    target = _theme_of(db)[ids["f34"]]
    moved = themed.post(f"/api/v1/themes/{target}/items", json={"feedback_id": ids["f40"]}, headers=OPS)
    assert moved.status_code == 200 and _theme_of(db)[ids["f40"]] == target
    _discover(themed)
    assert _theme_of(db)[ids["f40"]] == target  # a hand-moved item stays where ops put it

    task = themed.get("/api/v1/tasks", params={"limit": 1}).json()["items"][0]["id"]
    marked = themed.patch(
        f"/api/v1/themes/{target}", json={"on_agenda": True, "agenda_note": "本月重点", "task_id": task}, headers=OPS
    )
    assert marked.status_code == 200 and marked.json()["on_agenda"] and marked.json()["task_id"] == task
    missing = themed.patch(f"/api/v1/themes/{target}", json={"task_id": 999_999})
    assert missing.status_code == 422 and "999999" in missing.json()["detail"]
    zh = themed.patch(f"/api/v1/themes/{target}", json={"task_id": 999_999}, headers={"Accept-Language": "zh"})
    assert "任务" in zh.json()["detail"]
    assert themed.get("/api/v1/themes/424242").status_code == 404


def test_committee_report_in_three_formats(themed: TestClient, db: Database) -> None:
    pdf = _theme_of(db)[_ids(db)["f01"]]
    themed.patch(f"/api/v1/themes/{pdf}", json={"on_agenda": True, "agenda_note": "<b>请委员会讨论</b>"})
    month = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m")
    md = themed.get("/api/v1/themes/report", params={"month": month})
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert f"用户委员会月报 — {month}" in md.text and "## On the agenda 议程" in md.text
    assert "SLA compliance" in md.text and "Duplicates deflected" in md.text
    html = themed.get("/api/v1/themes/report", params={"month": month, "format": "html"}).text
    assert html.count("<svg") >= 4 and "&lt;b&gt;请委员会讨论&lt;/b&gt;" in html and "<b>请委员会讨论</b>" not in html
    csv = themed.get("/api/v1/themes/report", params={"month": month, "format": "csv"})
    assert csv.headers["content-disposition"].startswith("attachment")
    lines = csv.text.strip().splitlines()
    assert lines[0].startswith("id,created_at,theme_id,theme") and len(lines) > 10
    bad = themed.get("/api/v1/themes/report", params={"month": "2026-13"})
    assert bad.status_code == 422 and bad.headers["content-type"] == PROBLEM and "YYYY-MM" in bad.json()["detail"]


def test_the_map_places_every_item(themed: TestClient) -> None:
    data = themed.get("/api/v1/themes/map").json()
    assert len(data["points"]) == 40 and not data["sampled"]
    assert len(data["centres"]) == len(themed.get("/api/v1/themes").json()["themes"])


class _Broken:
    """A vector source whose backend fails mid-discovery (failure injection at the protocol)."""

    def vectors(self, ids: Any, texts: Any) -> Vectors:
        raise RuntimeError("vector store went away")


def test_a_failed_discovery_leaves_the_previous_themes_intact(themed: TestClient, db: Database) -> None:
    before_themes = themed.get("/api/v1/themes").json()["themes"]
    before = _theme_of(db)
    discovery = ThemeDiscovery(ThemeStore(db), _Broken(), ClusteringParams())
    with pytest.raises(RuntimeError):
        discovery.discover(Actor(name="test"))
    assert _theme_of(db) == before
    assert [t["id"] for t in themed.get("/api/v1/themes").json()["themes"]] == [t["id"] for t in before_themes]
    last = themed.get("/api/v1/themes").json()["last_discovery"]
    assert last["status"] == "failed" and "vector store went away" in last["error"]
