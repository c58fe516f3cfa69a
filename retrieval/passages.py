"""The records search exchanges: a passage of the help center, the filters a search may apply, and a ranked hit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MetadataValue = str | int | float | bool


@dataclass(frozen=True)
class Passage:
    """One chunk of one document, with what a citation needs."""

    vector_id: str
    source: str
    title: str
    section: str
    language: str
    updated: dt.date | None
    text: str
    is_code: bool = False

    def metadata(self) -> dict[str, MetadataValue]:
        """The flat metadata stored beside the passage's vector (what vector-side filters can see)."""
        return {
            "source": self.source,
            "title": self.title,
            "section": self.section,
            "language": self.language,
            "updated": self.updated.isoformat() if self.updated else "",
            "updated_day": date_ordinal(self.updated),
        }

    def filter_metadata(self) -> dict[str, MetadataValue]:
        """Only the metadata `SearchFilters` reads (for vectors that are never cited themselves, such as sentences)."""
        metadata = self.metadata()
        return {key: metadata[key] for key in ("source", "language", "updated_day")}


def heading(title: str, section: str) -> str:
    """The line a passage is embedded under: its page title, and its section when it has one."""
    return f"{title} — {section}" if section else title


def date_ordinal(day: dt.date | None) -> int:
    """A date as an integer YYYYMMDD (0 for none), so vector stores can compare dates with $gte."""
    return day.year * 10_000 + day.month * 100 + day.day if day else 0


@dataclass(frozen=True)
class SearchFilters:
    """Narrow a search to some passages; every set field must match."""

    language: str | None = None
    sources: tuple[str, ...] = ()
    updated_since: dt.date | None = None

    def is_empty(self) -> bool:
        """True when nothing is filtered."""
        return self.language is None and not self.sources and self.updated_since is None

    def matches(self, passage: Passage) -> bool:
        """Whether `passage` passes every filter."""
        if self.language is not None and passage.language != self.language:
            return False
        if self.sources and passage.source not in self.sources:
            return False
        return self.updated_since is None or (passage.updated is not None and passage.updated >= self.updated_since)

    def matches_metadata(self, metadata: Mapping[str, MetadataValue]) -> bool:
        """The same test on stored metadata (see `Passage.metadata`)."""
        if self.language is not None and metadata.get("language") != self.language:
            return False
        if self.sources and metadata.get("source") not in self.sources:
            return False
        if self.updated_since is None:
            return True
        day = metadata.get("updated_day", 0)
        return isinstance(day, int) and day >= date_ordinal(self.updated_since)


@dataclass(frozen=True)
class Hit:
    """A passage as ranked for one question.

    `score` is the fused score scaled to 0..1 (1 = ranked first by every method); `relevance` is the cosine
    similarity of question and passage embeddings (-1..1), the figure the "I don't know" threshold applies to.
    Ranks are 1-based, None when the method did not return the passage among its candidates.
    """

    passage: Passage
    score: float
    relevance: float
    dense_rank: int | None = None
    bm25_rank: int | None = None


@dataclass(frozen=True)
class CorpusSnapshot:
    """Every passage the relational store holds, with the BM25 tokens of each, at one `version`."""

    version: tuple[object, ...]
    passages: Sequence[Passage]
    tokens: Sequence[Sequence[str]]
