"""Scoring helpers shared by the evals: classification figures, slot comparison, latency percentiles."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from intents.directory import Directory
from intents.mention import find_spelling

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
TITLE_SIMILARITY = 0.85


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float
    support: int


def prf(tp: int, fp: int, fn: int) -> PRF:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return PRF(round(p, 4), round(r, 4), round(f, 4), tp + fn)


def per_class(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, PRF]:
    out = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        out[label] = prf(tp, fp, fn)
    return out


def percentile_ms(seconds: Sequence[float], q: float) -> float:
    return round(float(np.percentile(np.array(seconds) * 1000, q)), 2) if seconds else 0.0


def normalise(text: str) -> str:
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text).casefold())


def title_matches(gold: str, pred: str) -> bool:
    """Equal after folding case, width, spaces and punctuation, or at least 85% similar by characters
    (a stray particle or article does not make a title wrong; a missing or extra clause does)."""
    g, p = normalise(gold), normalise(pred)
    return g == p or difflib.SequenceMatcher(None, g, p).ratio() >= TITLE_SIMILARITY


def _identity(value: str, index: tuple[tuple[str, int], ...]) -> str:
    found = find_spelling(value, index)
    if found is not None and normalise(found[0]) == normalise(value):
        return f"#{found[1]}"
    return normalise(re.sub(r"\s*(项目|project)$", "", value, flags=re.I))


def slot_matches(name: str, gold: str, pred: str, directory: Directory) -> bool:
    """Whether a predicted slot value means the gold one: people and projects compare by the member or
    project they resolve to ('老张' = '张三'), titles by `title_matches`, the rest exactly."""
    if name == "title":
        return title_matches(gold, pred)
    if name == "assignee":
        if "me" in (gold.casefold(), pred.casefold()) or "我" in (gold, pred):
            return {gold.casefold(), pred.casefold()} <= {"me", "我"}
        return _identity(gold, directory.people_index) == _identity(pred, directory.people_index)
    if name == "project":
        return _identity(gold, directory.project_index) == _identity(pred, directory.project_index)
    return gold == pred


def confusion(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> list[list[int]]:
    counts = Counter(zip(gold, pred, strict=True))
    return [[counts[(g, p)] for p in labels] for g in labels]
