"""UseEmbedder: unit-length 512-d vectors; a single text is remembered, so the stages of one turn encode it once."""

from __future__ import annotations

import numpy as np

from retrieval.embedder import UseEmbedder


def test_single_texts_are_remembered_until_the_cache_is_switched_off() -> None:
    embedder = UseEmbedder(cache_size=2)
    first = embedder.encode(["把登录页改版标成已完成"])
    assert first.shape == (1, 512)
    assert abs(float(np.linalg.norm(first[0])) - 1.0) < 1e-5
    again = embedder.encode(["把登录页改版标成已完成"])
    again[0, 0] += 1.0  # a caller changing its copy must not change what is remembered
    assert np.array_equal(embedder.encode(["把登录页改版标成已完成"]), first)
    assert len(embedder._recent) == 1
    embedder.encode(["one"])
    embedder.encode(["two"])
    assert list(embedder._recent) == ["one", "two"]  # the oldest went first

    embedder.without_cache()
    assert not embedder._recent
    assert np.allclose(
        embedder.encode(["how do I export the Gantt chart"]), embedder.encode(["how do I export the Gantt chart"])
    )
    assert not embedder._recent
