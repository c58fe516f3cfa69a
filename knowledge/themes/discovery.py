"""Theme discovery end to end: read the feedback and its vectors, cluster, label, match to the earlier themes,
and write the result in one transaction (knowledge/themes/store.py). One discovery runs at a time per process."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Sequence

import numpy as np

from errors import Conflict
from knowledge.schemas import Actor
from knowledge.themes.clustering import Clustering, ClusteringParams, cluster
from knowledge.themes.labels import ThemeLabel, label_themes
from knowledge.themes.matching import Previous, match
from knowledge.themes.naming import llm_name
from knowledge.themes.schemas import DiscoveryReport
from knowledge.themes.store import Corpus, Plan, PlannedTheme, ThemeStore
from knowledge.themes.vectors import VectorSource
from retrieval.embedder import Vectors
from retrieval.llm import ChatModel

# The LLM names the largest themes only: each name is a model call.
LLM_NAMED_THEMES = 30


def find_themes(
    vectors: Vectors, texts: Sequence[str], languages: Sequence[str], params: ClusteringParams
) -> tuple[Clustering, list[ThemeLabel]]:
    """Cluster and label: the pure core of discovery (what the eval and the bench time)."""
    found = cluster(vectors, params)
    return found, label_themes(texts, languages, found.labels, found.scores, found.n_themes)


class ThemeDiscovery:
    """Runs discoveries against the database."""

    def __init__(
        self,
        store: ThemeStore,
        vectors: VectorSource,
        params: ClusteringParams,
        chat: ChatModel | None = None,
    ) -> None:
        self.store = store
        self.vectors = vectors
        self.params = params
        self.chat = chat
        self._lock = threading.Lock()

    def discover(self, actor: Actor, seed: int | None = None) -> DiscoveryReport:
        """Find the themes of all feedback now; earlier themes keep their ids and ops' names when found again.
        Raises Conflict while another discovery runs; on any failure the previous themes stay as they were."""
        if not self._lock.acquire(blocking=False):
            raise Conflict(
                "a theme discovery is already running: wait for it to finish (GET /api/v1/themes shows the last run)",
                "主题发现正在运行：请等待其完成（GET /api/v1/themes 可查看最近一次运行）",
            )
        try:
            params = dataclasses.replace(self.params, seed=self.params.seed if seed is None else seed)
            started = self.store.finished_runs()
            run_id = self.store.start_run(actor, params.seed)
            try:
                plan = self.plan(self.store.corpus(), self.store.previous(), params)
                return self.store.save(run_id, plan, actor, started)
            except BaseException as exc:  # record the failure, then let it propagate unchanged
                self.store.fail_run(run_id, f"{type(exc).__name__}: {exc}")
                raise
        finally:
            self._lock.release()

    def plan(self, corpus: Corpus, previous: Sequence[Previous], params: ClusteringParams) -> Plan:
        """The themes of `corpus`, matched to `previous`, ready to write."""
        start = time.perf_counter()
        vectors = self.vectors.vectors(corpus.ids, corpus.texts)
        found, labels = find_themes(vectors, corpus.texts, corpus.languages, params)
        ids = np.asarray(corpus.ids, dtype=np.int64)
        members = [ids[found.labels == c] for c in range(found.n_themes)]
        matched = match(found.centroids, [frozenset(int(i) for i in ms) for ms in members], previous)
        manual = self.store.manual_names()
        themes: list[PlannedTheme] = []
        for c, label in enumerate(labels):
            in_theme = found.labels == c
            quote_texts = [corpus.texts[i] for i in label.quotes]
            wants_llm = self.chat is not None and c < LLM_NAMED_THEMES and matched[c] not in manual
            themes.append(
                PlannedTheme(
                    theme_id=matched[c],
                    members=[int(i) for i in members[c]],
                    scores=[round(float(x), 4) for x in found.scores[in_theme]],
                    centroid=found.centroids[c],
                    keywords=list(label.keywords),
                    quote_ids=[corpus.ids[i] for i in label.quotes],
                    auto_name=label.name,
                    llm_name=llm_name(self.chat, label.keywords, quote_texts) if wants_llm and self.chat else None,
                )
            )
        unthemed = [int(i) for i in ids[found.labels < 0]]
        return Plan(themes=themes, unthemed=unthemed, seconds=time.perf_counter() - start)
