"""Okapi BM25 over a sparse term-weight matrix: built once per corpus version, a query is a sum of a few columns,
so 100k passages answer in milliseconds."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse


class Bm25Index:
    """BM25 scores of every passage for a bag of query tokens. Immutable once built; safe to share across threads."""

    def __init__(self, documents: Sequence[Sequence[str]], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.size = len(documents)
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for row, tokens in enumerate(documents):
            for token in tokens:
                rows.append(row)
                cols.append(vocabulary.setdefault(token, len(vocabulary)))
        self.vocabulary = vocabulary
        counts = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)),
            shape=(self.size, max(len(vocabulary), 1)),
            dtype=np.float32,
        )
        counts.sum_duplicates()
        lengths = np.asarray([len(t) for t in documents], dtype=np.float32)
        average = float(lengths.mean()) if self.size and lengths.mean() > 0 else 1.0
        df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float32)
        # Lucene's idf: never negative, so a term in most passages still counts a little.
        idf = np.log1p((self.size - df + 0.5) / (df + 0.5))
        self._idf = idf
        self.unseen_idf = float(np.log1p(self.size + 0.5))
        norm = k1 * (1 - b + b * lengths / average)
        tf = counts.data
        row_of = np.repeat(np.arange(self.size), np.diff(counts.indptr))
        counts.data = (idf[counts.indices] * tf * (k1 + 1) / (tf + norm[row_of])).astype(np.float32)
        self._weights = counts.tocsc()

    def idf(self, token: str) -> float:
        """The token's inverse document frequency; a token no passage contains gets the largest possible value."""
        column = self.vocabulary.get(token)
        return self.unseen_idf if column is None else float(self._idf[column])

    def scores(self, query: Sequence[str]) -> npt.NDArray[np.float32]:
        """The BM25 score of every passage (shape (size,)); each distinct query token counts once."""
        columns = sorted({self.vocabulary[t] for t in query if t in self.vocabulary})
        if not columns or self.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._weights[:, columns].sum(axis=1), dtype=np.float32).ravel()

    def search(
        self, query: Sequence[str], k: int, mask: npt.NDArray[np.bool_] | None = None
    ) -> list[tuple[int, float]]:
        """The `k` best (passage index, score) pairs with a positive score, best first; `mask` keeps only True rows."""
        scores = self.scores(query)
        if mask is not None:
            scores = np.where(mask, scores, 0.0).astype(np.float32)
        positive = int(np.count_nonzero(scores > 0))
        k = min(k, positive)
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top]
