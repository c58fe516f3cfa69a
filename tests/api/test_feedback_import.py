"""Bulk feedback import (API and CLI): bad rows are reported, good rows kept, re-import adds nothing, and the new
items join the existing themes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from api.cli import app as cli
from knowledge import models as m
from knowledge.db import Database
from settings import Settings

SURVEY = """text,reporter,department,created_at,lang,kind
甘特图导出PDF，中文字全是方块,王伟,研发部,2026-11-02,zh,缺陷
"Gantt PDF export turns Chinese text into boxes",Tom,Infra,2026-11-03T09:30:00+08:00,en,bug
,nobody,,2026-11-04,,
审批流程太复杂了,赵敏,运营部,next week,zh,complaint
Please let us log in with WeCom,Lina,Design,,en,feature
Search is slow,Emily,Product,2026-11-05,fr,complaint
"""


def _count(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count(m.Feedback.id))) or 0


def test_bad_rows_are_reported_and_the_rest_kept(themed_demo: TestClient, db: Database) -> None:
    before = _count(db)
    r = themed_demo.post(
        "/api/v1/feedback/bulk", content=SURVEY.encode(), headers={"Content-Type": "text/csv", "X-Qiao-Actor": "ops"}
    )
    assert r.status_code == 200, r.text
    report = r.json()
    assert (report["rows"], report["created"], report["unchanged"], report["failed"]) == (6, 3, 0, 3)
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(3, "text"), (4, "created_at"), (6, "lang")]
    assert all(e["detail"] and e["detail_zh"] for e in report["errors"])
    assert _count(db) == before + 3
    with db.read() as s:
        rows = {f.text: f for f in s.scalars(select(m.Feedback).where(m.Feedback.id.in_(report["ids"])))}
    zh = rows["甘特图导出PDF，中文字全是方块"]
    assert (zh.kind, zh.language, zh.source, zh.reporter) == ("bug", "zh", "import", "王伟")
    assert zh.created_at.isoformat().startswith("2026-11-01T16:00")  # midnight in Asia/Shanghai
    # Chinese and English reports of the same problem join the same existing theme.
    en = rows["Gantt PDF export turns Chinese text into boxes"]
    assert report["themed"] >= 2 and zh.theme_id is not None and zh.theme_id == en.theme_id

    again = themed_demo.post("/api/v1/feedback/bulk", content=SURVEY.encode(), headers={"Content-Type": "text/csv"})
    assert (again.json()["created"], again.json()["unchanged"], again.json()["failed"]) == (0, 3, 3)
    assert _count(db) == before + 3


def test_json_lines_and_unknown_types(themed_demo: TestClient, db: Database) -> None:
    lines = [
        json.dumps({"text": "手机 App 一打开图片附件就闪退", "lang": "zh", "survey_id": 17}, ensure_ascii=False),
        "{not json",
        json.dumps(["a list"]),
    ]
    r = themed_demo.post(
        "/api/v1/feedback/bulk", content="\n".join(lines).encode(), headers={"Content-Type": "application/x-ndjson"}
    )
    body = r.json()
    assert (body["created"], body["failed"], body["ignored_columns"]) == (1, 2, ["survey_id"])
    assert [e["row"] for e in body["errors"]] == [2, 3]
    refused = themed_demo.post("/api/v1/feedback/bulk", content=b"<xml/>", headers={"Content-Type": "application/xml"})
    assert refused.status_code == 415
    no_text = themed_demo.post("/api/v1/feedback/bulk", content=b"body\nx\n", headers={"Content-Type": "text/csv"})
    assert no_text.status_code == 422 and "text" in no_text.json()["detail"]


@pytest.fixture
def themed_demo(demo: TestClient) -> TestClient:
    assert demo.post("/api/v1/themes/discover").status_code == 200
    return demo


def test_cli_import_discover_list_and_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QIAO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("QIAO_WARM_START", "false")
    runner = CliRunner()
    assert runner.invoke(cli, ["demo", "load"]).exit_code == 0
    discovered = runner.invoke(cli, ["themes", "discover"])
    assert discovered.exit_code == 0, discovered.output
    assert "themes" in discovered.output and "个主题" in discovered.output
    survey = tmp_path / "survey.csv"
    survey.write_text(SURVEY, encoding="utf-8")
    imported = runner.invoke(cli, ["feedback", "import", str(survey)])
    assert imported.exit_code == 1  # some rows failed: the exit code says so, the good rows are in
    assert "3 imported" in imported.output and "row 4" in imported.output and "第 4 行" in imported.output
    listed = runner.invoke(cli, ["themes", "list", "--json"])
    assert listed.exit_code == 0 and json.loads(listed.output)["total_items"] == 43
    written = runner.invoke(cli, ["themes", "report", "--month", "2026-11", "--out", str(tmp_path / "out")])
    assert written.exit_code == 0, written.output
    assert {p.suffix for p in (tmp_path / "out").iterdir()} == {".md", ".html", ".csv"}
    bad = runner.invoke(cli, ["themes", "report", "--month", "Nov"])
    assert bad.exit_code == 2 and "YYYY-MM" in bad.output
    db = Database(Settings(data_dir=tmp_path / "data", _env_file=None))
    assert _count(db) == 43
