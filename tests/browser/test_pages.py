"""The files the browser loads, over plain HTTP: the demo page, the widget and its stylesheet, and the help
documents citations link to (only ingested files inside the allowed folders, as text)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.routes.pages import STATIC
from api.user_token import verify_user_token
from knowledge.demo.access import ensure_demo_keys
from settings import Settings

PROBLEM = "application/problem+json"


def test_the_demo_page_embeds_the_widget_with_one_tag(demo: TestClient, settings: Settings) -> None:
    client = demo
    keys, _ = ensure_demo_keys(client.app.state.services.keys, settings.data_dir, ["http://testserver"])  # type: ignore[attr-defined]
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["cache-control"] == "no-store"  # the user token in it is short-lived
    tag = re.search(r"<script src=\"/widget.js\"[^>]*>", r.text)
    assert tag and f'data-qiao-key="{keys.site}"' in tag[0] and "async" in tag[0]
    token = re.search(r'data-qiao-user-token="([^"]+)"', tag[0])
    assert token is not None
    secret = client.app.state.services.keys.signing_secret(keys.site_id)  # type: ignore[attr-defined]
    assert verify_user_token(secret, token[1], settings.user_token_max_age_s).sub == settings.demo_user
    # The widget's credentials work for chat from the page's origin, and for nothing else.
    visitor = {"Authorization": f"Bearer {keys.site}", "X-Qiao-User-Token": token[1], "Origin": "http://testserver"}
    assert client.post("/api/v1/chat", json={"text": "hi"}, headers=visitor).status_code == 200
    assert client.get("/api/v1/tasks", headers=visitor).status_code == 403


def test_without_the_demo_the_page_carries_no_credentials(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and 'data-qiao-key=""' in r.text and "{{" not in r.text
    assert client.get("/demo/board").status_code == 404


@pytest.mark.parametrize(("path", "media_type"), [("/widget.js", "text/javascript"), ("/widget.css", "text/css")])
def test_the_widget_files_are_served_as_they_are(client: TestClient, path: str, media_type: str) -> None:
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith(media_type)
    assert r.headers["cache-control"] == "no-cache" and r.headers["x-content-type-options"] == "nosniff"
    assert r.text == (STATIC / path.lstrip("/")).read_text(encoding="utf-8")


def test_the_widget_never_parses_strings_as_html() -> None:
    source = (STATIC / "widget.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in source, sink


@pytest.mark.slow
def test_help_serves_ingested_documents_as_text_and_nothing_else(client: TestClient, settings: Settings) -> None:
    document = next(settings.docs_dir.glob("en/*.md"))
    source = str(document)
    assert client.get("/help", params={"source": source}).status_code == 404  # not ingested yet
    assert client.post("/api/v1/knowledge/ingest", json={"paths": [source]}).status_code == 200

    r = client.get("/help", params={"source": source})
    assert r.status_code == 200 and r.headers["content-type"] == "text/plain; charset=utf-8"
    assert r.text == document.read_text(encoding="utf-8")

    outside = Path("/etc/hostname").resolve()
    for source in (
        str(outside),
        f"{settings.docs_dir}/../../settings.py",
        "javascript:alert(1)",
        "https://example.com",
    ):
        r = client.get("/help", params={"source": source}, headers={"Accept-Language": "zh"})
        assert r.status_code == 404 and r.headers["content-type"] == PROBLEM, source
        assert "QIAO_DOCS_DIR" in r.json()["detail"]
