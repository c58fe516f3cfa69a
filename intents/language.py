"""Which language a text is in: Chinese, English, or a mix of both. Pure and fast (no model)."""

from __future__ import annotations

import re
from typing import Literal

LanguageTag = Literal["zh", "en", "mixed"]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Words that often sit inside Chinese sentences without making them English.
_LOANS = frozenset(
    {"app", "pdf", "excel", "ok", "bug", "id", "ui", "api", "sso", "crm", "csv", "pm", "qa", "ios", "vpn"}
)


def detect_language(text: str, default: LanguageTag = "en") -> LanguageTag:
    """'zh' for Chinese, 'en' for English, 'mixed' when both carry meaning; `default` when neither appears.

    A Chinese sentence with a product name or two ("导出PDF乱码") stays 'zh'; it is 'mixed' when
    English words make up a real share of it ("帮我建个task明天review一下PRD").
    """
    han = len(_HAN.findall(text))
    words = [w for w in _LATIN_WORD.findall(text) if w.lower() not in _LOANS]
    if han == 0:
        return "en" if words or _LATIN_WORD.search(text) else default
    if len(words) < 2:
        return "zh"  # a lone product or project name inside Chinese ("Phoenix 项目进度")
    # Weigh an English word as about two Chinese characters of content.
    english_share = 2 * len(words) / (2 * len(words) + han)
    if english_share >= 0.85:
        return "en"
    return "mixed" if english_share >= 0.15 else "zh"


def reply_language(tag: LanguageTag) -> Literal["zh", "en"]:
    """The language to answer in: Chinese for Chinese or mixed text, else English."""
    return "en" if tag == "en" else "zh"
