"""The one place that turns Settings into the adapters and services a running Qiao uses."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from assistant.context import Deps
from assistant.engine import Assistant
from assistant.session import SessionStore
from assistant.transcriber import Decoding, FasterWhisper, Transcriber
from assistant.voice import VoiceService
from assistant.voice_chat import VoiceChat
from assistant.whisper_model import resolve_model_dir
from intents.directory import Entry
from intents.service import Understanding
from knowledge.chunking import Chunker
from knowledge.db import Database
from knowledge.documents import DocumentStore
from knowledge.feedback import FeedbackStore
from knowledge.feedback_memory import FeedbackMemory
from knowledge.gaps import GapStore
from knowledge.ingest import Ingestor
from knowledge.ingest_requests import IngestService
from knowledge.keys import KeyStore, file_secret
from knowledge.schemas import Feedback
from knowledge.themes import (
    ClusteringParams,
    FeedbackImporter,
    FeedbackVectors,
    ReportBuilder,
    ThemeClassifier,
    ThemeDiscovery,
    ThemeMapper,
    ThemeReview,
    ThemeService,
    ThemeStats,
    ThemeStore,
)
from knowledge.workspace import SqlTaskStore, TaskStore
from retrieval.ask import AskService
from retrieval.chroma_store import ChromaConnection, ChromaStore, HnswParams
from retrieval.embedder import Embedder, UseEmbedder
from retrieval.hybrid import HybridSearcher
from retrieval.llm import ChatModel, OpenAIChat
from settings import Settings


@dataclass
class Services:
    """Everything a request handler may call, built once per app."""

    settings: Settings
    db: Database
    tasks: TaskStore
    feedback: FeedbackStore
    vectors: ChromaConnection
    documents: DocumentStore
    ingestor: Ingestor
    ingest: IngestService
    searcher: HybridSearcher
    asker: AskService
    gaps: GapStore
    feedback_memory: FeedbackMemory
    understanding: Understanding
    assistant: Assistant
    voice_chat: VoiceChat
    voice: VoiceService
    themes: ThemeService
    keys: KeyStore

    def close(self) -> None:
        self.vectors.close()
        self.db.dispose()


def server_secret(settings: Settings) -> Callable[[], bytes]:
    """QIAO_SECRET_KEY, else a random secret kept in <data_dir>/secret.key."""
    configured = settings.secret_key.get_secret_value()
    if configured:
        return lambda: configured.encode()
    return file_secret(settings.data_dir / "secret.key")


@functools.cache
def shared_embedder(threads: int) -> Embedder:
    """One sentence encoder per process (its weights load on first use and are shared by every app)."""
    return UseEmbedder(threads=threads)


def build_transcriber(settings: Settings) -> Transcriber:
    """Whisper from QIAO_WHISPER_MODEL_DIR, else the bundled base model (joined into the model cache on first use)."""
    return FasterWhisper(
        lambda: resolve_model_dir(settings.whisper_model_dir, settings.resolved_model_cache_dir),
        threads=settings.whisper_threads,
        decoding=whisper_decoding(settings),
    )


def whisper_decoding(settings: Settings) -> Decoding:
    """Whisper's decoding options from QIAO_WHISPER_* settings."""
    return Decoding(
        beam_size=settings.whisper_beam_size,
        patience=settings.whisper_patience,
        length_penalty=settings.whisper_length_penalty,
        prompt_zh=settings.whisper_prompt_zh,
        vad_min_silence_ms=settings.whisper_vad_min_silence_ms,
        vad_speech_pad_ms=settings.whisper_vad_speech_pad_ms,
    )


def build_themes(
    settings: Settings,
    db: Database,
    embedder: Embedder,
    feedback_vectors: ChromaStore,
    memory: FeedbackMemory,
    chat: ChatModel | None,
) -> ThemeService:
    """Feedback themes (docs/themes.md): discovery, the classifier for new items, review, reports, imports."""
    store = ThemeStore(db)
    vectors = FeedbackVectors(embedder, feedback_vectors)
    params = ClusteringParams(
        sample_size=settings.themes_sample_size,
        min_size=settings.themes_min_size,
        assign_similarity=settings.themes_assign_similarity,
        seed=settings.themes_seed,
    )
    classifier = ThemeClassifier(db, store, embedder, vectors, min_similarity=settings.themes_assign_similarity)

    def after_import(ids: list[int]) -> int:
        memory.sync()  # embed the new rows in batches, so the classifier reads their vectors
        return classifier.assign_unthemed(ids)

    # Imports write through a store without the per-item hook: vectors and themes follow in one batch.
    import_store = FeedbackStore(
        db,
        simple_hours=settings.sla_simple_hours,
        complex_hours=settings.sla_complex_hours,
        max_page_size=settings.max_page_size,
    )
    return ThemeService(
        discovery=ThemeDiscovery(store, vectors, params, chat if settings.themes_llm_names else None),
        classifier=classifier,
        review=ThemeReview(db, vectors, params),
        stats=ThemeStats(db, store, settings.tz, settings.max_page_size),
        reports=ReportBuilder(db, settings.tz),
        mapper=ThemeMapper(db, vectors),
        importer=FeedbackImporter(import_store, settings.tz, after_import=after_import),
    )


def build_services(settings: Settings) -> Services:
    """Wire the services for `settings`. Cheap: nothing heavy loads until first use."""
    db = Database(settings)
    embedder = shared_embedder(settings.embed_threads)
    vectors = ChromaConnection(settings.data_dir / "chroma", settings.chroma_url)
    hnsw = HnswParams(settings.hnsw_ef_construction, settings.hnsw_ef_search, settings.hnsw_max_neighbors)
    documents = DocumentStore(db)
    docs_store = ChromaStore(vectors, "qiao_docs", embedder, hnsw)
    sentence_store = ChromaStore(vectors, "qiao_doc_sentences", embedder, hnsw) if settings.sentence_share > 0 else None
    searcher = HybridSearcher(
        documents,
        docs_store,
        embedder,
        fusion=settings.fusion,
        dense_share=settings.dense_share,
        rrf_k=settings.rrf_k,
        dense_weight=settings.dense_weight,
        bm25_weight=settings.bm25_weight,
        unknown_term_penalty=settings.unknown_term_penalty,
        exact_below=settings.exact_search_below,
        sentences=sentence_store,
        sentence_share=settings.sentence_share,
    )
    gaps = GapStore(db, settings.max_page_size)
    chat = (
        OpenAIChat(
            settings.llm_base_url,
            settings.llm_model,
            settings.llm_api_key.get_secret_value(),
            max_tokens=settings.llm_max_tokens,
            timeout_s=settings.llm_timeout_s,
        )
        if settings.llm_enabled
        else None
    )
    memory = FeedbackMemory(
        db, ChromaStore(vectors, "qiao_feedback", embedder, hnsw), embedder, min_score=settings.feedback_similarity
    )
    ingestor = Ingestor(
        documents,
        docs_store,
        embedder,
        Chunker(settings.chunk_size, settings.chunk_overlap),
        sentences=sentence_store,
    )
    tasks = SqlTaskStore(db, settings.tz, settings.max_page_size)

    def directory() -> tuple[list[Entry], list[Entry]]:
        people = [Entry(m.id, m.name, tuple(m.aliases)) for m in tasks.list_members()]
        projects = [Entry(p.id, p.name, (p.name_en or "", p.key, *p.aliases)) for p in tasks.list_projects()]
        return people, projects

    themes = build_themes(settings, db, embedder, ChromaStore(vectors, "qiao_feedback", embedder, hnsw), memory, chat)

    def on_feedback_created(item: Feedback) -> None:
        memory.remember_quietly(item)  # first: the classifier then reuses the vector the embedder just cached
        themes.on_feedback_created(item)

    feedback = FeedbackStore(
        db,
        simple_hours=settings.sla_simple_hours,
        complex_hours=settings.sla_complex_hours,
        max_page_size=settings.max_page_size,
        on_created=on_feedback_created,
    )
    understanding = Understanding(embedder, settings.resolved_model_cache_dir, directory, settings.tz)
    asker = AskService(
        searcher, embedder, gaps, chat, threshold=settings.relevance_threshold, top_k=settings.retrieval_top_k
    )
    deps = Deps(tasks, feedback, memory, asker, understanding, SessionStore(db), settings.tz, chat)
    assistant = Assistant(deps)
    voice = VoiceService(
        build_transcriber(settings),
        understanding,
        max_seconds=settings.voice_max_seconds,
        max_bytes=settings.voice_max_bytes,
    )
    return Services(
        settings=settings,
        db=db,
        tasks=tasks,
        feedback=feedback,
        vectors=vectors,
        documents=documents,
        ingestor=ingestor,
        ingest=IngestService(ingestor, settings.docs_dir, settings.ingest_dirs),
        searcher=searcher,
        asker=asker,
        gaps=gaps,
        feedback_memory=memory,
        understanding=understanding,
        assistant=assistant,
        voice=voice,
        voice_chat=VoiceChat(voice, assistant),
        themes=themes,
        keys=KeyStore(db, server_secret(settings)),
    )
