"""Understanding one message: POST /api/v1/parse."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from api.auth import MemberCaller
from api.deps import ServicesDep
from intents.service import Understanding
from intents.types import ParseResult

router = APIRouter(prefix="/api/v1", tags=["understanding"])


def get_understanding(services: ServicesDep) -> Understanding:
    return services.understanding


UnderstandingDep = Annotated[Understanding, Depends(get_understanding)]


class ParseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=20_000, description="What the user typed or said (up to 2,000 characters parse).")
    now: dt.datetime | None = Field(None, description="Reference time for relative dates; default: now.")
    timezone: str | None = Field(None, max_length=64, description="IANA zone, e.g. Asia/Shanghai; default: server's.")


@router.post("/parse", response_model=ParseResult, summary="Intent, confidence, language and slots of a message")
def parse(body: ParseRequest, understanding: UnderstandingDep, _: MemberCaller) -> ParseResult:
    return understanding.parse(body.text, body.now, body.timezone)
