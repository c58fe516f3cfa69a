"""Feedback themes for the user committee: discovery (clustering Chinese and English feedback together), labels,
stable ids, the classifier that themes new items as they arrive, ops' review, the monthly report and imports.
See docs/themes.md. Importing this package loads no model."""

from knowledge.themes.classify import ThemeClassifier
from knowledge.themes.clustering import Clustering, ClusteringParams, cluster, nearest
from knowledge.themes.discovery import ThemeDiscovery, find_themes
from knowledge.themes.importer import FeedbackImporter, ImportReport, RowError, detect_format
from knowledge.themes.labels import ThemeLabel, label_themes
from knowledge.themes.matching import Previous, match
from knowledge.themes.projection import ThemeMapper
from knowledge.themes.report import CommitteeReport, ReportBuilder, parse_month
from knowledge.themes.report_html import html as report_html
from knowledge.themes.report_render import items_csv as report_csv
from knowledge.themes.report_render import markdown as report_markdown
from knowledge.themes.review import ThemeReview
from knowledge.themes.schemas import (
    DiscoverRequest,
    DiscoveryReport,
    MergeRequest,
    MoveRequest,
    Theme,
    ThemeItem,
    ThemeList,
    ThemeMap,
    ThemePatch,
)
from knowledge.themes.service import ThemeService
from knowledge.themes.stats import ThemeStats
from knowledge.themes.store import ThemeStore
from knowledge.themes.vectors import FeedbackVectors, VectorSource

__all__ = [
    "Clustering",
    "ClusteringParams",
    "CommitteeReport",
    "DiscoverRequest",
    "DiscoveryReport",
    "FeedbackImporter",
    "FeedbackVectors",
    "ImportReport",
    "MergeRequest",
    "MoveRequest",
    "Previous",
    "ReportBuilder",
    "RowError",
    "Theme",
    "ThemeClassifier",
    "ThemeDiscovery",
    "ThemeItem",
    "ThemeLabel",
    "ThemeList",
    "ThemeMap",
    "ThemeMapper",
    "ThemePatch",
    "ThemeReview",
    "ThemeService",
    "ThemeStats",
    "ThemeStore",
    "VectorSource",
    "cluster",
    "detect_format",
    "find_themes",
    "label_themes",
    "match",
    "nearest",
    "parse_month",
    "report_csv",
    "report_html",
    "report_markdown",
]
