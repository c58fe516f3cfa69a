"""Knowledge gaps: questions the help center could not answer, counted per wording, for the docs team to fill."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError

from knowledge import models as m
from knowledge.db import Database
from knowledge.paging import paginate
from knowledge.schemas import Page


class Gap(BaseModel):
    """An unanswered question; `best_score` is the relevance of the closest passage when it was last asked."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    question: str
    language: str
    best_score: float
    times_asked: int
    first_asked_at: dt.datetime
    last_asked_at: dt.datetime


def normalize_question(question: str) -> str:
    """The wording gaps are counted by: NFKC, case-folded, spaces collapsed, trailing punctuation dropped."""
    text = unicodedata.normalize("NFKC", question).casefold()
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip("?？!！.。~～ ")[:500]


class GapStore:
    """Records unanswered questions and lists them, most recent first by id order (pages as elsewhere)."""

    def __init__(self, db: Database, max_page_size: int, clock: Callable[[], dt.datetime] | None = None) -> None:
        self.db = db
        self.max_page_size = max_page_size
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))

    def record(self, question: str, language: str, best_score: float) -> None:
        """Count one unanswered asking of `question` (a new gap, or one more asking of a known one)."""
        key = normalize_question(question)
        now = self.clock()
        for _attempt in range(2):
            try:
                with self.db.write() as s:
                    row = s.scalar(select(m.KnowledgeGap).where(m.KnowledgeGap.normalized == key))
                    if row is None:
                        s.add(
                            m.KnowledgeGap(
                                question=question.strip()[:2000],
                                normalized=key,
                                language=language,
                                best_score=float(best_score),
                                times_asked=1,
                                first_asked_at=now,
                                last_asked_at=now,
                            )
                        )
                    else:
                        row.times_asked += 1
                        row.best_score = float(best_score)
                        row.last_asked_at = now
                return
            except IntegrityError:
                # Two askers raced to create the same gap; the second attempt finds the row and counts.
                continue

    def list(self, *, limit: int = 100, offset: int = 0, cursor: str | None = None) -> Page[Gap]:
        """Gaps in the order they were first seen."""
        with self.db.read() as s:
            stmt: Select[tuple[m.KnowledgeGap]] = select(m.KnowledgeGap)
            rows, total, next_cursor = paginate(
                s, stmt, m.KnowledgeGap.id, limit=limit, offset=offset, cursor=cursor, max_limit=self.max_page_size
            )
            return Page[Gap](
                items=[Gap.model_validate(r[0]) for r in rows],
                total=total,
                limit=limit,
                offset=offset,
                next_cursor=next_cursor,
            )
