"""Importing feedback in bulk (surveys, app-store exports, old tickets) from JSONL or CSV: one row per item, a
`text` column and optional `reporter`, `department`, `created_at`, `lang`, `kind`, `severity`. Every row is
checked on its own: a bad row is reported (row number, what is wrong, how to fix it, in both languages) and the
good rows are kept. Each row's idempotency key is a hash of its content, so importing the same file again adds
nothing. After the rows are in, their vectors are written in batches and each gets its theme."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Callable, Iterator
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, ValidationError

from errors import InvalidInput, QiaoError
from knowledge.enums import Source
from knowledge.feedback import FeedbackStore
from knowledge.schemas import Actor, FeedbackCreate

Format = Literal["csv", "jsonl"]
COLUMNS = ("text", "reporter", "department", "created_at", "lang", "kind", "severity")
_KIND_ALIASES = {
    "缺陷": "bug",
    "故障": "bug",
    "需求": "feature_request",
    "功能需求": "feature_request",
    "建议": "feature_request",
    "feature": "feature_request",
    "投诉": "complaint",
    "吐槽": "complaint",
    "问题": "question",
    "提问": "question",
    "咨询": "question",
    "表扬": "praise",
    "好评": "praise",
}


class RowError(BaseModel):
    """A row that was not imported: its number (1 = first data row) and what to fix."""

    row: int
    field: str | None
    detail: str
    detail_zh: str


class ImportReport(BaseModel):
    rows: int
    created: int
    unchanged: int = Field(description="Rows imported before (same content): nothing added.")
    failed: int
    errors: list[RowError]
    ignored_columns: list[str]
    themed: int = Field(description="New items that joined an existing theme at once.")
    ids: list[int] = Field(description="Ids of the created items.")


def detect_format(name_or_type: str) -> Format:
    """'csv' or 'jsonl' from a file name or a media type; InvalidInput otherwise."""
    value = name_or_type.lower().split(";")[0].strip()
    if value.endswith(".csv") or value == "text/csv":
        return "csv"
    if value.endswith((".jsonl", ".ndjson", ".json")) or value in ("application/x-ndjson", "application/jsonl"):
        return "jsonl"
    raise InvalidInput(
        f"cannot tell the format of {name_or_type!r}: use a .csv or .jsonl file (or text/csv, application/x-ndjson)",
        f"无法识别 {name_or_type!r} 的格式：请使用 .csv 或 .jsonl 文件（或 text/csv、application/x-ndjson）",
    )


def read_rows(data: bytes, fmt: Format) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    """(row number, fields) per row; a row that cannot even be parsed comes back as a RowError."""
    text = data.decode("utf-8-sig", errors="replace")
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "text" not in [f.strip().lower() for f in reader.fieldnames]:
            raise InvalidInput(
                "the CSV has no `text` column: its first line must name the columns, e.g. text,reporter,created_at",
                "CSV 缺少 `text` 列：第一行须为列名，例如 text,reporter,created_at",
            )
        for number, raw in enumerate(reader, start=1):
            yield number, {(k or "").strip().lower(): v for k, v in raw.items() if k}
        return
    number = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        number += 1
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield (
                number,
                RowError(
                    row=number,
                    field=None,
                    detail=f"not valid JSON ({exc.msg} at column {exc.colno}): write one JSON object per line",
                    detail_zh=f"不是有效的 JSON（第 {exc.colno} 列：{exc.msg}）：每行应为一个 JSON 对象",
                ),
            )
            continue
        if not isinstance(value, dict):
            yield (
                number,
                RowError(
                    row=number,
                    field=None,
                    detail='each line must be a JSON object, e.g. {"text": "..."}',
                    detail_zh='每行须为 JSON 对象，例如 {"text": "..."}',
                ),
            )
            continue
        yield number, {str(k).strip().lower(): v for k, v in value.items()}


def _created_at(value: object, tz: ZoneInfo) -> dt.datetime | None:
    if value in (None, ""):
        return None
    try:
        moment = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"created_at {value!r} is not an ISO 8601 date or time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _language(value: object) -> str | None:
    if value in (None, ""):
        return None
    tag = str(value).strip().lower()
    for prefix, lang in (("zh", "zh"), ("中", "zh"), ("cn", "zh"), ("en", "en"), ("英", "en"), ("mix", "mixed")):
        if tag.startswith(prefix):
            return lang
    raise ValueError(f"lang {value!r} is not zh, en or mixed")


def to_create(fields: dict[str, Any], tz: ZoneInfo) -> FeedbackCreate:
    """A row's fields as a FeedbackCreate; ValueError or ValidationError when something is wrong."""
    kind = fields.get("kind")
    kind = _KIND_ALIASES.get(str(kind).strip().lower(), str(kind).strip().lower()) if kind not in (None, "") else None
    severity = fields.get("severity")
    return FeedbackCreate(
        text=str(fields.get("text") or ""),
        language=_language(fields.get("lang", fields.get("language"))),
        kind=kind,
        severity=str(severity).strip().lower() if severity not in (None, "") else "medium",
        reporter=str(fields["reporter"]).strip() or None if fields.get("reporter") not in (None, "") else None,
        department=str(fields["department"]).strip() or None if fields.get("department") not in (None, "") else None,
        created_at=_created_at(fields.get("created_at"), tz),
        source=Source.import_,
    )


def row_key(data: FeedbackCreate) -> str:
    """The idempotency key of an imported row: the same content always gives the same key."""
    stamp = data.created_at.isoformat() if data.created_at else ""
    digest = hashlib.sha256(f"{data.text}\x1f{data.reporter or ''}\x1f{stamp}".encode()).hexdigest()
    return f"import:{digest[:48]}"


def _error(number: int, exc: Exception) -> RowError:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or None
        name = {"language": "lang"}.get(field or "", field)
        return RowError(
            row=number,
            field=name,
            detail=f"{name}: {first['msg']}; fix this value or leave it empty",
            detail_zh=f"{name} 的值无效（{first['msg']}）：请修正或留空",
        )
    if isinstance(exc, QiaoError):
        return RowError(row=number, field=None, detail=exc.detail_en, detail_zh=exc.detail_zh)
    field = str(exc).split(" ", 1)[0]
    return RowError(
        row=number,
        field=field if field in COLUMNS else None,
        detail=f"{exc}: write created_at as 2026-11-03 or 2026-11-03T09:30:00+08:00, lang as zh or en",
        detail_zh=f"{exc}：created_at 应写成 2026-11-03 或 2026-11-03T09:30:00+08:00，lang 只能是 zh 或 en",
    )


class FeedbackImporter:
    """Bulk import through a FeedbackStore without per-item hooks, then one batched embed and classify."""

    def __init__(
        self,
        store: FeedbackStore,
        tz: ZoneInfo,
        *,
        after_import: Callable[[list[int]], int] | None = None,
        max_rows: int = 100_000,
    ) -> None:
        self.store = store
        self.tz = tz
        self.after_import = after_import
        self.max_rows = max_rows

    def import_bytes(self, data: bytes, fmt: Format, actor: Actor) -> ImportReport:
        """Import every good row of `data`; returns what happened to each."""
        errors: list[RowError] = []
        ids: list[int] = []
        unchanged = rows = 0
        seen_columns: set[str] = set()
        for number, fields in read_rows(data, fmt):
            rows += 1
            if rows > self.max_rows:
                raise InvalidInput(
                    f"more than {self.max_rows} rows: split the file and import the parts one after another",
                    f"超过 {self.max_rows} 行：请拆分文件后分批导入",
                )
            if isinstance(fields, RowError):
                errors.append(fields)
                continue
            seen_columns |= set(fields)
            try:
                create = to_create(fields, self.tz)
                item, created = self.store.create(create, actor, row_key(create))
            except (ValueError, QiaoError) as exc:  # ValidationError is a ValueError
                errors.append(_error(number, exc))
                continue
            if created:
                ids.append(item.id)
            else:
                unchanged += 1
        themed = self.after_import(ids) if self.after_import and ids else 0
        return ImportReport(
            rows=rows,
            created=len(ids),
            unchanged=unchanged,
            failed=len(errors),
            errors=errors,
            ignored_columns=sorted(seen_columns - set(COLUMNS) - {"language"}),
            themed=themed,
            ids=ids,
        )
