"""Hybrid search: dense (embedding) and BM25 (keyword) results fused into one ranking.

Dense search carries meaning across languages (a Chinese question finds an English page); BM25 carries exact
terms, numbers and names the embedding blurs. Two fusions are offered:

- `rrf` (the default): weighted reciprocal rank fusion, Σ weight / (rrf_k + rank), which needs no score
  calibration at all.
- `convex`: each method's scores are scaled to 0..1 over its candidates (min-max) and a passage scores
  `dense_share × dense + (1 − dense_share) × bm25`, 0 for a method that did not return it. Unlike ranks, scores
  say how much better the first candidate is than the second, which decides close calls between pages that look
  alike (Bruch et al., "An Analysis of Fusion Functions for Hybrid Retrieval", 2023). On English technical
  documentation (Kanboard) it ranks better; on the bundled bilingual help center it does not (docs/retrieval.md).

Dense search scores a passage by its own vector and its best sentence's (`retrieval.sentences`): a question
usually asks about one sentence of a passage, which the passage's single vector averages away.

BM25 is blind across languages: a Chinese question's keywords never occur in an English page, so plain fusion
would always prefer a weak same-language page to the right page in the other language. For a passage in the
other language, the BM25 term therefore uses the better of its BM25 and its dense rank or score (dense is the
only method that can see it), which keeps the fusion fair across languages.

A Chinese question also searches BM25 for the English words a bilingual glossary gives for its terms
(`retrieval.glossary`: "子任务的计时器" → subtask, timer), so BM25 can read English pages too. Where no page in the
question's language competes (an English-only corpus), the bridge above is then dropped: BM25 ranks the foreign
pages on its own evidence instead of repeating the dense rank.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from intents.language import detect_language
from retrieval.bm25 import Bm25Index
from retrieval.chroma_store import VectorStore
from retrieval.embedder import Embedder
from retrieval.exact import ExactVectors
from retrieval.glossary import english_terms
from retrieval.passages import CorpusSnapshot, Hit, Passage, SearchFilters
from retrieval.sentences import SentenceIndex, passage_id
from retrieval.tokens import tokenize

Method = Literal["hybrid", "dense", "bm25"]
Fusion = Literal["convex", "rrf"]


class Corpus(Protocol):
    """The passages that exist, as the source of truth (Qiao's database) records them."""

    def snapshot(self) -> CorpusSnapshot:
        """Every passage with its tokens. Cheap to call again: returns the cached snapshot until something changes."""
        ...


@dataclass(frozen=True)
class SearchResult:
    """Ranked hits for one question.

    `best_relevance` is the best cosine similarity among the dense candidates (-1 when none). `relevance` is what
    the "I don't know" threshold compares: `best_relevance` minus a penalty for the share of the question's
    specific words (IDF-weighted) that no passage contains ("SAP", "Visio"), which an embedding alone misses.
    """

    hits: list[Hit]
    best_relevance: float
    relevance: float = -1.0
    unknown_share: float = 0.0


class _Index:
    """What one corpus version needs for search: BM25, positions of vector ids, and filter columns."""

    def __init__(self, snapshot: CorpusSnapshot) -> None:
        self.snapshot = snapshot
        self.passages: Sequence[Passage] = snapshot.passages
        self.bm25 = Bm25Index(snapshot.tokens)
        self.position = {p.vector_id: i for i, p in enumerate(self.passages)}
        self.scripts = {_script(token) for token in self.bm25.vocabulary}
        self.languages = np.asarray([p.language for p in self.passages])
        self.language_set = frozenset(p.language for p in self.passages)
        self._exact: ExactVectors | None = None
        self._sentences: SentenceIndex | None = None
        self._exact_lock = threading.Lock()

    def exact(self, store: VectorStore, dim: int) -> ExactVectors:
        """Every passage's vector, read from `store` once for this corpus version."""
        with self._exact_lock:
            if self._exact is None:
                ids = [p.vector_id for p in self.passages]
                self._exact = ExactVectors(ids, store.vectors(ids), dim)
            return self._exact

    def sentences(self) -> SentenceIndex:
        """Which sentence vectors belong to which passage in this corpus version (built on first use)."""
        with self._exact_lock:
            if self._sentences is None:
                self._sentences = SentenceIndex(self.passages)
            return self._sentences

    def has_language(self, language: str, mask: npt.NDArray[np.bool_] | None) -> bool:
        """Whether any passage (among the True rows of `mask`, if given) is written in `language`."""
        if mask is None:
            return language in self.language_set
        return bool(np.any(mask & (self.languages == language)))

    def unknown_share(self, tokens: Sequence[str]) -> float:
        """IDF-weighted share of `tokens` no passage contains, counting only scripts the corpus is written in (a
        Chinese word is not "unknown" to an English-only corpus: dense search handles that question)."""
        weights = {t: self.bm25.idf(t) for t in dict.fromkeys(tokens) if _script(t) in self.scripts}
        total = sum(weights.values())
        unseen = sum(w for t, w in weights.items() if t not in self.bm25.vocabulary)
        return unseen / total if total else 0.0

    def mask(self, filters: SearchFilters | None) -> npt.NDArray[np.bool_] | None:
        if filters is None or filters.is_empty():
            return None
        return np.fromiter((filters.matches(p) for p in self.passages), dtype=bool, count=len(self.passages))


class HybridSearcher:
    """Searches the corpus by meaning, by keywords, or both. Thread-safe."""

    def __init__(
        self,
        corpus: Corpus,
        store: VectorStore,
        embedder: Embedder,
        *,
        fusion: Fusion = "rrf",
        dense_share: float = 0.4,
        rrf_k: int = 5,
        dense_weight: float = 0.5,
        bm25_weight: float = 1.0,
        candidates: int = 50,
        per_source: int = 2,
        unknown_term_penalty: float = 0.2,
        expand_queries: bool = True,
        exact_below: int = 20_000,
        sentences: VectorStore | None = None,
        sentence_share: float = 0.25,
    ) -> None:
        self.corpus = corpus
        self.store = store
        self.embedder = embedder
        self.fusion = fusion
        self.dense_share = dense_share
        self.rrf_k = rrf_k
        self.dense_weight = dense_weight
        self.bm25_weight = bm25_weight
        self.candidates = candidates
        self.per_source = per_source
        self.unknown_term_penalty = unknown_term_penalty
        self.expand_queries = expand_queries
        self.exact_below = exact_below
        self.sentences = sentences if sentence_share > 0 else None
        self.sentence_share = sentence_share
        self._index: _Index | None = None
        self._lock = threading.Lock()

    def index(self) -> _Index:
        """The search structures for the corpus as it is now (rebuilt only when the corpus changed)."""
        snapshot = self.corpus.snapshot()
        with self._lock:
            if self._index is None or self._index.snapshot.version != snapshot.version:
                self._index = _Index(snapshot)
            return self._index

    def search(
        self,
        question: str,
        *,
        top_k: int = 5,
        filters: SearchFilters | None = None,
        method: Method = "hybrid",
        per_source: int | None = None,
    ) -> SearchResult:
        """The `top_k` best passages for `question`, best first, at most `per_source` from one document."""
        index = self.index()
        if not index.passages:
            return SearchResult(hits=[], best_relevance=-1.0)
        mask = index.mask(filters)
        dense: list[tuple[int, float]] = []
        cosine: dict[int, float] = {}
        if method in ("hybrid", "dense"):
            vector = self.embedder.encode([question])[0]
            if len(index.passages) <= self.exact_below:
                dense, cosine = self._dense_exact(index, vector, mask)
            else:
                dense, cosine = self._dense_hnsw(index, vector, filters)
        tokens = tokenize(question)
        language = detect_language(question, default="zh")
        terms = english_terms(question) if self.expand_queries else ()
        bm25: list[tuple[int, float]] = []
        bridge = method == "hybrid"
        if method in ("hybrid", "bm25"):
            keywords = tokens + tokenize(" ".join(terms)) if terms else tokens
            bm25 = index.bm25.search(keywords, self.candidates, mask)
            # The bridge keeps a foreign passage from losing to weak native ones that BM25 can read. When the
            # glossary lets BM25 read the foreign passages and no native passage competes, the bridge would only
            # count the embedding twice, and it is the weaker ranking on technical pages.
            bridge = bridge and not (terms and not index.has_language(language, mask))
        result = self._fuse(
            index,
            dense,
            cosine,
            bm25,
            bridge,
            language,
            top_k,
            self.per_source if per_source is None else per_source,
            method,
        )
        # When the closest passage is in the other language, the question's words were never going to be in the
        # corpus (the topic is documented in one language only): missing words then say nothing.
        closest = index.passages[dense[0][0]].language if dense else language
        unknown = 0.0 if _foreign(closest, language) else index.unknown_share(tokens)
        relevance = result.best_relevance - self.unknown_term_penalty * unknown
        return SearchResult(result.hits, result.best_relevance, round(relevance, 4), round(unknown, 4))

    def _dense_exact(
        self, index: _Index, vector: npt.NDArray[np.float32], mask: npt.NDArray[np.bool_] | None
    ) -> tuple[list[tuple[int, float]], dict[int, float]]:
        """The dense candidates by exact search, best first, as (position, score), and each one's cosine
        similarity: the score blends in the passage's best sentence (`retrieval.sentences`)."""
        exact = index.exact(self.store, self.embedder.dim)
        similarity = exact.similarities(vector)
        scores = similarity
        if self.sentences is not None:
            best = index.sentences().best(self.sentences, self.embedder.dim, vector, similarity)
            scores = (1 - self.sentence_share) * similarity + self.sentence_share * best
        dense = exact.best(scores, self.candidates, mask)
        return dense, {position: float(similarity[position]) for position, _ in dense}

    def _dense_hnsw(
        self, index: _Index, vector: npt.NDArray[np.float32], filters: SearchFilters | None
    ) -> tuple[list[tuple[int, float]], dict[int, float]]:
        """`_dense_exact` through the vector store's approximate (HNSW) search, for large corpora. A passage
        found by only one of the two searches gets, for the other, the last candidate's similarity: at most that."""
        passages: dict[int, float] = {}
        for match in self.store.query(vector, self.candidates, filters):
            position = index.position.get(match.id)
            # A vector the database doesn't know is a leftover of an interrupted ingest: never cite it.
            if position is not None:
                passages[position] = match.similarity
        if self.sentences is None:
            return sorted(passages.items(), key=lambda item: (-item[1], item[0])), passages
        best: dict[int, float] = {}
        sentence_matches = self.sentences.query(vector, 4 * self.candidates, filters)
        for match in sentence_matches:
            position = index.position.get(passage_id(match.id))
            if position is not None and match.similarity > best.get(position, -2.0):
                best[position] = match.similarity
        passage_floor = min(passages.values(), default=-1.0)
        sentence_floor = min((m.similarity for m in sentence_matches), default=-1.0)
        has_sentences = index.sentences().has_sentences
        share = self.sentence_share
        cosine = {p: passages.get(p, passage_floor) for p in passages.keys() | best.keys()}
        scores = {
            p: (1 - share) * c + share * best.get(p, sentence_floor if has_sentences[p] and best else c)
            for p, c in cosine.items()
        }
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[: self.candidates]
        return ranked, {p: cosine[p] for p, _ in ranked}

    def _fuse(
        self,
        index: _Index,
        dense: list[tuple[int, float]],
        cosine: dict[int, float],
        bm25: list[tuple[int, float]],
        bridge: bool,
        language: str,
        top_k: int,
        per_source: int,
        method: Method,
    ) -> SearchResult:
        dense_rank = {position: rank for rank, (position, _) in enumerate(dense, start=1)}
        bm25_rank = {position: rank for rank, (position, _) in enumerate(bm25, start=1)}
        foreign = {
            position for position in dense_rank if bridge and _foreign(index.passages[position].language, language)
        }
        if method == "hybrid" and self.fusion == "convex":
            fused, top_score = _convex(dense, bm25, foreign, self.dense_share), 1.0
        else:
            wd, wb = {"dense": (1.0, 0.0), "bm25": (0.0, 1.0)}.get(method, (self.dense_weight, self.bm25_weight))
            fused, top_score = _reciprocal(dense_rank, bm25_rank, foreign, wd, wb, self.rrf_k)
        similarity = cosine
        # A passage outside the dense candidates is at most as similar as the last candidate.
        floor = min(similarity.values()) if similarity else -1.0
        best = max(similarity.values()) if similarity else -1.0
        ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
        hits: list[Hit] = []
        taken: dict[str, int] = {}
        for position, score in ranked:
            passage = index.passages[position]
            if per_source and taken.get(passage.source, 0) >= per_source:
                continue
            taken[passage.source] = taken.get(passage.source, 0) + 1
            hits.append(
                Hit(
                    passage=passage,
                    score=round(score / top_score, 4),
                    relevance=round(similarity.get(position, floor), 4),
                    dense_rank=dense_rank.get(position),
                    bm25_rank=bm25_rank.get(position),
                )
            )
            if len(hits) >= top_k:
                break
        return SearchResult(hits=hits, best_relevance=best)


def _reciprocal(
    dense_rank: dict[int, int], bm25_rank: dict[int, int], foreign: set[int], wd: float, wb: float, k: int
) -> tuple[dict[int, float], float]:
    """Weighted reciprocal rank fusion, and the score a passage ranked first by both methods would get."""
    fused: dict[int, float] = {}
    for position in dense_rank.keys() | bm25_rank.keys():
        d = dense_rank.get(position)
        b = bm25_rank.get(position)
        if position in foreign and d is not None:
            b = d if b is None else min(b, d)
        fused[position] = (wd / (k + d) if d else 0.0) + (wb / (k + b) if b else 0.0)
    return fused, (wd + wb) / (k + 1) or 1.0


def _convex(
    dense: list[tuple[int, float]], bm25: list[tuple[int, float]], foreign: set[int], dense_share: float
) -> dict[int, float]:
    """Convex combination of min-max scaled scores; a passage a method did not return gets 0 from it."""
    d, b = _scaled(dense), _scaled(bm25)
    fused: dict[int, float] = {}
    for position in d.keys() | b.keys():
        keyword = max(b.get(position, 0.0), d[position]) if position in foreign else b.get(position, 0.0)
        fused[position] = dense_share * d.get(position, 0.0) + (1 - dense_share) * keyword
    return fused


def _scaled(results: list[tuple[int, float]]) -> dict[int, float]:
    """Scores mapped to 0..1 over the candidates: the best is 1, the last 0 (all 1 when they tie)."""
    if not results:
        return {}
    scores = [score for _, score in results]
    low, high = min(scores), max(scores)
    return {position: (score - low) / (high - low) if high > low else 1.0 for position, score in results}


def _foreign(passage_language: str, question_language: str) -> bool:
    """Whether BM25 cannot see the passage for this question: one is Chinese, the other English."""
    return (
        question_language in ("zh", "en") and passage_language in ("zh", "en") and passage_language != question_language
    )


def _script(token: str) -> str:
    return "han" if token and "\u3400" <= token[0] <= "\ufaff" else "latin"
