"""/api/v1/ask over the ingested help center: answers with ranked citations, across languages, "I don't know"
with a recorded gap below the threshold, and problem+json for a bad question."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

PROBLEM = "application/problem+json"

pytestmark = pytest.mark.slow


def test_ask_answers_with_ranked_citations(help_client: TestClient) -> None:
    r = help_client.post("/api/v1/ask", json={"question": "How many swimlanes can one board show?"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["grounded"] is True
    assert len(body["citations"]) == 5
    scores = [c["score"] for c in body["citations"]]
    assert scores == sorted(scores, reverse=True)
    top = body["citations"][0]
    assert top["source"].endswith("boards-and-swimlanes.md") and top["title"] and top["snippet"]
    assert "15" in body["answer"] and "[1]" in body["answer"]


def test_top_k_limits_the_citations(help_client: TestClient) -> None:
    body = help_client.post("/api/v1/ask", json={"question": "怎么设置重复任务", "top_k": 2}).json()
    assert len(body["citations"]) == 2
    assert body["citations"][0]["source"].endswith("recurring-tasks.md")


@pytest.mark.parametrize(
    ("question", "page"),
    [
        ("怎么把项目的更新推送到 Slack 频道", "en/slack-integration.md"),
        ("无障碍：盲人可以用读屏软件使用 Qiao 吗", "en/accessibility.md"),
        ("how do I submit a sick leave request, and do I need a doctor's note?", "zh/leave-requests.md"),
        ("can I use Qiao inside a WeChat mini program?", "zh/wechat-mini-program.md"),
    ],
)
def test_cross_lingual_questions_find_the_other_languages_page(
    help_client: TestClient, question: str, page: str
) -> None:
    body = help_client.post("/api/v1/ask", json={"question": question}).json()
    assert body["grounded"] is True
    assert body["citations"][0]["source"].endswith(page)


def test_a_chinese_question_is_answered_in_chinese_from_the_chinese_page(help_client: TestClient) -> None:
    body = help_client.post("/api/v1/ask", json={"question": "甘特图导出 PDF 时中文显示成方块怎么办"}).json()
    assert body["grounded"] is True
    assert "嵌入中文字体" in body["answer"]


def test_unanswerable_question_says_i_dont_know_and_records_a_gap(help_client: TestClient) -> None:
    for _ in range(2):
        body = help_client.post("/api/v1/ask", json={"question": "What's the weather in Shanghai tomorrow?"}).json()
        assert body == {"answer": body["answer"], "citations": [], "grounded": False}
        assert "I don't know" in body["answer"]
    zh = help_client.post("/api/v1/ask", json={"question": "推荐一个好吃的川菜馆"}).json()
    assert zh["grounded"] is False and "抱歉" in zh["answer"]

    gaps = help_client.get("/api/v1/knowledge/gaps").json()
    by_question = {g["question"]: g for g in gaps["items"]}
    assert by_question["What's the weather in Shanghai tomorrow?"]["times_asked"] >= 2
    assert by_question["推荐一个好吃的川菜馆"]["language"] == "zh"


@pytest.mark.parametrize("body", [{"question": ""}, {"question": "   "}, {}, {"question": "x", "top_k": 0}])
def test_bad_questions_are_problems(help_client: TestClient, body: dict[str, object]) -> None:
    r = help_client.post("/api/v1/ask", json=body, headers={"Accept-Language": "zh-CN"})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith(PROBLEM)
    problem = r.json()
    assert problem["title"] == "输入无效" and problem["errors"]
