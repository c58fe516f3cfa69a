"""A fully loaded workspace for conversations: demo data and the ingested help center, on a fixed clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.wiring import Services
from knowledge.demo import load_demo
from settings import Settings
from tests.conftest import authorised

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # a Tuesday


@pytest.fixture(scope="package")
def workspace(tmp_path_factory: pytest.TempPathFactory, model_cache: Path) -> Iterator[TestClient]:
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path_factory.mktemp("chat"),
        model_cache_dir=model_cache,
        warm_start=False,
        rate_limit_key_per_minute=0,
        rate_limit_ip_per_minute=0,
        _env_file=None,
    )
    app = create_app(settings)
    with TestClient(app) as client:
        authorised(client)
        services: Services = app.state.services
        load_demo(services.db, now=NOW, tz=settings.tz, simple_hours=24, complex_hours=72)
        services.ingestor.ingest_paths([settings.docs_dir])
        services.assistant.clock = lambda: NOW
        yield client


@pytest.fixture
def services(workspace: TestClient) -> Services:
    found: Services = workspace.app.state.services  # type: ignore[attr-defined]
    return found


class Chat:
    """One conversation, as a user would have it."""

    def __init__(self, client: TestClient, user: str | None = "zhaomin") -> None:
        self.client = client
        self.user = user
        self.session_id: str | None = None
        self.last: dict[str, Any] = {}

    def say(self, text: str, **extra: Any) -> dict[str, Any]:
        body = {"text": text, "session_id": self.session_id, "user": self.user, **extra}
        r = self.client.post("/api/v1/chat", json=body)
        assert r.status_code == 200, r.text
        self.last = r.json()
        self.session_id = self.last["session_id"]
        return self.last

    def press(self, kind: str) -> dict[str, Any]:
        action = next(a for a in self.last["actions"] if a["kind"] == kind)
        return self.press_id(action["id"])

    def press_id(self, action_id: str) -> dict[str, Any]:
        r = self.client.post(f"/api/v1/chat/{self.session_id}/actions", json={"action_id": action_id})
        assert r.status_code == 200, r.text
        reply: dict[str, Any] = r.json()
        self.last = reply if reply["actions"] else {**reply, "actions": self.last["actions"]}
        return reply

    def card(self, kind: str) -> dict[str, Any]:
        return next(c for c in self.last["cards"] if c["type"] == kind)


@pytest.fixture
def chat(workspace: TestClient) -> Chat:
    return Chat(workspace)
