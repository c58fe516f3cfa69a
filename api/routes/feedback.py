"""Feedback: /api/v1/feedback."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from api.auth import MemberCaller, OpsCaller
from api.deps import FeedbackDep, IdempotencyKey
from knowledge.enums import FeedbackKind, FeedbackStatus
from knowledge.schemas import MAX_ID, Feedback, FeedbackCreate, FeedbackPatch, FeedbackQuery, Page

router = APIRouter(prefix="/api/v1/feedback", tags=["feedback"])
FeedbackId = Annotated[int, Path(ge=1, le=MAX_ID)]
# `{feedback_id:int}` in the paths: PATCH /bulk is then a 405 (POST only), not a 422 about a non-numeric id.


@router.get("", response_model=Page[Feedback], summary="List feedback, filtered and paged")
def list_feedback(
    feedback: FeedbackDep,
    who: MemberCaller,
    kind: Annotated[list[FeedbackKind] | None, Query(description="Repeat for several.")] = None,
    status_: Annotated[list[FeedbackStatus] | None, Query(alias="status")] = None,
    theme: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Theme id.")] = None,
    since: Annotated[dt.datetime | None, Query(description="Created at or after (ISO 8601).")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[Feedback]:
    query = FeedbackQuery(
        kind=kind,
        status=status_,
        theme=theme,
        since=since,
        visible_to=who.viewer,
        limit=limit,
        offset=offset,
        cursor=cursor,
    )
    return feedback.list(query)


@router.post(
    "",
    response_model=Feedback,
    status_code=status.HTTP_201_CREATED,
    summary="Report feedback",
    responses={200: {"description": "Replayed: this Idempotency-Key already stored the item."}},
)
def create_feedback(
    body: FeedbackCreate,
    feedback: FeedbackDep,
    who: MemberCaller,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> Feedback:
    item, created = feedback.create(body, who.actor, idempotency_key)
    if not created:
        response.status_code = status.HTTP_200_OK
    return item


@router.get("/{feedback_id:int}", response_model=Feedback, summary="Get one feedback item")
def get_feedback(feedback_id: FeedbackId, feedback: FeedbackDep, who: MemberCaller) -> Feedback:
    return feedback.get(feedback_id, who.viewer)


@router.patch("/{feedback_id:int}", response_model=Feedback, summary="Triage or resolve a feedback item")
def update_feedback(feedback_id: FeedbackId, body: FeedbackPatch, feedback: FeedbackDep, who: OpsCaller) -> Feedback:
    return feedback.update(feedback_id, body, who.actor)
