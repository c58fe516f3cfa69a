"""The one place that turns Settings into the adapters and services a running Qiao uses."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.db import Database
from knowledge.feedback import FeedbackStore
from knowledge.workspace import SqlTaskStore, TaskStore
from settings import Settings


@dataclass
class Services:
    """Everything a request handler may call, built once per app."""

    settings: Settings
    db: Database
    tasks: TaskStore
    feedback: FeedbackStore

    def close(self) -> None:
        self.db.dispose()


def build_services(settings: Settings) -> Services:
    """Wire the services for `settings`. Cheap: nothing heavy loads until first use."""
    db = Database(settings)
    return Services(
        settings=settings,
        db=db,
        tasks=SqlTaskStore(db, settings.tz, settings.max_page_size),
        feedback=FeedbackStore(
            db,
            simple_hours=settings.sla_simple_hours,
            complex_hours=settings.sla_complex_hours,
            max_page_size=settings.max_page_size,
        ),
    )
