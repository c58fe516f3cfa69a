"""`create_app(settings)`: the whole HTTP service, with no import-time state."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import problems
from api.limits import BodyGuard
from api.routes import (
    chat,
    feedback,
    feedback_import,
    health,
    knowledge,
    ops,
    pages,
    themes,
    understanding,
    voice,
    workspace,
)
from api.wiring import build_services
from settings import Settings

DESCRIPTION = """
Qiao (桥) — a bilingual assistant for teams in project-management software and the ops staff who run it.
桥：面向项目管理软件用户与运营团队的中英双语助手。

Every error is `application/problem+json` (RFC 9457) in the language of `Accept-Language` (zh / en).
所有错误均以 `application/problem+json` 返回，语言随 `Accept-Language`。
"""


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

    app = FastAPI(title="Qiao 桥", version="0.1.0", description=DESCRIPTION, lifespan=lifespan)
    app.state.services = services
    app.state.default_language = settings.default_language
    problems.install(app)
    app.add_middleware(
        BodyGuard,
        max_bytes=settings.max_body_bytes,
        limit_for=lambda path: voice.body_limit(path, settings.voice_max_bytes),
        default_language=settings.default_language,
    )
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
    return app
