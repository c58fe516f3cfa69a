"""Offset and keyset (cursor) pagination over any select whose rows have an integer `id`."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from errors import InvalidInput


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": last_id}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The id after which the next page starts; InvalidInput for anything we did not issue."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        after = json.loads(base64.urlsafe_b64decode(padded.encode()))["after"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            "cursor is not valid: pass the `next_cursor` value of the previous page unchanged",
            "cursor 无效：请原样传入上一页返回的 `next_cursor`",
        ) from exc
    if not isinstance(after, int) or after < 0:
        raise InvalidInput("cursor is not valid: pass `next_cursor` unchanged", "cursor 无效：请原样传入 `next_cursor`")
    return after


def paginate(
    session: Session,
    stmt: Select[*tuple[Any, ...]],
    id_column: InstrumentedAttribute[int],
    *,
    limit: int,
    offset: int,
    cursor: str | None,
    max_limit: int,
) -> tuple[Sequence[Any], int, str | None]:
    """Run `stmt` ordered by id; returns (rows, total matching, next cursor or None)."""
    if limit > max_limit:
        raise InvalidInput(
            f"limit {limit} is above the maximum {max_limit}: ask for fewer and page with `next_cursor`",
            f"limit {limit} 超过上限 {max_limit}：请减小 limit 并用 `next_cursor` 翻页",
        )
    if cursor is not None and offset:
        raise InvalidInput("pass either `cursor` or `offset`, not both", "`cursor` 与 `offset` 只能二选一")
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    page = stmt.order_by(id_column)
    page = page.where(id_column > decode_cursor(cursor)) if cursor is not None else page.offset(offset)
    rows = session.execute(page.limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(rows[-1][0].id) if more and rows else None
    return rows, total, next_cursor
