"""Request-scoped dependencies, as `Annotated` aliases the routes declare."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from api.wiring import Services
from knowledge.feedback import FeedbackStore
from knowledge.schemas import Actor
from knowledge.workspace import TaskStore


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_tasks(services: ServicesDep) -> TaskStore:
    return services.tasks


def get_feedback(services: ServicesDep) -> FeedbackStore:
    return services.feedback


def get_actor(
    x_qiao_actor: Annotated[
        str | None, Header(max_length=200, description="Who is acting (recorded in the audit log).")
    ] = None,
) -> Actor:
    # Until API keys exist the caller names itself; the audit log records it as given.
    return Actor(name=(x_qiao_actor or "api").strip() or "api")


TasksDep = Annotated[TaskStore, Depends(get_tasks)]
FeedbackDep = Annotated[FeedbackStore, Depends(get_feedback)]
ActorDep = Annotated[Actor, Depends(get_actor)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Repeat a create safely: the same key returns the first result instead of a second copy.",
    ),
]
