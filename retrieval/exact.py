"""Exact nearest neighbours for corpora small enough to score every vector.

Below some tens of thousands of chunks a matrix product over all vectors costs about as much as an HNSW query
(2,300 x 512 floats: ~0.1 ms) and gives the true ranking, the same on every run. Chroma builds its HNSW graph
differently on each ingest, and near-duplicate chunks (documentation repeats itself) made a candidate at rank 35
in one build fall out of the top 50 in the next, so identical ingests answered some questions differently.
Ties are broken by corpus position, which is stable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from retrieval.embedder import Vectors


class ExactVectors:
    """Every passage's vector in corpus order; passages without a stored vector never match."""

    def __init__(self, ids: Sequence[str], stored: Mapping[str, Vectors], dim: int) -> None:
        self.matrix = np.zeros((len(ids), dim), dtype=np.float32)
        self.present = np.zeros(len(ids), dtype=bool)
        for position, vector_id in enumerate(ids):
            vector = stored.get(vector_id)
            if vector is not None:
                self.matrix[position] = vector
                self.present[position] = True
        norms = np.linalg.norm(self.matrix, axis=1, keepdims=True)
        self.matrix /= np.where(norms > 0, norms, 1.0)

    def similarities(self, vector: Vectors) -> npt.NDArray[np.float32]:
        """Cosine similarity of `vector` with every row, in corpus order (0 for rows without a vector)."""
        query = np.asarray(vector, dtype=np.float32)
        # One product over the whole matrix is cheaper than copying the rows a filter allows first.
        return self.matrix @ (query / (np.linalg.norm(query) or 1.0))

    def top(self, vector: Vectors, k: int, mask: npt.NDArray[np.bool_] | None = None) -> list[tuple[int, float]]:
        """(position, cosine similarity) of the `k` most similar passages among the True rows of `mask`, most
        similar first, ties in corpus order."""
        return self.best(self.similarities(vector), k, mask)

    def best(
        self, scores: npt.NDArray[np.float32], k: int, mask: npt.NDArray[np.bool_] | None = None
    ) -> list[tuple[int, float]]:
        """(position, score) of the `k` highest `scores` (one per row) among rows that have a vector and pass
        `mask`, highest first, ties in corpus order."""
        allowed = self.present if mask is None else self.present & mask
        candidates = np.flatnonzero(allowed)
        if k <= 0 or candidates.size == 0:
            return []
        score = scores[candidates]
        if candidates.size > k:
            # Everything tied with the k-th best stays in, so the order below never depends on the partition.
            kth = np.partition(score, candidates.size - k)[candidates.size - k]
            keep = score >= kth
            candidates, score = candidates[keep], score[keep]
        # lexsort's last key is the primary one: score descending, then position ascending.
        order = np.lexsort((candidates, -score))[:k]
        return [(int(candidates[i]), float(score[i])) for i in order]
