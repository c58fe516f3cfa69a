"""Logging setup: one JSON object per line on stderr (or a masked text line for a terminal), the request id on every
record written while a request runs, and uvicorn's loggers folded into ours (docs/operations.md, "Logs / 日志").

`logging_config` is a `logging.config.dictConfig` dict, so uvicorn applies the same setup in every worker process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import logging.config
from collections.abc import Mapping
from contextvars import ContextVar, Token
from typing import Any, Literal

from api.masking import mask

LogFormat = Literal["json", "text"]
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
ERROR_LOGGER = "qiao.error"
ACCESS_LOGGER = "qiao.access"

_request_id: ContextVar[str | None] = ContextVar("qiao_request_id", default=None)
# The attributes every LogRecord has; anything else on a record came from `extra=`. color_message is uvicorn's
# ANSI-coloured duplicate of the message.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
    "color_message",
}
_LOGGED_MARK = "_qiao_logged"


def bind_request_id(request_id: str) -> Token[str | None]:
    """Make `request_id` the id stamped on records logged from this context; returns the token to reset it with."""
    return _request_id.set(request_id)


def unbind_request_id(token: Token[str | None]) -> None:
    """Undo the matching `bind_request_id`."""
    _request_id.reset(token)


def mark_logged(exc: BaseException) -> None:
    """Note that `exc`'s traceback is already in the log, so the copies that the 500 handler and uvicorn write
    as the exception travels outward are dropped (`SkipRelogged`)."""
    # An exception class with __slots__ and no __dict__ can't be marked: a duplicate traceback is the lesser harm.
    with contextlib.suppress(AttributeError):
        setattr(exc, _LOGGED_MARK, True)


class StampRequestId(logging.Filter):
    """Adds `request_id` to records logged while a request runs (also from the threadpool, which copies context)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = _request_id.get()
        if request_id is not None and not hasattr(record, "request_id"):
            record.request_id = request_id
        return True


class SkipRelogged(logging.Filter):
    """Drops a traceback that `qiao.error` has already written with the request id (see `mark_logged`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return record.name == ERROR_LOGGER or not getattr(exc, _LOGGED_MARK, False)


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return mask(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Mapping):
        return {str(k): _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_scrub(v) for v in value]
    return mask(str(value))


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {k: _scrub(v) for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts (ISO 8601, UTC), level, logger, message, the record's `extra` fields, and
    exc_info / stack_info as text. Every string is passed through `mask`."""

    def format(self, record: logging.LogRecord) -> str:
        ts = dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds")
        line: dict[str, Any] = {
            "ts": ts.replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask(record.getMessage()),
        }
        for key, value in _extras(record).items():
            line.setdefault(key, value)  # an extra named like a core field must not overwrite it
        if record.exc_info:
            line["exc_info"] = mask(self.formatException(record.exc_info))
        if record.stack_info:
            line["stack_info"] = mask(self.formatStack(record.stack_info))
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """`ts LEVEL logger: message key=value …` for a developer's terminal, masked like the JSON lines."""

    def format(self, record: logging.LogRecord) -> str:
        ts = dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds")
        parts = [f"{ts.replace('+00:00', 'Z')} {record.levelname:<7} {record.name}: {mask(record.getMessage())}"]
        parts += [f"{key}={value}" for key, value in _extras(record).items()]
        text = " ".join(parts)
        if record.exc_info:
            text += "\n" + mask(self.formatException(record.exc_info))
        return text


def logging_config(level: str, fmt: LogFormat) -> dict[str, Any]:
    """The `dictConfig` for `level` (DEBUG … CRITICAL, any case) and `fmt`: one stderr handler on the root logger;
    uvicorn's loggers write through it; uvicorn's access log is off (`RequestLog` writes `qiao.access`).
    Raises ValueError for an unknown level."""
    name = level.strip().upper()
    if name not in LEVELS:
        raise ValueError(
            f"QIAO_LOG_LEVEL={level!r} is not a level: use one of {', '.join(LEVELS)} / "
            f"QIAO_LOG_LEVEL 取值无效：请用 {', '.join(LEVELS)} 之一"
        )
    formatter = JsonFormatter if fmt == "json" else TextFormatter
    return {
        "version": 1,
        # Loggers made at import time (qiao.*, alembic, …) must keep working.
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": f"{__name__}.{StampRequestId.__name__}"},
            "relogged": {"()": f"{__name__}.{SkipRelogged.__name__}"},
        },
        "formatters": {"qiao": {"()": f"{__name__}.{formatter.__name__}"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "qiao",
                "filters": ["request_id", "relogged"],
            },
            "null": {"class": "logging.NullHandler"},
        },
        "root": {"level": name, "handlers": ["stderr"]},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": ["null"], "propagate": False},
            # Seven "setup plugin …" lines at every start say nothing an operator can act on.
            "alembic.runtime.plugins": {"level": "WARNING"},
        },
    }


def configure_logging(level: str, fmt: LogFormat) -> None:
    """Install Qiao's logging on the root and uvicorn loggers. Idempotent: a second call replaces the first.
    Raises ValueError for an unknown level."""
    logging.config.dictConfig(logging_config(level, fmt))
    logging.getLogger("uvicorn.access").disabled = True
    # A library's warnings.warn() at runtime becomes a log line too, instead of a bare line on stderr.
    logging.captureWarnings(True)
