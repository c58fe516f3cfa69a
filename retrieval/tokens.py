"""BM25 tokens for Chinese, English and the mix of both: jieba words for Chinese runs, lower-cased and lightly
Snowball-stemmed words for Latin runs (a compound such as `getTaskByReference`, `two-factor` or `config.php` also
gives its parts), minus the function words that only add noise to keyword scores."""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections.abc import Iterator
from typing import Any

# Stored with each ingested file's hash: a change re-ingests every document, so stored tokens never go stale.
TOKENIZER_VERSION = "2"

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['.+#-][A-Za-z0-9]+)*")
# The parts of a compound word: "getTaskByReference" → get, Task, By, Reference; "two-factor" → two, factor;
# "HTTPServer" → HTTP, Server; a number stays with its letters ("2FA", "v1").
_PART = re.compile(r"[A-Z]+(?![a-z])[0-9]*|[A-Z]?[a-z]+[0-9]*|[0-9]+[A-Za-z]*")
_SPLIT = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")

# Words that only say "this is a question"; IDF would shrink them, but they still pull in chatty passages.
_EN_STOP_WORDS = """a an and are as at be been but by can could do does did for from had has have how i if in into is
it its me my of on or our so than that the their them then there these they this to too us was we were what when
where which who why will with would you your i'm it's don't can't what's"""
_ZH_STOP_WORDS = """的 了 吗 呢 啊 吧 呀 嘛 么 是 在 我 你 他 她 它 我们 你们 他们 这 那
这个 那个 哪 哪个 哪里 什么 怎么 怎么样 怎样 如何 为什么 为啥 啥 能 能不能
可以 可不可以 会 会不会 要 需要 和 与 或 及 就 都 也 还 又 把 被 让 给
对 从 到 一下 一个 有 没有 有没有 是不是 一般 多少 几 个 请问 请 想 得 地
着 过 之 以 其 于 上 下 里 中"""
EN_STOP = frozenset(_EN_STOP_WORDS.split())
ZH_STOP = frozenset(_ZH_STOP_WORDS.split())

_jieba: Any = None
_lock = threading.Lock()
_local = threading.local()


def _segmenter() -> Any:
    global _jieba
    with _lock:
        if _jieba is None:
            import jieba

            # jieba announces its dictionary build on the root logger; Qiao's logs don't need it.
            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _jieba = jieba
    return _jieba


def _stemmer() -> Any:
    # A Snowball stemmer keeps state while it works: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        import snowballstemmer

        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer


@functools.lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of an English word: 'installing', 'installation' → 'instal'."""
    stemmed: str = _stemmer().stemWord(word)
    return stemmed


def _latin(text: str) -> Iterator[str]:
    for word in _WORD.findall(text):
        lowered = word.lower()
        if lowered in EN_STOP:
            continue
        yield stem(lowered)
        # A compound also counts as its parts, so "two factor" meets "two-factor" and "add swimlane" meets
        # "addSwimlane"; the whole word stays, so an exact identifier still scores highest.
        parts = _PART.findall(word)
        if len(parts) > 1:
            for part in map(str.lower, parts):
                if len(part) > 1 and not part.isdigit() and part not in EN_STOP and part != lowered:
                    yield stem(part)


def _chinese(run: str) -> Iterator[str]:
    # Search mode also yields the shorter words inside long compounds ("甘特图" → "甘特", "甘特图"),
    # so a question that says "甘特" still meets a page that says "甘特图".
    for word in _segmenter().cut_for_search(run):
        if word not in ZH_STOP:
            yield word


def tokenize(text: str) -> list[str]:
    """The BM25 tokens of `text`, in order (duplicates kept: term frequency matters)."""
    out: list[str] = []
    for part in _SPLIT.split(text):
        if not part:
            continue
        if _HAN_RUN.fullmatch(part):
            out.extend(_chinese(part))
        else:
            out.extend(_latin(part))
    return out
