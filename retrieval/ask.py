"""One question to the help center: search, decide whether the best passage is relevant enough, then answer
(extractively offline, or through the configured LLM) with ranked citations — or say "I don't know" in the
question's language and log the question as a knowledge gap."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Annotated, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from errors import BackendUnavailable
from intents.language import detect_language, reply_language
from retrieval.answer import I_DONT_KNOW, extractive_answer
from retrieval.embedder import Embedder
from retrieval.hybrid import HybridSearcher
from retrieval.llm import ChatModel, cited, grounded_prompt
from retrieval.passages import Hit

log = logging.getLogger("qiao.retrieval")
SNIPPET_CHARS = 240


class GapLog(Protocol):
    """Where unanswered questions go."""

    def record(self, question: str, language: str, best_score: float) -> None:
        """Count one unanswered asking of `question`."""
        ...


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)] = Field(
        description="The question, in Chinese or English."
    )
    lang: Literal["zh", "en"] | None = Field(None, description="Language of the answer; default: the question's.")
    top_k: int | None = Field(None, ge=1, le=20, description="How many passages to cite (default 5).")


class Citation(BaseModel):
    title: str
    section: str
    source: str = Field(description="The file path or URL the document was ingested from.")
    snippet: str
    score: float = Field(description="Fused rank score, 0..1 (1 = ranked first by every method).")


class AskResponse(BaseModel):
    answer: str
    citations: list[Citation] = Field(description="Best first.")
    grounded: bool = Field(description="True when the answer is drawn from (and cites) the passages.")


class Answer(AskResponse):
    """AskResponse plus what the service knows about how it answered (not sent over HTTP)."""

    language: str
    generated_by: str = Field(description="'extractive', 'none' (I don't know) or the LLM's model name.")
    relevance: float


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """`text` shortened to about `limit` characters, at a sentence end when one is near."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(mark) for mark in ("。", "！", "？", ". ", "; "))
    return (cut[: end + 1] if end > limit // 2 else cut).rstrip() + "…"


class AskService:
    """Answers help-center questions from the ingested documents."""

    def __init__(
        self,
        searcher: HybridSearcher,
        embedder: Embedder,
        gaps: GapLog,
        chat: ChatModel | None = None,
        *,
        threshold: float = 0.3,
        top_k: int = 5,
    ) -> None:
        self.searcher = searcher
        self.embedder = embedder
        self.gaps = gaps
        self.chat = chat
        self.threshold = threshold
        self.top_k = top_k

    def ask(self, request: AskRequest) -> Answer:
        """The answer to `request.question`; records a knowledge gap when nothing relevant enough is found."""
        question = request.question
        language = request.lang or reply_language(detect_language(question, default="zh"))
        result = self.searcher.search(question, top_k=request.top_k or self.top_k)
        relevance = result.relevance
        if not result.hits or relevance < self.threshold:
            self.gaps.record(question, language, relevance)
            return Answer(
                answer=I_DONT_KNOW[language],
                citations=[],
                grounded=False,
                language=language,
                generated_by="none",
                relevance=relevance,
            )
        citations = [
            Citation(
                title=h.passage.title,
                section=h.passage.section,
                source=h.passage.source,
                snippet=snippet(h.passage.text),
                score=h.score,
            )
            for h in result.hits
        ]
        if self.chat is not None:
            generated = self._generate(question, language, result.hits)
            if generated is not None:
                text, grounded = generated
                return Answer(
                    answer=text,
                    citations=citations,
                    grounded=grounded,
                    language=language,
                    generated_by=self.chat.name,
                    relevance=relevance,
                )
        text = extractive_answer(question, language, result.hits, self.embedder)
        return Answer(
            answer=text,
            citations=citations,
            grounded=bool(text),
            language=language,
            generated_by="extractive",
            relevance=relevance,
        )

    def _generate(self, question: str, language: str, hits: Sequence[Hit]) -> tuple[str, bool] | None:
        assert self.chat is not None
        system, user = grounded_prompt(question, language, hits)
        try:
            text = self.chat.complete(system, user)
        except BackendUnavailable:
            # The passages are still good: answer from them rather than fail the question.
            log.warning("LLM unavailable; answering extractively", exc_info=True)
            return None
        if not text:
            return None
        return text, bool(cited(text, len(hits)))
