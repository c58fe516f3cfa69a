"""Stable theme ids across discoveries: each new cluster is matched to at most one earlier theme by centroid
similarity and member overlap (Hungarian assignment on the sum of both), so a theme keeps its id and the name ops
gave it. A match to a theme ops merged away counts as a match to the theme it was merged into; a match to a
retired theme brings it back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from retrieval.embedder import Vectors

# A new cluster continues an earlier theme when their centroids are this alike (cosine) ...
SAME_CENTROID = 0.8
# ... or when at least this share of the earlier theme's items are in it.
SAME_MEMBERS = 0.5


@dataclass(frozen=True)
class Previous:
    """An earlier theme: its id, unit centroid, current members (feedback ids) and the id a match resolves to
    (itself, or for a merged theme the theme it was merged into)."""

    id: int
    centroid: Vectors
    members: frozenset[int]
    target: int


def match(centroids: Vectors, members: Sequence[frozenset[int]], previous: Sequence[Previous]) -> list[int | None]:
    """For each new cluster, the id of the earlier theme it continues, or None for a new theme. Two clusters may
    resolve to the same id (both matched themes that were merged): the caller joins them."""
    if not len(previous) or not len(centroids):
        return [None] * len(centroids)
    old = np.stack([p.centroid for p in previous])
    cosine = np.asarray(old @ centroids.T, dtype=np.float64)
    share = np.zeros_like(cosine)
    for i, p in enumerate(previous):
        if p.members:
            share[i] = [len(p.members & m) / len(p.members) for m in members]
    allowed = (cosine >= SAME_CENTROID) | (share >= SAME_MEMBERS)
    score = np.where(allowed, cosine + share, -1e6)
    rows, cols = linear_sum_assignment(-score)
    out: list[int | None] = [None] * len(centroids)
    for r, c in zip(rows, cols, strict=True):
        if allowed[r, c]:
            out[c] = previous[r].target
    return out
