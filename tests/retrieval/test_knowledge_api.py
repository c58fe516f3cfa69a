"""/api/v1/knowledge/*: ingest over HTTP (inline documents, allowed folders), gaps, and feedback memory."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.wiring import build_services
from settings import Settings
from tests.conftest import authorised

pytestmark = pytest.mark.slow
WORKSPACE = json.loads((Path(__file__).parents[2] / "knowledge/demo/workspace.json").read_text(encoding="utf-8"))
FEEDBACK = {f["key"]: f for f in WORKSPACE["feedback"]}


def test_similar_feedback_pairs_chinese_and_english_duplicates(help_settings: Settings) -> None:
    services = build_services(help_settings)
    try:
        f01, f03 = FEEDBACK["f01"], FEEDBACK["f03"]
        found = [x for x in services.feedback_memory.similar(f03["text"]) if x.text != f03["text"]]
        assert found[0].text == f01["text"] and found[0].language == "zh"
        assert found[0].resolution == f01["resolution"] and found[0].status == "resolved"
        assert found[0].score >= services.settings.feedback_similarity
        assert [x.score for x in found] == sorted((x.score for x in found), reverse=True)

        reverse = services.feedback_memory.similar(f01["text"], limit=3)
        assert f03["text"] in [x.text for x in reverse]
        assert next(x for x in reverse if x.text == f03["text"]).resolution is None  # f03 is still open
    finally:
        services.close()


def test_new_feedback_is_embedded_when_stored(help_client: TestClient) -> None:
    created = help_client.post("/api/v1/feedback", json={"text": "看板上的卡片拖不动了，一拖就弹回原位"}).json()
    r = help_client.get(
        "/api/v1/knowledge/similar-feedback", params={"text": "Cards on the board snap back when I drag them"}
    )
    assert r.status_code == 200
    assert r.json()[0]["id"] == created["id"]


def test_ingest_posted_documents_then_ask_about_them(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, docs_dir=tmp_path / "docs", warm_start=False, _env_file=None)  # type: ignore[call-arg]
    page = "---\ntitle: Parking\nlang: en\n---\n\n# Parking\n\n## Visitors\n\nVisitor parking is on level B2.\n"
    with TestClient(create_app(settings)) as client:
        authorised(client)
        body = {
            "documents": [
                {"source": "https://intranet.example/parking.md", "content": page},
                {
                    "source": "notes.txt",
                    "content": base64.b64encode("访客停车在B2层。".encode()).decode(),
                    "encoding": "base64",
                },
            ]
        }
        first = client.post("/api/v1/knowledge/ingest", json=body).json()
        assert (first["added"], first["skipped"]) == (2, [])
        assert client.post("/api/v1/knowledge/ingest", json=body).json()["unchanged"] == 2

        answer = client.post("/api/v1/ask", json={"question": "Where can visitors park?"}).json()
        assert answer["grounded"] and "B2" in answer["answer"]
        top = answer["citations"][0]
        assert (top["source"], top["title"], top["section"]) == (
            "https://intranet.example/parking.md",
            "Parking",
            "Visitors",
        )


def test_ingest_refuses_paths_outside_the_allowed_folders(help_client: TestClient, tmp_path: Path) -> None:
    r = help_client.post("/api/v1/knowledge/ingest", json={"paths": [str(tmp_path)]}, headers={"Accept-Language": "zh"})
    assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")
    assert "QIAO_INGEST_DIRS" in r.json()["detail"]
    bad = help_client.post(
        "/api/v1/knowledge/ingest", json={"documents": [{"source": "a.pdf", "content": "%%%", "encoding": "base64"}]}
    )
    assert bad.status_code == 422 and "base64" in bad.json()["detail"]


def test_a_nul_in_a_path_or_help_source_is_a_problem_not_a_crash(help_client: TestClient) -> None:
    # Path.resolve() raises ValueError on a NUL: both were 500s.
    r = help_client.post("/api/v1/knowledge/ingest", json={"paths": ["docs/\x00"]})
    assert r.status_code == 422 and "NUL" in r.json()["detail"]
    assert help_client.get("/help", params={"source": "\x00"}).status_code == 404


def test_reingesting_the_bundled_docs_over_http_changes_nothing(help_client: TestClient) -> None:
    report = help_client.post("/api/v1/knowledge/ingest", json={}).json()
    assert (report["added"], report["updated"], report["removed"], report["unchanged"]) == (0, 0, 0, 70)
