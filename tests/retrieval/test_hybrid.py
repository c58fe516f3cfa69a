"""Hybrid search over an English-only corpus: Chinese questions reach the right page through the glossary, and
API identifiers are found by their parts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api.wiring import Services, build_services
from retrieval.hybrid import HybridSearcher
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
