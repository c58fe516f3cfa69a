"""Every operation of the OpenAPI schema, fuzzed by schemathesis against the real app: no 5xx, and every response
(status, content type, headers, body) is one the schema documents.

The app is the real one over a temporary data dir, with the demo workspace and two help documents, so routes
have rows to find; examples are bounded and derandomized, so CI runs the same cases every time.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import allow_header_conformance, negative_data_rejection, positive_data_acceptance
from starlette.types import ASGIApp, Receive, Scope, Send

from api.app import create_app
from knowledge.demo import load_demo
from settings import BUNDLED_DOCS, Settings
from tests.conftest import mint_key

pytestmark = pytest.mark.slow
# The schema is read at collection (the pytest plugin makes one test per operation from it) from an app that
# touches no disk (its data dir cannot even be made: /dev/null is no folder); the tests then call the module's real
# app, and check it serves the same schema.
schema = schemathesis.openapi.from_dict(
    create_app(
        Settings(data_dir=Path(os.devnull) / "qiao", database_url="sqlite://", warm_start=False, _env_file=None)
    ).openapi()
)
# Per operation; the coverage phase adds its boundary cases on top (deterministic, bounded by the schema).
MAX_EXAMPLES = 25
HELP_DOCS = ("en/getting-started.md", "zh/getting-started.md")
# Every response check runs (no 5xx; status, content type, headers and body as documented; 405 with the right
# Allow). Two request-side heuristics do not: Qiao refuses schema-valid input the schema cannot express (an
# unknown assignee, a cursor it did not issue, audio that is no audio) with a 422 that says what to fix; and
# pydantic's lax mode accepts a few values the schema's types do not (`true` for 1, 0 for 1970-01-01).
LENIENT_CHECKS = [positive_data_acceptance, negative_data_rejection]
# "stream" is also a session id, so GET /api/v1/chat/stream reads that conversation and a 405 there rightly allows
# GET, POST; schemathesis reads the concrete path as hiding the template and expects POST alone.
SHADOWING_TEMPLATE = {"POST /api/v1/chat/stream"}
# The bulk import takes JSON lines as text; schemathesis sends it as it sends text/plain.
schemathesis.serializer.alias("application/x-ndjson", "text/plain")


class LifespanOwnedElsewhere:
    """The app without its lifespan: the module's TestClient runs startup (migrations) and shutdown once, while
    schemathesis would otherwise start and stop its own around each test."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return  # returning before reading a message means "no lifespan here" to the caller
        await self.app(scope, receive, send)


@pytest.fixture(scope="module")
def fuzz_client(tmp_path_factory: pytest.TempPathFactory, model_cache: Path) -> Iterator[TestClient]:
    """The started app with the demo workspace and two help documents (one per language)."""
    docs = tmp_path_factory.mktemp("fuzz-docs")
    for name in HELP_DOCS:
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(BUNDLED_DOCS / name, docs / name)
    settings_ = Settings(
        data_dir=tmp_path_factory.mktemp("fuzz-data"),
        default_language="en",
        model_cache_dir=model_cache,
        warm_start=False,
        docs_dir=docs,
        # Hundreds of calls a minute from one key: the limiter would answer most of them 429 (tested elsewhere).
        rate_limit_key_per_minute=0,
        rate_limit_ip_per_minute=0,
        _env_file=None,
    )
    app = create_app(settings_)
    with TestClient(app) as client:
        services = app.state.services
        load_demo(
            services.db,
            now=dt.datetime.now(dt.UTC),
            tz=settings_.tz,
            simple_hours=settings_.sla_simple_hours,
            complex_hours=settings_.sla_complex_hours,
        )
        services.ingestor.ingest_paths([docs])
        services.understanding.warm()  # train or load the classifier now, not inside one fuzzed request's timeout
        yield client


@pytest.fixture(scope="module")
def fuzz_app(fuzz_client: TestClient) -> ASGIApp:
    return LifespanOwnedElsewhere(fuzz_client.app)


@pytest.fixture(scope="module")
def auth_headers(fuzz_client: TestClient) -> dict[str, str]:
    """An admin key, so every route answers (role checks have their own tests)."""
    return {"Authorization": f"Bearer {mint_key(fuzz_client.app, 'admin').key}"}  # type: ignore[arg-type]


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms(
    case: schemathesis.Case[Any], fuzz_app: ASGIApp, auth_headers: dict[str, str]
) -> None:
    excluded = LENIENT_CHECKS + ([allow_header_conformance] if case.operation.label in SHADOWING_TEMPLATE else [])
    case.call_and_validate(app=fuzz_app, headers=auth_headers, excluded_checks=excluded)


def test_the_fuzzed_schema_is_the_served_one(fuzz_client: TestClient) -> None:
    assert fuzz_client.get("/openapi.json").json() == schema.raw_schema
