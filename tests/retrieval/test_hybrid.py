"""Hybrid search over an English-only corpus: Chinese questions reach the right page through the glossary, and
API identifiers are found by their parts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api.wiring import Services, build_services
from retrieval.hybrid import HybridSearcher, _convex, _scaled
from settings import Settings

pytestmark = pytest.mark.slow

PAGES = {
    "subtasks.md": "# Subtasks\n\n## Timer\n\nWhen a subtask moves to in progress, its timer starts automatically. "
    "Stop it at any time; the time spent is added to the task.",
    "swimlanes.md": "# Swimlanes\n\nSwimlanes split the board into horizontal lanes, one per team or release. "
    "Removing a swimlane moves its tasks to the default swimlane.",
    "api.md": "# Swimlane API\n\n## addSwimlane\n\nCreates a swimlane in a project. Parameters: project_id, name.\n\n"
    "## getColumns\n\nReturns every column of a project.",
    "security.md": "# Security\n\n## Two-factor authentication\n\nAn administrator can remove a user's two-factor "
    "authentication from the command line when the user has lost their phone.",
    "database.md": "# Database\n\nThe recommended database for large teams is PostgreSQL; SQLite suits one user.",
}


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    root = tmp_path_factory.mktemp("english-docs")
    for name, text in PAGES.items():
        (root / name).write_text(text, encoding="utf-8")
    settings = Settings(data_dir=root / "data", warm_start=False, _env_file=None)  # type: ignore[call-arg]
    services = build_services(settings)
    services.db.migrate()
    services.ingestor.ingest_paths([root])
    yield services
    services.close()


def _first(services: Services, question: str, *, expand: bool = True) -> tuple[str, int | None]:
    searcher = services.searcher
    if not expand:
        searcher = HybridSearcher(services.documents, searcher.store, searcher.embedder, expand_queries=False)
    hit = searcher.search(question, top_k=1).hits[0]
    return Path(hit.passage.source).name, hit.bm25_rank


@pytest.mark.parametrize(
    ("question", "page"),
    [
        ("子任务的计时器会自动开始吗", "subtasks.md"),
        ("删除泳道以后任务去哪了", "swimlanes.md"),
        ("用 API 怎么添加泳道", "api.md"),
        ("同事手机丢了，怎么关掉他的两步验证", "security.md"),
        ("官方推荐用什么数据库", "database.md"),
        ("how do I add a swimlane through the API", "api.md"),
        ("turn off two factor for a user", "security.md"),
    ],
)
def test_questions_find_the_english_page(services: Services, question: str, page: str) -> None:
    found, bm25_rank = _first(services, question)
    assert found == page
    assert bm25_rank == 1  # keywords, not only the embedding, found it


def test_without_the_glossary_bm25_cannot_read_a_chinese_question(services: Services) -> None:
    _, bm25_rank = _first(services, "子任务的计时器会自动开始吗", expand=False)
    assert bm25_rank is None


@pytest.mark.parametrize("question", ["子任务的计时器会自动开始吗", "how do I add a swimlane through the API"])
def test_convex_fusion_finds_the_same_pages(services: Services, question: str) -> None:
    rrf = services.searcher
    convex = HybridSearcher(services.documents, rrf.store, rrf.embedder, fusion="convex", dense_share=0.4)
    first = convex.search(question, top_k=3).hits
    assert Path(first[0].passage.source).name == Path(rrf.search(question, top_k=1).hits[0].passage.source).name
    assert first[0].score <= 1.0 and [h.score for h in first] == sorted((h.score for h in first), reverse=True)


def test_scores_are_scaled_over_the_candidates() -> None:
    assert _scaled([(3, 9.0), (1, 6.0), (2, 3.0)]) == {3: 1.0, 1: 0.5, 2: 0.0}
    assert _scaled([(1, 0.4), (2, 0.4)]) == {1: 1.0, 2: 1.0}  # a tie is no evidence against either
    assert _scaled([]) == {}


def test_convex_fusion_weighs_scaled_scores_and_bridges_the_other_language() -> None:
    dense = [(1, 0.9), (2, 0.5), (3, 0.1)]
    bm25 = [(2, 12.0), (4, 2.0)]
    fused = _convex(dense, bm25, foreign={3}, dense_share=0.4)
    assert fused[2] == pytest.approx(0.4 * 0.5 + 0.6 * 1.0)  # second by meaning, first by keywords
    assert fused[1] == pytest.approx(0.4 * 1.0)  # no keyword evidence
    assert fused[4] == pytest.approx(0.0)  # last of the keyword candidates, unseen by meaning
    assert fused[3] == pytest.approx(0.0)  # foreign: its keyword term is its dense score (0 here)
    assert max(fused, key=fused.__getitem__) == 2
