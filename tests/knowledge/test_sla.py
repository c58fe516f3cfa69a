"""The support SLA rule: simple within 24 h, complex within 72 h, critical escalated."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge.enums import FeedbackKind, Severity
from knowledge.sla import sla_due

T0 = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("kind", "severity", "hours"),
    [
        (FeedbackKind.bug, Severity.medium, 72),
        (FeedbackKind.bug, Severity.high, 72),
        (FeedbackKind.bug, Severity.critical, 24),
        (FeedbackKind.feature_request, Severity.low, 72),
        (FeedbackKind.question, Severity.medium, 24),
        (FeedbackKind.complaint, Severity.high, 24),
        (FeedbackKind.praise, Severity.low, 24),
    ],
)
def test_sla_due(kind: FeedbackKind, severity: Severity, hours: int) -> None:
    assert sla_due(T0, kind, severity, 24, 72) == T0 + dt.timedelta(hours=hours)
