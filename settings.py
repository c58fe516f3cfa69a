"""Qiao's configuration: one typed `Settings`, read from `QIAO_*` environment variables or a `.env` file.

No other module reads the environment; everything that needs a setting receives this object.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Language = Literal["zh", "en"]


class Settings(BaseSettings):
    """Every knob of a Qiao deployment, with a default that works offline on one machine."""

    model_config = SettingsConfigDict(env_prefix="QIAO_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Where the SQLite file, vector index and caches live.")
    database_url: str = Field(
        "", description="Any SQLAlchemy URL; empty means a SQLite file `qiao.db` in the data dir (WAL mode)."
    )
    sqlite_busy_timeout_ms: int = Field(10_000, ge=0, description="How long a SQLite writer waits for the lock.")

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)

    timezone: str = Field("Asia/Shanghai", description="IANA zone used for 'today', due dates and SLAs.")
    default_language: Language = "zh"

    llm_base_url: str = Field(
        "", description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1; empty = none."
    )
    llm_model: str = ""
    llm_api_key: SecretStr = SecretStr("")

    max_body_bytes: int = Field(1_000_000, ge=1_024, description="Largest JSON request body accepted (bytes).")
    max_page_size: int = Field(1000, ge=1, description="Largest `limit` a list endpoint accepts.")
    sla_simple_hours: int = Field(24, ge=1, description="Response target for simple feedback (questions, complaints).")
    sla_complex_hours: int = Field(72, ge=1, description="Response target for complex feedback (bugs, features).")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}: use an IANA name such as Asia/Shanghai") from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        """The deployment's time zone."""
        return ZoneInfo(self.timezone)

    @property
    def resolved_database_url(self) -> str:
        """The database URL in force: the configured one, else a SQLite file in the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'qiao.db').resolve()}"

    @property
    def llm_enabled(self) -> bool:
        """Whether an OpenAI-compatible endpoint is configured."""
        return bool(self.llm_base_url and self.llm_model)
