"""Sentence vectors: how passages are cut into sentences (both languages), how sentence ids map back to their
passage, and how a passage's best sentence enters its dense score, on a real Chroma store and the real embedder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from api.wiring import build_services
from retrieval.chroma_store import ChromaConnection, ChromaStore
from retrieval.embedder import UseEmbedder
from retrieval.passages import Passage
from retrieval.sentences import (
    SentenceIndex,
    passage_id,
    passage_sentences,
    sentence_ids,
    sentence_texts,
    split_sentences,
)
from settings import Settings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("在看板上新建任务。然后把它分配给同事！", ["在看板上新建任务。", "然后把它分配给同事！"]),
        ("审批通过后会通知你；被驳回时也会通知你", ["审批通过后会通知你；", "被驳回时也会通知你"]),
        ("请假流程有几步？第一步填写申请单。", ["请假流程有几步？", "第一步填写申请单。"]),
        ("Open a task. Then pick an assignee!", ["Open a task.", "Then pick an assignee!"]),
        (
            "Edit config.php and set v1.2 first. Restart after.",
            ["Edit config.php and set v1.2 first.", "Restart after."],
        ),
        ("- Board\n- Set a due date\n1.\n", ["- Board", "- Set a due date"]),
        ("One sentence, no end", ["One sentence, no end"]),
        ("", []),
    ],
)
def test_split_sentences_in_both_languages(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_a_passage_of_one_sentence_has_no_sentence_vectors() -> None:
    assert sentence_texts("FAQ", "假期", "年假怎么申请？") == []
    assert sentence_texts("FAQ", "Leave", "How do I ask for leave? Open Approvals.") == [
        "FAQ — Leave\nHow do I ask for leave?",
        "FAQ — Leave\nOpen Approvals.",
    ]
    code = Passage("id", "s.md", "API", "Example", "en", None, "curl -X POST a.\ncurl -X GET b.", is_code=True)
    assert passage_sentences(code) == []


def test_sentence_ids_name_their_passage() -> None:
    ids = sentence_ids("0f3a-9c1d-00012", 3)
    assert ids == ["0f3a-9c1d-00012~s000", "0f3a-9c1d-00012~s001", "0f3a-9c1d-00012~s002"]
    assert {passage_id(i) for i in ids} == {"0f3a-9c1d-00012"}


def _passage(vector_id: str, text: str) -> Passage:
    return Passage(vector_id, f"{vector_id}.md", "Title", "", "en", None, text)


def test_best_sentence_per_passage_with_missing_vectors_falling_back(tmp_path: Path) -> None:
    """Passage a has two sentences, b one (so no sentence vectors), c two whose vectors were never written."""
    passages = [
        _passage("a", "First sentence here. Second sentence here."),
        _passage("b", "Only one sentence."),
        _passage("c", "Third sentence here. Fourth sentence here."),
    ]
    store = ChromaStore(ChromaConnection(tmp_path / "chroma"), "sentences", UseEmbedder())
    unit = np.eye(512, dtype=np.float32)
    store.upsert(sentence_ids("a", 2), unit[[1, 2]], [{"source": "a.md"}, {"source": "a.md"}])
    try:
        index = SentenceIndex(passages)
        assert index.ids == [*sentence_ids("a", 2), *sentence_ids("c", 2)]
        assert index.has_sentences.tolist() == [True, False, True]
        query = (unit[2] * 0.8 + unit[0] * 0.6).astype(np.float32)
        own = np.asarray([0.1, 0.3, 0.2], dtype=np.float32)
        best = index.best(store, 512, query, own)
        assert best == pytest.approx([0.8, 0.3, 0.2])  # a: its second sentence; b and c: their own similarity
    finally:
        store.connection.close()


def test_dense_score_blends_passage_and_best_sentence(help_center_dir: Path) -> None:
    """On the ingested help center: every dense candidate's score is 0.75 × its passage's cosine + 0.25 × its best
    sentence's, recomputed here from the texts with the real embedder; without sentences it is the cosine."""
    settings = Settings(data_dir=help_center_dir, warm_start=False, _env_file=None)
    with_sentences = build_services(settings)
    without = build_services(settings.model_copy(update={"sentence_share": 0.0}))
    try:
        searcher = with_sentences.searcher
        question = "How many swimlanes can one board show?"
        index = searcher.index()
        q = searcher.embedder.encode([question])[0]
        dense, cosine = searcher._dense_exact(index, q, None)
        checked = 0
        for position, score in dense[:10]:
            passage = index.passages[position]
            own = float(searcher.embedder.encode([with_sentences.documents.embedding_text(passage)])[0] @ q)
            sentences = passage_sentences(passage)
            best = max((float(v @ q) for v in searcher.embedder.encode(sentences)), default=own)
            assert cosine[position] == pytest.approx(own, abs=1e-4)
            assert score == pytest.approx(0.75 * own + 0.25 * best, abs=1e-4)
            checked += bool(sentences)
        assert checked >= 3, "the top passages of a help center have several sentences each"

        plain, plain_cosine = without.searcher._dense_exact(without.searcher.index(), q, None)
        assert without.searcher.sentences is None
        assert all(score == pytest.approx(plain_cosine[p]) for p, score in plain)
    finally:
        with_sentences.close()
        without.close()
