"""The bundled help center, ingested once per test session into a temporary data dir with the real pipeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.wiring import build_services
from knowledge.demo import load_demo
from settings import Settings
from tests.conftest import authorised


@pytest.fixture(scope="session")
def help_center_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir whose database and Chroma index hold the bundled docs (and the demo workspace)."""
    data_dir = tmp_path_factory.mktemp("help-center")
    settings = Settings(data_dir=data_dir, warm_start=False, _env_file=None)  # type: ignore[call-arg]
    services = build_services(settings)
    try:
        services.db.migrate()
        report = services.ingestor.ingest_paths([settings.docs_dir])
        assert report.added == 70 and not report.skipped
        load_demo(
            services.db,
            now=dt.datetime.now(dt.UTC),
            tz=settings.tz,
            simple_hours=settings.sla_simple_hours,
            complex_hours=settings.sla_complex_hours,
        )
    finally:
        services.close()
    return data_dir


@pytest.fixture
def help_settings(help_center_dir: Path) -> Settings:
    return Settings(data_dir=help_center_dir, default_language="en", warm_start=False, _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def help_client(help_settings: Settings) -> Iterator[TestClient]:
    """The app over the ingested help center."""
    with TestClient(create_app(help_settings)) as client:
        yield authorised(client)
