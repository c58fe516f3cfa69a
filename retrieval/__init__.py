"""Vectors and search: embeddings, the Chroma vector store, BM25, hybrid search and grounded answers.

Importing this package loads neither the embedding model nor chromadb nor the LLM client: adapters load them on
first use.
"""

from retrieval.answer import I_DONT_KNOW, extractive_answer
from retrieval.ask import Answer, AskRequest, AskResponse, AskService, Citation, GapLog
from retrieval.bm25 import Bm25Index
from retrieval.chroma_store import ChromaConnection, ChromaStore, HnswParams, VectorMatch, VectorStore
from retrieval.embedder import Embedder, UseEmbedder, Vectors
from retrieval.glossary import english_terms
from retrieval.hybrid import Corpus, HybridSearcher, Method, SearchResult
from retrieval.llm import ChatModel, OpenAIChat, grounded_prompt
from retrieval.passages import CorpusSnapshot, Hit, Passage, SearchFilters
from retrieval.tokens import tokenize

__all__ = [
    "I_DONT_KNOW",
    "Answer",
    "AskRequest",
    "AskResponse",
    "AskService",
    "Bm25Index",
    "ChatModel",
    "ChromaConnection",
    "ChromaStore",
    "Citation",
    "Corpus",
    "CorpusSnapshot",
    "Embedder",
    "GapLog",
    "Hit",
    "HnswParams",
    "HybridSearcher",
    "Method",
    "OpenAIChat",
    "Passage",
    "SearchFilters",
    "SearchResult",
    "UseEmbedder",
    "VectorMatch",
    "VectorStore",
    "Vectors",
    "english_terms",
    "extractive_answer",
    "grounded_prompt",
    "tokenize",
]
