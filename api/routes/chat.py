"""Conversation: POST /api/v1/chat, its buttons, its history, and a server-sent-events variant."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from api.auth import Caller
from api.deps import ServicesDep
from assistant.cards import TurnResponse
from assistant.engine import Assistant
from assistant.session import Message

router = APIRouter(prefix="/api/v1/chat", tags=["chat"])
SessionId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]


def get_assistant(services: ServicesDep) -> Assistant:
    return services.assistant


AssistantDep = Annotated[Assistant, Depends(get_assistant)]


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_id: str | None = Field(None, max_length=64, description="Omit to start a new conversation.")
    text: str = Field(max_length=20_000, description="What the user typed (up to 2,000 characters are read).")
    lang: Literal["zh", "en"] | None = Field(None, description="Reply language; default: the message's.")
    user: str | None = Field(None, max_length=64, description="The member speaking (key or id), for 'me' and 'my'.")


class ActionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action_id: str = Field(min_length=1, max_length=64)


class History(BaseModel):
    session_id: str
    messages: list[Message]


@router.post("", response_model=TurnResponse, summary="Send a message; get the reply, cards and actions")
def chat(body: ChatRequest, assistant: AssistantDep, who: Caller) -> TurnResponse:
    return assistant.turn(
        body.text, session_id=body.session_id, lang=body.lang, user=who.speaker(body.user), actor=who.actor
    )


@router.post(
    "/stream",
    summary="The same turn as server-sent events: `delta` events carry the reply text, `turn` the full response",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
def chat_stream(body: ChatRequest, assistant: AssistantDep, who: Caller) -> StreamingResponse:
    response = assistant.turn(
        body.text, session_id=body.session_id, lang=body.lang, user=who.speaker(body.user), actor=who.actor
    )

    def events() -> Iterator[str]:
        words = response.reply
        step = 8
        for start in range(0, len(words), step):
            yield f"event: delta\ndata: {json.dumps({'text': words[start : start + step]}, ensure_ascii=False)}\n\n"
        yield f"event: turn\ndata: {response.model_dump_json()}\n\n"

    return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})


@router.post("/{session_id}/actions", response_model=TurnResponse, summary="Press Confirm, Edit or Cancel")
def act(session_id: SessionId, body: ActionRequest, assistant: AssistantDep, who: Caller) -> TurnResponse:
    return assistant.act(session_id, body.action_id, actor=who.actor)


@router.get("/{session_id}", response_model=History, summary="The conversation so far")
def history(session_id: SessionId, assistant: AssistantDep, who: Caller) -> History:
    return History(session_id=session_id, messages=assistant.history(session_id, who.actor))
