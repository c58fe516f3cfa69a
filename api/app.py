"""`create_app(settings)`: the whole HTTP service, with no import-time state."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import problems
from api.auth import Gate
from api.cors import SiteKeyCors
from api.limits import BodyGuard
from api.request_log import RequestLog
from api.routes import (
    chat,
    feedback,
    feedback_import,
    health,
    keys,
    knowledge,
    ops,
    pages,
    themes,
    understanding,
    voice,
    workspace,
)
from api.timeouts import Deadline
from api.wiring import build_services
from settings import Settings

DESCRIPTION = """
Qiao (桥) — a bilingual assistant for teams in project-management software and the ops staff who run it.
桥：面向项目管理软件用户与运营团队的中英双语助手。

Every error is `application/problem+json` (RFC 9457) in the language of `Accept-Language` (zh / en).
所有错误均以 `application/problem+json` 返回，语言随 `Accept-Language`。
"""


BATCH_PATHS = ("/api/v1/knowledge/ingest", "/api/v1/feedback/bulk", "/api/v1/themes/discover")


def deadline_for(path: str, settings: Settings) -> float | None:
    """Audio and batch work get longer than the default request deadline."""
    if voice.is_voice(path):
        return settings.voice_timeout_s
    return settings.batch_timeout_s if path.startswith(BATCH_PATHS) else None


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for `settings` (default: from the environment). Migrations run at startup."""
    settings = settings or Settings()
    services = build_services(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        services.db.migrate()
        if settings.warm_start:
            services.understanding.warm_in_background()
        try:
            yield
        finally:
            services.close()

    app = FastAPI(
        title="Qiao 桥",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        responses=problems.RESPONSES,  # every error is problem+json: the schema says so for every operation
    )
    app.state.services = services
    app.state.default_language = settings.default_language
    app.state.gate = Gate(settings, services.keys)
    problems.install(app)
    app.add_middleware(
        BodyGuard,
        max_bytes=settings.max_body_bytes,
        limit_for=lambda path: voice.body_limit(path, settings.voice_max_bytes),
        default_language=settings.default_language,
    )
    app.add_middleware(
        Deadline,
        default_s=settings.request_timeout_s,
        limit_for=lambda path: deadline_for(path, settings),
        default_language=settings.default_language,
    )
    app.add_middleware(SiteKeyCors, origins=services.keys.site_origins)
    # Last added is outermost: the access log and X-Request-ID cover every response, 413/415/CORS included.
    app.add_middleware(RequestLog)
    app.include_router(health.router)
    app.include_router(workspace.router)
    app.include_router(feedback.router)
    app.include_router(knowledge.router)
    app.include_router(understanding.router)
    app.include_router(chat.router)
    app.include_router(voice.router)
    app.include_router(pages.router)
    app.include_router(feedback_import.router)
    app.include_router(themes.router)
    app.include_router(ops.router)
    app.include_router(keys.router)
    return app
