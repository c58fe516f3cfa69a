"""The words a theme label is made of: jieba words for Chinese runs, lower-cased words for Latin runs, minus stop
words in both languages and minus anything that is only digits or punctuation. Unlike the BM25 tokens
(retrieval/tokens.py) English words are not stemmed: a label must read "notifications", not "notif"."""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from retrieval.tokens import EN_STOP, ZH_STOP

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SPLIT = re.compile(f"([{_HAN}]+)")
_HAN_RUN = re.compile(f"[{_HAN}]+")
_WORD = re.compile(r"[a-z][a-z0-9]*(?:['+#-][a-z0-9]+)*")

# Feedback's own filler: words every report uses whatever it is about (in a project tool, "task" too).
_EN_FEEDBACK = """please thanks thank hi hello just really also get got way still even always never like want
wish would could should can't don't doesn't isn't it's i'm i've we're they're there's lot lots etc ok okay
yes able need needs task tasks"""
_ZH_FEEDBACK = """希望 能够 可以 能否 是否 一下 一些 有点 有些 时候 时 后 前 里 直接 每次 总是 经常 非常 特别 比较 还是
就是 但是 而且 如果 因为 所以 然后 现在 已经 一直 的话 这样 那样 怎么办 为什么 不能 不了 不会 没法 感觉 觉得
一直 问题 情况 东西 方便 谢谢 麻烦 请问 你好 大家 我们 你们 他们 自己 这个 那个 这些 那些 哪些 一个 两个
太 很 都 也 还 又 再 才 就 没 不 被 给 让 把 对 跟 和 与 或 及 任务 不到 不了 出来 起来 一样"""
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | EN_STOP | ZH_STOP | frozenset((_EN_FEEDBACK + " " + _ZH_FEEDBACK).split())

_jieba: Any = None
_lock = threading.Lock()


def _segmenter() -> Any:
    global _jieba
    with _lock:
        if _jieba is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)  # it announces its dictionary load on stderr otherwise
            jieba.initialize()
            _jieba = jieba
    return _jieba


def terms(text: str) -> list[str]:
    """The label words of `text`, in order: Chinese words of two characters or more, English words of three
    letters or more (plus short product names like "ios", "pdf"), none of them a stop word."""
    out: list[str] = []
    for part in _SPLIT.split(text.lower()):
        if not part:
            continue
        if _HAN_RUN.fullmatch(part):
            out.extend(w for w in _segmenter().lcut(part) if len(w) >= 2 and w not in STOP_WORDS)
        else:
            out.extend(w for w in _WORD.findall(part) if len(w) >= 3 and w not in STOP_WORDS)
    return out


def is_chinese(term: str) -> bool:
    """Whether a term is a Chinese word."""
    return bool(_HAN_RUN.match(term))
