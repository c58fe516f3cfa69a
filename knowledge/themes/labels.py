"""What a theme is about, in words: c-TF-IDF keywords (BERTopic's class-based TF-IDF: a word's frequency within a
theme, times the log of how rare it is across all themes), the theme's most central items as quotes, and a
readable name made of the top keywords of each language present."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import CountVectorizer

from knowledge.themes.clustering import Labels, Scores
from knowledge.themes.terms import is_chinese, terms

MAX_TEXTS_PER_THEME = 300


@dataclass(frozen=True)
class ThemeLabel:
    """Keywords best first, the indices of the quotes (most central first), and the keyword name."""

    keywords: tuple[str, ...]
    quotes: tuple[int, ...]
    name: str


def _sample(labels: Labels, scores: Scores, k: int) -> npt.NDArray[np.int64]:
    """At most MAX_TEXTS_PER_THEME items of each theme, the most central ones (deterministic, bounded cost)."""
    chosen: list[npt.NDArray[np.int64]] = []
    for c in range(k):
        members = np.flatnonzero(labels == c)
        if len(members) > MAX_TEXTS_PER_THEME:
            members = members[np.argsort(-scores[members], kind="stable")[:MAX_TEXTS_PER_THEME]]
        chosen.append(members)
    return np.sort(np.concatenate(chosen)) if chosen else np.zeros(0, dtype=np.int64)


def c_tf_idf(texts: Sequence[str], labels: Labels, scores: Scores, k: int, top: int = 10) -> list[list[str]]:
    """The `top` keywords of each of the `k` themes (labels -1 are ignored), best first."""
    if k == 0:
        return []
    rows = _sample(labels, scores, k)
    vectorizer = CountVectorizer(analyzer=terms)
    try:
        counts = csr_matrix(vectorizer.fit_transform([texts[i] for i in rows]))
    except ValueError:  # no item has a single keyword (e.g. only emoji)
        return [[] for _ in range(k)]
    vocabulary = np.asarray(vectorizer.get_feature_names_out())
    onehot = csr_matrix((np.ones(len(rows)), (labels[rows], np.arange(len(rows)))), shape=(k, len(rows)))
    per_theme = np.asarray((onehot @ counts).todense(), dtype=np.float64)
    docs_with = np.asarray((onehot @ (counts > 0).astype(np.float64)).todense())
    words = per_theme.sum(axis=1, keepdims=True)
    tf = per_theme / np.maximum(words, 1)
    frequency = per_theme.sum(axis=0)
    average = float(words.mean())
    weights = tf * np.log1p(average / np.maximum(frequency, 1))
    sizes = np.bincount(labels[rows], minlength=k)
    out: list[list[str]] = []
    for c in range(k):
        # Words that at least two of the theme's items use come first; in a small bilingual theme few words
        # are shared, so the best single-item words fill the rest.
        shared = (docs_with[c] >= min(2, sizes[c])) & (per_theme[c] > 0)
        score = np.where(per_theme[c] > 0, weights[c] + shared * (weights.max() + 1.0), -1.0)
        best = [i for i in np.argsort(-score, kind="stable")[:top] if score[i] > 0]
        out.append([str(vocabulary[i]) for i in best])
    return out


def keyword_name(keywords: Sequence[str], languages: Sequence[str]) -> str:
    """A readable name: the top two Chinese keywords and the top two English ones when the theme has items in
    both languages ("提醒、通知 / notifications, digest"), else its top three keywords."""
    zh = [w for w in keywords if is_chinese(w)]
    en = [w for w in keywords if not is_chinese(w)]
    has_zh = any(lang in ("zh", "mixed") for lang in languages)
    has_en = any(lang in ("en", "mixed") for lang in languages)
    if zh and en and has_zh and has_en:
        return f"{'、'.join(zh[:2])} / {', '.join(en[:2])}"
    if not keywords:
        return "未命名主题 / Unnamed theme"
    top = list(keywords[:3])
    return "、".join(top) if all(is_chinese(w) for w in top) else ", ".join(top)


def quotes(members: npt.NDArray[np.int64], scores: Scores, languages: Sequence[str], n: int = 3) -> list[int]:
    """The `n` most central members, but with the best item of each language present among them."""
    ranked = [int(i) for i in members[np.argsort(-scores[members], kind="stable")]]
    picked: list[int] = []
    for lang in dict.fromkeys(languages[i] for i in ranked):  # languages in order of their best item
        picked.append(next(i for i in ranked if languages[i] == lang))
        if len(picked) == n:
            break
    picked += [i for i in ranked if i not in picked][: n - len(picked)]
    return sorted(picked, key=lambda i: -float(scores[i]))


def label_themes(
    texts: Sequence[str], languages: Sequence[str], labels: Labels, scores: Scores, k: int
) -> list[ThemeLabel]:
    """Keywords, quotes and a name for each of the `k` themes."""
    keywords = c_tf_idf(texts, labels, scores, k)
    out: list[ThemeLabel] = []
    for c in range(k):
        members = np.flatnonzero(labels == c)
        member_languages = [languages[int(i)] for i in members]
        out.append(
            ThemeLabel(
                keywords=tuple(keywords[c]),
                quotes=tuple(quotes(members, scores, languages)),
                name=keyword_name(keywords[c], member_languages),
            )
        )
    return out
