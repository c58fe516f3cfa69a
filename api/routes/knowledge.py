"""The help center: /api/v1/ask, and /api/v1/knowledge/* (ingest, gaps, similar feedback)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.auth import MemberCaller, OpsCaller
from api.deps import ServicesDep
from knowledge.feedback_memory import FeedbackMemory, SimilarFeedback
from knowledge.gaps import Gap, GapStore
from knowledge.ingest import IngestReport
from knowledge.ingest_requests import IngestRequest, IngestService
from knowledge.schemas import MAX_ID, Page
from retrieval.ask import Answer, AskRequest, AskResponse, AskService

router = APIRouter(tags=["knowledge"])


def get_asker(services: ServicesDep) -> AskService:
    return services.asker


def get_ingest(services: ServicesDep) -> IngestService:
    return services.ingest


def get_gaps(services: ServicesDep) -> GapStore:
    return services.gaps


def get_feedback_memory(services: ServicesDep) -> FeedbackMemory:
    return services.feedback_memory


AskDep = Annotated[AskService, Depends(get_asker)]
IngestDep = Annotated[IngestService, Depends(get_ingest)]
GapsDep = Annotated[GapStore, Depends(get_gaps)]
FeedbackMemoryDep = Annotated[FeedbackMemory, Depends(get_feedback_memory)]


@router.post(
    "/api/v1/ask",
    response_model=AskResponse,
    summary="Ask the help center a question (Chinese or English)",
    description="Answers from the ingested documents with ranked citations; below the relevance threshold the "
    'answer is "I don\'t know" (grounded=false) and the question is logged as a knowledge gap.',
)
def ask(body: AskRequest, asker: AskDep, _: MemberCaller) -> Answer:
    return asker.ask(body)


@router.post(
    "/api/v1/knowledge/ingest",
    response_model=IngestReport,
    summary="Ingest documents (Markdown, HTML, text, PDF); unchanged ones are skipped",
)
def ingest(body: IngestRequest, service: IngestDep, _: OpsCaller) -> IngestReport:
    return service.ingest(body)


@router.get("/api/v1/knowledge/gaps", response_model=Page[Gap], summary="Questions the help center could not answer")
def list_gaps(
    gaps: GapsDep,
    _: OpsCaller,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[Gap]:
    return gaps.list(limit=limit, offset=offset, cursor=cursor)


@router.get(
    "/api/v1/knowledge/similar-feedback",
    response_model=list[SimilarFeedback],
    summary="Earlier feedback like this text, in either language, with resolutions",
)
def similar_feedback(
    memory: FeedbackMemoryDep,
    _: OpsCaller,
    text: Annotated[str, Query(min_length=1, max_length=10_000, description="The new feedback's text.")],
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
) -> list[SimilarFeedback]:
    return memory.similar(text, limit=limit)
