"""The support SLA from the operations guidelines: simple issues are answered within 24 hours, complex ones
within 72 hours (both configurable).

Complex means it needs engineering or product work: a bug or a feature request. Questions, complaints and
praise are simple: the ops team answers them directly. A critical bug is escalated and gets the simple target.
"""

from __future__ import annotations

import datetime as dt

from knowledge.enums import FeedbackKind, Severity

_COMPLEX = frozenset({FeedbackKind.bug, FeedbackKind.feature_request})


def is_complex(kind: FeedbackKind, severity: Severity) -> bool:
    """Whether the item falls under the complex-issue SLA."""
    return kind in _COMPLEX and severity is not Severity.critical


def sla_due(
    created_at: dt.datetime, kind: FeedbackKind, severity: Severity, simple_hours: int, complex_hours: int
) -> dt.datetime:
    """When the first answer is due."""
    hours = complex_hours if is_complex(kind, severity) else simple_hours
    return created_at + dt.timedelta(hours=hours)
