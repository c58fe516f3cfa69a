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
BUNDLED_DOCS = Path(__file__).resolve().parent / "knowledge" / "docs"


class Settings(BaseSettings):
    """Every knob of a Qiao deployment, with a default that works offline on one machine."""

    model_config = SettingsConfigDict(env_prefix="QIAO_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Where the SQLite file, vector index and caches live.")
    database_url: str = Field(
        "", description="Any SQLAlchemy URL; empty means a SQLite file `qiao.db` in the data dir (WAL mode)."
    )
    model_cache_dir: Path | None = Field(
        None, description="Where trained classifiers are cached; empty means `models/` in the data dir."
    )
    warm_start: bool = Field(True, description="Load and train the models in the background at startup.")
    sqlite_busy_timeout_ms: int = Field(10_000, ge=0, description="How long a SQLite writer waits for the lock.")

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    log_level: str = Field("INFO", description="Lowest level logged: DEBUG, INFO, WARNING, ERROR or CRITICAL.")
    log_format: Literal["json", "text"] = Field(
        "json", description="json: one masked JSON object per line (for collectors); text: for a terminal."
    )

    timezone: str = Field("Asia/Shanghai", description="IANA zone used for 'today', due dates and SLAs.")
    default_language: Language = "zh"

    llm_base_url: str = Field(
        "", description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1; empty = none."
    )
    llm_model: str = ""
    llm_api_key: SecretStr = SecretStr("")

    # Access control and limits (docs/security.md).
    auth_required: bool = Field(
        True, description="Require `Authorization: Bearer <key>` on the API; false only for a private dev machine."
    )
    secret_key: SecretStr = Field(
        SecretStr(""),
        description="Derives site keys' signing secrets; empty = a random one kept in <data_dir>/secret.key.",
    )
    rate_limit_key_per_minute: int = Field(
        600, ge=0, description="Requests a key may make per minute (bursts up to that many); 0 = no limit."
    )
    rate_limit_ip_per_minute: int = Field(
        1200, ge=0, description="Requests one client address may make per minute, keys or not; 0 = no limit."
    )
    request_timeout_s: float = Field(30.0, gt=0, description="Longest a request may run before a 504.")
    voice_timeout_s: float = Field(120.0, gt=0, description="Longest a voice or transcription request may run.")
    batch_timeout_s: float = Field(
        900.0, gt=0, description="Longest an ingest, a bulk feedback import or a theme discovery may run."
    )
    shutdown_grace_s: float = Field(30.0, ge=0, description="How long a stopping server lets requests finish.")
    user_token_max_age_s: int = Field(
        7 * 86_400, ge=60, description="Longest lifetime a widget user token may claim (its exp - now)."
    )
    demo_user: str = Field("zhaomin", description="The member the demo page's widget speaks as (key or id).")

    max_body_bytes: int = Field(1_000_000, ge=1_024, description="Largest JSON request body accepted (bytes).")
    max_page_size: int = Field(1000, ge=1, description="Largest `limit` a list endpoint accepts.")
    sla_simple_hours: int = Field(24, ge=1, description="Response target for simple feedback (questions, complaints).")
    sla_complex_hours: int = Field(72, ge=1, description="Response target for complex feedback (bugs, features).")

    # Knowledge and retrieval (docs/retrieval.md). Retrieval defaults were tuned on evals/data/retrieval/*_dev.jsonl.
    docs_dir: Path = Field(BUNDLED_DOCS, description="The help center `qiao ingest` reads when given no path.")
    ingest_dirs: list[Path] = Field(
        default_factory=list, description="Folders POST /api/v1/knowledge/ingest may read besides docs_dir."
    )
    chroma_url: str = Field(
        "",
        description="Chroma server, e.g. http://127.0.0.1:8001 (`chroma run`); empty = embedded in <data_dir>/chroma.",
    )
    embed_threads: int = Field(1, ge=1, le=64, description="Threads the sentence encoder may use.")
    chunk_size: int = Field(400, ge=100, le=8000, description="Largest chunk, in characters.")
    chunk_overlap: int = Field(60, ge=0, le=2000, description="Characters shared by neighbouring chunks of a section.")
    retrieval_top_k: int = Field(5, ge=1, le=50, description="Passages /ask cites when the request doesn't say.")
    fusion: Literal["rrf", "convex"] = Field(
        "rrf", description="How dense and BM25 results combine: reciprocal ranks (rrf) or scaled scores (convex)."
    )
    dense_share: float = Field(
        0.4, ge=0, le=1, description="Share of the embedding score in convex fusion; BM25 gets the rest."
    )
    rrf_k: int = Field(5, ge=1, description="Reciprocal rank fusion constant: larger flattens the rank weights.")
    dense_weight: float = Field(0.5, ge=0, description="Weight of the embedding ranking in rrf fusion.")
    sentence_share: float = Field(
        0.25,
        ge=0,
        le=1,
        description="Share of a passage's best sentence in its embedding score (docs/retrieval.md); "
        "0 = no sentence vectors, for an ingest about twice as fast.",
    )
    bm25_weight: float = Field(1.0, ge=0, description="Weight of the BM25 (keyword) ranking in rrf fusion.")
    relevance_threshold: float = Field(
        0.28, ge=-1, le=1, description="Relevance below which /ask answers 'I don't know' (cosine, less the penalty)."
    )
    unknown_term_penalty: float = Field(
        0.2, ge=0, le=1, description="Relevance lost when none of the question's specific words is in any document."
    )
    hnsw_ef_construction: int = Field(200, ge=10, description="HNSW build-time candidate list (recall vs speed).")
    hnsw_ef_search: int = Field(200, ge=10, description="HNSW query-time candidate list (recall vs latency).")
    hnsw_max_neighbors: int = Field(32, ge=4, description="HNSW links per node (recall vs memory).")
    exact_search_below: int = Field(
        20_000, ge=0, description="Corpora of at most this many chunks are searched exactly, not through HNSW."
    )
    feedback_similarity: float = Field(
        0.45, ge=-1, le=1, description="Cosine similarity from which feedback counts as a possible duplicate."
    )
    llm_max_tokens: int = Field(400, ge=16, description="Longest LLM answer, in tokens.")
    llm_timeout_s: float = Field(60.0, gt=0, description="How long to wait for the LLM before answering without it.")

    # Voice (docs/voice.md).
    whisper_model_dir: Path | None = Field(
        None,
        description="A CTranslate2 Whisper model folder (e.g. faster-whisper-small or large-v3, better for Mandarin); "
        "empty = the bundled base model, joined once into `whisper-base/` in the model cache.",
    )
    whisper_threads: int = Field(2, ge=1, le=64, description="CPU threads Whisper may use.")
    # Decoding options; defaults chosen on the synthetic dev set (qiao eval speech --split dev), not the test clips.
    whisper_beam_size: int = Field(5, ge=1, le=20, description="Beam search width (1 = greedy).")
    whisper_patience: float = Field(
        1.0, gt=0, le=4, description="Beam search patience: >1 keeps searching after the first finished beams."
    )
    whisper_length_penalty: float = Field(
        0.6,
        ge=0,
        le=2,
        description="Exponent of the length normalisation of beam scores (1 = per-token average, 0 = none); "
        "below 1 favours shorter transcripts over runaway repetitions.",
    )
    whisper_prompt_zh: str = Field(
        "", max_length=200, description="Text Whisper reads before Mandarin audio (steers script and punctuation)."
    )
    whisper_vad_min_silence_ms: int = Field(
        2000, ge=0, le=10_000, description="Shortest silence (ms) at which the voice-activity filter splits speech."
    )
    whisper_vad_speech_pad_ms: int = Field(
        400, ge=0, le=2000, description="Audio (ms) kept on each side of detected speech."
    )
    voice_max_seconds: float = Field(60.0, gt=0, le=600, description="Longest audio clip accepted (seconds).")
    voice_max_bytes: int = Field(10_000_000, ge=1_024, description="Largest audio file accepted (bytes).")

    # Feedback themes (docs/themes.md). Defaults were tuned on CLINC150's train split, never on banking77.
    themes_assign_similarity: float = Field(
        0.45,
        ge=-1,
        le=1,
        description="Cosine to a theme's centroid from which an item joins it (new items, and discovery's outliers).",
    )
    themes_min_size: int = Field(3, ge=2, description="Fewest items a theme has; smaller groups are not themes.")
    themes_sample_size: int = Field(
        4000, ge=100, description="Items clustered directly; above this, a seeded sample is, and the rest classified."
    )
    themes_seed: int = Field(0, ge=0, description="Seed of discovery's sampling: same data and seed, same themes.")
    themes_llm_names: bool = Field(True, description="Let the LLM (when configured) name the largest themes.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}: use an IANA name such as Asia/Shanghai") from exc
        return value

    @field_validator("whisper_model_dir", mode="before")
    @classmethod
    def _empty_is_bundled(cls, value: object) -> object:
        # QIAO_WHISPER_MODEL_DIR= (set but empty) means the bundled model, not the current directory.
        return None if isinstance(value, str) and not value.strip() else value

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
    def resolved_model_cache_dir(self) -> Path:
        """Where trained classifiers are cached."""
        return self.model_cache_dir or self.data_dir / "models"

    @property
    def llm_enabled(self) -> bool:
        """Whether an OpenAI-compatible endpoint is configured."""
        return bool(self.llm_base_url and self.llm_model)
