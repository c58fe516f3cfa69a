"""Shared fixtures: real SQLite files in tmp_path, the real app, and a real server on loopback."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from knowledge.db import Database
from knowledge.demo import load_demo
from knowledge.enums import Role
from knowledge.keys import KeyStore, NewApiKey
from knowledge.schemas import Actor
from settings import Settings


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One model cache for the whole run: the classifiers train once (~10 s), then load in milliseconds."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture
def settings(tmp_path: Path, model_cache: Path) -> Settings:
    # Rate limits off: a test makes more requests a minute than a person; tests/api/test_access.py turns them on.
    return Settings(  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        default_language="en",
        model_cache_dir=model_cache,
        warm_start=False,
        rate_limit_key_per_minute=0,
        rate_limit_ip_per_minute=0,
        _env_file=None,
    )


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


def mint_key(
    app: FastAPI, role: str, *, member: str | None = None, origins: tuple[str, ...] = (), name: str = ""
) -> NewApiKey:
    """A new API key on `app`'s database (migrated: call it inside the app's lifespan)."""
    keys: KeyStore = app.state.services.keys
    return keys.create(Role(role), Actor("tests"), name=name or f"test {role}", member=member, origins=origins)


def authorised(client: TestClient, role: str = "admin", *, member: str | None = None) -> TestClient:
    """`client`, sending a new `role` key from now on."""
    client.headers["Authorization"] = f"Bearer {mint_key(client.app, role, member=member).key}"  # type: ignore[arg-type]
    return client


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """The app in process, calling as an admin (tests of access control change or drop the key)."""
    with TestClient(app) as c:
        yield authorised(c)


@pytest.fixture
def db(client: TestClient) -> Database:
    """The app's own database (migrated by the app's startup)."""
    database: Database = client.app.state.services.db  # type: ignore[attr-defined]
    return database


@pytest.fixture
def demo(client: TestClient, settings: Settings, db: Database) -> TestClient:
    """The client, with the demo workspace loaded."""
    load_demo(
        db,
        now=dt.datetime.now(dt.UTC),
        tz=settings.tz,
        simple_hours=settings.sla_simple_hours,
        complex_hours=settings.sla_complex_hours,
    )
    return client


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def live_server(app: FastAPI) -> Iterator[str]:
    """The app served by a real uvicorn on a loopback port; yields its base URL."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
