"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import ServicesDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    checks: dict[str, str] = {}


@router.get("/healthz", response_model=Health, summary="The process is up")
def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Health,
    summary="Ready to serve: the database answers, its schema is current, and the models are loaded",
    responses={503: {"description": "Not ready; the problem says which check failed."}},
)
def readyz(services: ServicesDep) -> Health:
    services.db.check_ready()
    services.understanding.check_ready()
    return Health(status="ready", checks={"database": "ok", "models": "ok"})
