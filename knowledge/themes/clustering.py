"""Theme discovery as pure computation: unit vectors in, a theme per item out (or none), no I/O.

The method, and why (docs/themes.md has the measurements):

1. Ward agglomerative clustering (scikit-learn) of the L2-normalised sentence embeddings, cut at a distance
   threshold, so the number of themes is found rather than given. Ward's merge cost grows with the size of the
   groups it joins, so a fixed cut splits big themes as data grows; the cut therefore grows slowly with the
   number of items clustered, `t(n) = 1.055 · n^0.077` (1.40 at 40 items, 1.95 at 3,000). Both constants were
   fitted on CLINC150's train split (subsets of 8 to 150 intents with 5 to 50 utterances each), never on the
   evaluation data.
2. Above `sample_size` items, Ward (quadratic in memory and time) runs on a seeded sample, and every other item
   is classified by nearest centroid, exactly as a new item is when it arrives. Items still left over are
   clustered once more, so a theme that the sample saw too little of is still found.
3. Groups smaller than `min_size` are not themes: their items join the nearest theme when they are at least
   `assign_similarity` alike (cosine to its centroid), else they stay unthemed.
4. Themes are numbered by size (largest first), ties by their earliest item: the same data gives the same themes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from sklearn.cluster import AgglomerativeClustering

from retrieval.embedder import Vectors

Labels = npt.NDArray[np.int64]
Scores = npt.NDArray[np.float32]
UNTHEMED = -1


@dataclass(frozen=True)
class ClusteringParams:
    """The knobs of discovery. The defaults are the tuned ones (docs/themes.md)."""

    sample_size: int = 4000
    min_size: int = 3
    assign_similarity: float = 0.45
    seed: int = 0
    threshold_scale: float = 1.055
    threshold_power: float = 0.077
    rounds: int = 2


@dataclass(frozen=True)
class Clustering:
    """Labels (theme index per item, -1 = unthemed), unit centroids and each item's cosine to its centroid."""

    labels: Labels
    centroids: Vectors
    scores: Scores

    @property
    def n_themes(self) -> int:
        return int(self.centroids.shape[0])

    @property
    def unthemed_share(self) -> float:
        return float((self.labels == UNTHEMED).mean()) if len(self.labels) else 0.0


def ward_threshold(n: int, params: ClusteringParams) -> float:
    """The Ward distance at which the tree over `n` items is cut."""
    return float(params.threshold_scale * max(n, 2) ** params.threshold_power)


def unit(vectors: npt.NDArray[np.floating]) -> Vectors:
    """Rows scaled to length 1 (zero rows stay zero), as float32."""
    out = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    result: Vectors = out / np.maximum(norms, 1e-12)
    return result


def nearest(vectors: Vectors, centroids: Vectors, min_similarity: float) -> tuple[Labels, Scores]:
    """Each vector's most similar centroid and that cosine; -1 where it is below `min_similarity`."""
    if len(vectors) == 0 or len(centroids) == 0:
        return np.full(len(vectors), UNTHEMED, dtype=np.int64), np.zeros(len(vectors), dtype=np.float32)
    labels = np.empty(len(vectors), dtype=np.int64)
    scores = np.empty(len(vectors), dtype=np.float32)
    for start in range(0, len(vectors), 8192):  # bounded memory at 100k items
        sims = vectors[start : start + 8192] @ centroids.T
        best = sims.argmax(axis=1)
        labels[start : start + 8192] = best
        scores[start : start + 8192] = sims[np.arange(len(best)), best]
    labels[scores < min_similarity] = UNTHEMED
    return labels, scores


def _centroids(vectors: Vectors, labels: Labels, k: int) -> Vectors:
    themed = np.flatnonzero(labels >= 0)
    # Sums per theme as one sparse product (np.add.at is ~20x slower at 3k x 512).
    onehot = csr_matrix((np.ones(len(themed), dtype=np.float32), (labels[themed], themed)), shape=(k, len(vectors)))
    return unit(np.asarray(onehot @ vectors))


def _ward(vectors: Vectors, params: ClusteringParams) -> Labels:
    """Ward clusters of `vectors`; clusters under `min_size` come back as -1."""
    if len(vectors) < max(2, params.min_size):
        return np.full(len(vectors), UNTHEMED, dtype=np.int64)
    model = AgglomerativeClustering(
        n_clusters=None, distance_threshold=ward_threshold(len(vectors), params), linkage="ward"
    )
    raw = np.asarray(model.fit_predict(vectors), dtype=np.int64)
    sizes = np.bincount(raw)
    keep = sizes >= params.min_size
    remap = np.full(len(sizes), UNTHEMED, dtype=np.int64)
    remap[keep] = np.arange(int(keep.sum()))
    out: Labels = remap[raw]
    return out


def _round(
    vectors: Vectors, pool: npt.NDArray[np.int64], params: ClusteringParams, rng: np.random.Generator
) -> Vectors:
    """Cluster (a sample of) the items in `pool`; returns the centroids of the themes found."""
    chosen = pool if len(pool) <= params.sample_size else rng.choice(pool, params.sample_size, replace=False)
    chosen = rng.permutation(chosen)  # the order must not matter: a seed shuffles it
    labels = _ward(vectors[chosen], params)
    k = int(labels.max()) + 1 if len(labels) else 0
    return _centroids(vectors[chosen], labels, k) if k else np.zeros((0, vectors.shape[1]), dtype=np.float32)


def cluster(vectors: npt.NDArray[np.floating], params: ClusteringParams | None = None) -> Clustering:
    """Discover themes in `vectors` (n, dim). Deterministic for a given seed."""
    params = params or ClusteringParams()
    x = unit(vectors)
    n = len(x)
    rng = np.random.default_rng(params.seed)
    centroids = np.zeros((0, x.shape[1] if x.ndim == 2 else 0), dtype=np.float32)
    labels = np.full(n, UNTHEMED, dtype=np.int64)
    for _ in range(max(1, params.rounds)):
        pool = np.flatnonzero(labels == UNTHEMED)
        if len(pool) < params.min_size:
            break
        found = _round(x, pool, params, rng)
        if not len(found):
            break
        centroids = np.vstack([centroids, found])
        labels, _ = nearest(x, centroids, params.assign_similarity)
        if n <= params.sample_size:
            break  # every item was in the tree: a second round would only re-cluster the outliers
    # Centroids of the final members, then themes numbered by size (largest first), ties by earliest item.
    k = len(centroids)
    if k:
        for _ in range(2):  # members move a little when the centroids are recomputed; twice settles it
            centroids = _centroids(x, labels, k)
            labels, _ = nearest(x, centroids, params.assign_similarity)
    return _renumber(x, labels, k, params)


def _renumber(x: Vectors, labels: Labels, k: int, params: ClusteringParams) -> Clustering:
    sizes = np.bincount(labels[labels >= 0], minlength=k) if k else np.zeros(0, dtype=np.int64)
    alive = [c for c in range(k) if sizes[c] >= params.min_size]
    first = {c: int(np.flatnonzero(labels == c)[0]) for c in alive}
    order = sorted(alive, key=lambda c: (-int(sizes[c]), first[c]))
    remap = np.full(k + 1, UNTHEMED, dtype=np.int64)  # index k stands for -1
    for new, old in enumerate(order):
        remap[old] = new
    final = remap[np.where(labels >= 0, labels, k)]
    centroids = _centroids(x, final, len(order)) if order else np.zeros((0, x.shape[1]), dtype=np.float32)
    scores = np.zeros(len(x), dtype=np.float32)
    themed = final >= 0
    if themed.any():
        scores[themed] = np.einsum("ij,ij->i", x[themed], centroids[final[themed]])
    return Clustering(labels=final, centroids=centroids, scores=scores)
