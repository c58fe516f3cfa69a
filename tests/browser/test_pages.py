"""The files the browser loads, over plain HTTP: the demo page, the widget and its stylesheet, and the help
documents citations link to (only ingested files inside the allowed folders, as text)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.routes.pages import STATIC
from settings import Settings

PROBLEM = "application/problem+json"


def test_the_demo_page_embeds_the_widget_with_one_tag(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    tag = re.search(r"<script src=\"/widget.js\"[^>]*>", r.text)
    assert tag and 'data-qiao-user="zhaomin"' in tag[0] and "async" in tag[0]


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
