"""Exact dense search: the true ranking, ties in corpus order, filters and missing vectors respected; and the
searcher uses it for small corpora."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from api.wiring import build_services
from retrieval.exact import ExactVectors
from retrieval.passages import SearchFilters
from settings import Settings


def _unit(*rows: list[float]) -> dict[str, np.ndarray]:
    return {f"v{i}": np.asarray(r, dtype=np.float32) / np.linalg.norm(r) for i, r in enumerate(rows)}


def test_ranks_by_cosine_with_ties_in_corpus_order() -> None:
    stored = _unit([1, 0, 0], [0, 1, 0], [1, 1, 0], [0, 1, 0], [2, 0, 0])
    exact = ExactVectors(["v0", "v1", "v2", "v3", "v4"], stored, 3)
    ranked = exact.top(np.asarray([0.0, 1.0, 0.0], dtype=np.float32), 3)
    assert [p for p, _ in ranked] == [1, 3, 2]  # v1 and v3 are equal: corpus order decides
    assert ranked[0][1] == pytest.approx(1.0)
    assert ranked[2][1] == pytest.approx(np.sqrt(0.5))


@pytest.mark.parametrize(
    ("mask", "expected"),
    [
        (None, [0, 4, 2]),
        ([False, True, True, True, True], [4, 2, 3]),
        ([False, False, False, True, False], [3]),
        ([False] * 5, []),
    ],
)
def test_filters_and_unstored_vectors(mask: list[bool] | None, expected: list[int]) -> None:
    stored = _unit([1, 0, 0], [0, 1, 0], [1, 1, 0], [0, 1, 0], [2, 0, 0])
    del stored["v1"]  # a passage whose vector was never written must not match, not even with similarity 0
    exact = ExactVectors(["v0", "v1", "v2", "v3", "v4"], stored, 3)
    given = None if mask is None else np.asarray(mask)
    ranked = exact.top(np.asarray([1.0, 0.0, 0.0], dtype=np.float32), 3, given)
    assert [p for p, _ in ranked] == expected


def test_small_corpora_are_searched_exactly_and_agree_with_hnsw(help_center_dir: Path, tmp_path: Path) -> None:
    """The bundled help center (2 languages, 70 pages) through both paths: exact search finds at least what HNSW
    finds, in the same order wherever HNSW is exact."""
    settings = Settings(data_dir=help_center_dir, warm_start=False, _env_file=None)
    exact = build_services(settings)
    approximate = build_services(settings.model_copy(update={"exact_search_below": 0}))
    try:
        questions = ["怎么设置请假审批流程", "how do I export a Gantt chart to PDF", "SLA 多久响应"]
        for question in questions:
            for filters in (None, SearchFilters(language="en")):
                a = exact.searcher.search(question, top_k=5, method="dense", filters=filters)
                b = approximate.searcher.search(question, top_k=5, method="dense", filters=filters)
                assert [h.passage.vector_id for h in a.hits] == [h.passage.vector_id for h in b.hits]
                assert [h.relevance for h in a.hits] == pytest.approx([h.relevance for h in b.hits], abs=1e-4)
                if filters is not None:
                    assert all(h.passage.language == "en" for h in a.hits)
    finally:
        exact.close()
        approximate.close()


def test_ties_at_the_cut_keep_the_earliest_positions() -> None:
    rows = [[0.0, 1.0]] * 2 + [[1.0, 0.0]] * 6
    exact = ExactVectors([f"v{i}" for i in range(8)], _unit(*rows), 2)
    assert [p for p, _ in exact.top(np.asarray([1.0, 0.0], dtype=np.float32), 3)] == [2, 3, 4]
