"""The offline answer: the sentences of the best passages that are closest to the question, each with its
citation number, in the question's language when the help center has the topic in that language."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from retrieval.embedder import Embedder
from retrieval.passages import Hit

I_DONT_KNOW = {
    "zh": "抱歉，帮助中心里还没有这个问题的答案。我已记录下来，运营同事会补充文档；急事请直接联系支持团队。",
    "en": "I don't know: the help center doesn't answer this yet. I've logged the question so the team can add it; "
    "for anything urgent, contact support.",
}
FROM_OTHER_LANGUAGE = {
    "zh": "（以下内容摘自英文帮助文档）",
    "en": "(From the Chinese help pages.)",
}

# An English sentence ends at . ; : ! ? before a capital or digit, so "e.g. re-assigns" and "Press ? on" stay whole.
_SENTENCE_END = re.compile(r"(?<=[。！？；])|(?<=[.;:!?])\s+(?=[A-Z0-9*\"“(])|\n+")
# Cosine similarity above which two passages in different languages say the same thing (one translates the other).
SAME_TOPIC = 0.6
# Sentences scoring this far below the best one are filler, not answer.
SENTENCE_MARGIN = 0.12
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)、])\s*")


def sentences(text: str) -> list[str]:
    """`text` cut at sentence ends (Chinese and English) and line breaks; list bullets dropped."""
    out = []
    for piece in _SENTENCE_END.split(text):
        sentence = _BULLET.sub("", piece or "").strip()
        if len(sentence) >= 4:
            out.append(sentence)
    return out


def preferred_hits(hits: Sequence[Hit], language: str, embedder: Embedder, within: int = 3) -> tuple[list[int], bool]:
    """Indexes of the hits to answer from, and whether they are in the other language than `language`.

    The best hit decides the topic. When it is in the other language, a hit in `language` among the first
    `within` is used instead only if it says the same thing (the page's translation); otherwise the answer
    quotes the other language rather than a same-language page about something else.
    """
    head = list(range(min(within, len(hits))))
    if not head:
        return [], False
    same = [i for i in head if hits[i].passage.language == language and not hits[i].passage.is_code]
    if hits[0].passage.language == language:
        return same, False
    if same:
        vectors = embedder.encode([hits[0].passage.text] + [hits[i].passage.text for i in same])
        twins = [i for i, sim in zip(same, vectors[1:] @ vectors[0], strict=True) if sim >= SAME_TOPIC]
        if twins:
            return twins, False
    return [i for i in head if hits[i].passage.language == hits[0].passage.language], True


def extractive_answer(
    question: str, language: str, hits: Sequence[Hit], embedder: Embedder, max_sentences: int = 4
) -> str:
    """An answer quoted from `hits`: up to `max_sentences` sentences, each followed by its citation [n]
    (n is the hit's 1-based position). Empty when `hits` is."""
    if not hits:
        return ""
    chosen, translated = preferred_hits(hits, language, embedder)
    candidates: list[tuple[int, int, str]] = []
    for i in chosen:
        if hits[i].passage.is_code:
            continue
        for position, sentence in enumerate(sentences(hits[i].passage.text)):
            candidates.append((i, position, sentence))
    if not candidates:
        return ""
    vectors = embedder.encode([question] + [c[2] for c in candidates])
    similarity = vectors[1:] @ vectors[0]
    # A sentence from a higher-ranked passage gets a small head start: the fused ranking knows more than one cosine.
    bonus = np.asarray([0.05 * (len(chosen) - chosen.index(c[0])) for c in candidates], dtype=np.float32)
    total = similarity + bonus
    best: list[int] = []
    for j in (int(j) for j in np.argsort(-total)):
        if len(best) >= max_sentences or total[j] < total.max() - SENTENCE_MARGIN:
            break
        # A chosen sentence brings the next one of its passage: help pages state a problem, then its fix.
        for k in (j, j + 1):
            same_passage = k < len(candidates) and candidates[k][0] == candidates[j][0]
            if same_passage and k not in best and len(best) < max_sentences:
                best.append(k)
    picked = sorted((candidates[j] for j in best), key=lambda c: (c[0], c[1]))
    # Chinese runs sentences together; English (including English quoted into a Chinese answer) needs spaces.
    joiner = "" if hits[chosen[0]].passage.language == "zh" else " "
    body = joiner.join(f"{sentence} [{i + 1}]" for i, _, sentence in picked)
    return f"{FROM_OTHER_LANGUAGE[language]}{joiner}{body}" if translated else body
