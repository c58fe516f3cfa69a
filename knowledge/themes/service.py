"""The themes service the routes, the CLI and the ops console call: one method per thing ops can do."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.schemas import Actor, Feedback, Page
from knowledge.themes.classify import ThemeClassifier
from knowledge.themes.discovery import ThemeDiscovery
from knowledge.themes.importer import FeedbackImporter, Format, ImportReport
from knowledge.themes.projection import ThemeMapper
from knowledge.themes.report import CommitteeReport, ReportBuilder
from knowledge.themes.review import ThemeReview
from knowledge.themes.schemas import DiscoveryReport, Theme, ThemeItem, ThemeList, ThemeMap, ThemePatch
from knowledge.themes.stats import ThemeStats


@dataclass
class ThemeService:
    discovery: ThemeDiscovery
    classifier: ThemeClassifier
    review: ThemeReview
    stats: ThemeStats
    reports: ReportBuilder
    mapper: ThemeMapper
    importer: FeedbackImporter

    def discover(self, actor: Actor, seed: int | None = None) -> DiscoveryReport:
        """Cluster all feedback into themes now (ids and ops' names survive). Conflict while one runs."""
        return self.discovery.discover(actor, seed)

    def overview(self, *, weeks: int = 8, include_inactive: bool = False) -> ThemeList:
        return self.stats.overview(weeks=weeks, include_inactive=include_inactive)

    def get(self, theme_id: int) -> Theme:
        return self.stats.get(theme_id)

    def items(self, theme_id: int | None, *, limit: int, offset: int, cursor: str | None) -> Page[ThemeItem]:
        return self.stats.items(theme_id, limit=limit, offset=offset, cursor=cursor)

    def update(self, theme_id: int, patch: ThemePatch, actor: Actor) -> Theme:
        return self.get(self.review.update(theme_id, patch, actor))

    def merge(self, theme_id: int, into: int, actor: Actor) -> Theme:
        return self.get(self.review.merge(theme_id, into, actor))

    def split(self, theme_id: int, actor: Actor) -> list[Theme]:
        ids = self.review.split(theme_id, actor)
        by_id = {t.id: t for t in self.stats.overview().themes}
        return [by_id[i] for i in ids if i in by_id]

    def move(self, feedback_id: int, theme_id: int, actor: Actor) -> Theme:
        return self.get(self.review.move(feedback_id, theme_id, actor))

    def report(self, month: str) -> CommitteeReport:
        return self.reports.build(month)

    def map(self, limit: int = 2000) -> ThemeMap:
        return self.mapper.map(limit)

    def import_feedback(self, data: bytes, fmt: Format, actor: Actor) -> ImportReport:
        return self.importer.import_bytes(data, fmt, actor)

    def on_feedback_created(self, item: Feedback) -> None:
        """The FeedbackStore hook: theme the new item now (failures are logged, never raised)."""
        self.classifier.assign_quietly(item)
