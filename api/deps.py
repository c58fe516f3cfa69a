"""Request-scoped dependencies, as `Annotated` aliases the routes declare."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from api.wiring import Services
from knowledge.feedback import FeedbackStore
from knowledge.workspace import TaskStore


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_tasks(services: ServicesDep) -> TaskStore:
    return services.tasks


def get_feedback(services: ServicesDep) -> FeedbackStore:
    return services.feedback


TasksDep = Annotated[TaskStore, Depends(get_tasks)]
FeedbackDep = Annotated[FeedbackStore, Depends(get_feedback)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Repeat a create safely: the same key returns the first result instead of a second copy.",
    ),
]
