"""Sentence vectors: every sentence of a passage embedded on its own, under the passage's page title and section.

A passage's vector sums up everything the passage says, while a question usually asks about one sentence of it
("Can I set a default swimlane?" against a 400-character passage that covers five settings). Dense search
therefore scores a passage by its own vector *and* by its best sentence: `(1 − share) × cosine(passage) +
share × max cosine(sentence)`. A passage of fewer than two sentences has no sentence vectors (its one sentence
is the passage) and scores by its own vector alone. Code chunks have none either: they are found by their
heading (`knowledge.chunking.Chunk.is_code`).

Sentence ids are the passage's vector id plus the sentence's number, so the ids a passage must have follow from
its text alone: ingest, repair and search all derive them the same way, and a sentence vector whose passage the
database no longer knows is never read.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from retrieval.chroma_store import VectorStore
from retrieval.embedder import Vectors
from retrieval.exact import ExactVectors
from retrieval.passages import Passage, heading

# Chinese sentence ends need no space after them; English ones do, so "config.php" and "v1.2" stay whole.
_SENTENCE_END = re.compile(r"(?<=[。！？；])\s*|(?<=[.!?;])\s+|\n+")
# A list bullet or a stray "1." is not a sentence.
MIN_CHARS = 4
# Stored in every document's ingest hash: a change to the splitting re-embeds every document.
VERSION = "sentences-v1"
_SEPARATOR = "~s"


def split_sentences(text: str) -> list[str]:
    """`text` cut at sentence ends (。！？；, or . ! ? ; before a space) and line breaks; pieces shorter than
    MIN_CHARS characters are dropped."""
    return [s for piece in _SENTENCE_END.split(text) if len(s := piece.strip()) >= MIN_CHARS]


def sentence_texts(title: str, section: str, text: str) -> list[str]:
    """What is embedded for each sentence of a passage: the sentence under its page title and section (as for
    the passage, `knowledge.chunking.passage_text`); [] when `text` has fewer than two sentences."""
    sentences = split_sentences(text)
    line = heading(title, section)
    return [f"{line}\n{s}" for s in sentences] if len(sentences) > 1 else []


def sentence_ids(vector_id: str, count: int) -> list[str]:
    """The ids of a passage's `count` sentence vectors."""
    return [f"{vector_id}{_SEPARATOR}{j:03d}" for j in range(count)]


def passage_id(sentence_id: str) -> str:
    """The vector id of the passage a sentence vector belongs to."""
    return sentence_id.rsplit(_SEPARATOR, 1)[0]


def passage_sentences(passage: Passage) -> list[str]:
    """`sentence_texts` of a stored passage (none for code)."""
    return [] if passage.is_code else sentence_texts(passage.title, passage.section, passage.text)


class SentenceIndex:
    """The sentence vectors of one corpus version: which passage each belongs to, and (read once) the vectors."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        counts = np.fromiter((len(passage_sentences(p)) for p in passages), dtype=np.int64, count=len(passages))
        self.has_sentences: npt.NDArray[np.bool_] = counts > 0
        self.ids = [sid for p, n in zip(passages, counts, strict=True) for sid in sentence_ids(p.vector_id, int(n))]
        # Sentences are stored passage by passage, so each passage's rows start where the previous one's end.
        self._starts = (np.cumsum(counts) - counts)[self.has_sentences]
        self._exact: ExactVectors | None = None
        self._lock = threading.Lock()

    def exact(self, store: VectorStore, dim: int) -> ExactVectors:
        """Every sentence vector in corpus order, read from `store` once for this corpus version."""
        with self._lock:
            if self._exact is None:
                self._exact = ExactVectors(self.ids, store.vectors(self.ids), dim)
            return self._exact

    def best(
        self, store: VectorStore, dim: int, vector: Vectors, passage_similarity: npt.NDArray[np.float32]
    ) -> npt.NDArray[np.float32]:
        """Each passage's best sentence similarity to `vector`; its own `passage_similarity` where it has no
        sentence vectors (or none could be read)."""
        best = passage_similarity.copy()
        if not self.ids:
            return best
        exact = self.exact(store, dim)
        similarity = np.where(exact.present, exact.similarities(vector), -np.inf)
        per_passage = np.maximum.reduceat(similarity, self._starts)
        read = np.isfinite(per_passage)
        rows = np.flatnonzero(self.has_sentences)[read]
        best[rows] = per_passage[read]
        return best
