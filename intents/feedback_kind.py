"""What kind of feedback a report is: bug, feature request, complaint, question or praise. Keyword rules in
both languages; the first rule that fires wins, in the order below."""

from __future__ import annotations

import re

from knowledge.enums import FeedbackKind

_RULES: tuple[tuple[FeedbackKind, re.Pattern[str]], ...] = (
    (
        FeedbackKind.praise,
        re.compile(
            r"好用|太棒|点赞|赞一个|很喜欢|真不错|给力|方便多了|辛苦了|感谢.*(团队|改进|优化)"
            r"|\b(love|great job|awesome|amazing|thank you for|thanks for (the|fixing)|well done|kudos|much better)\b",
            re.I,
        ),
    ),
    (
        FeedbackKind.feature_request,
        re.compile(
            r"希望|建议|能不能(加|增加|支持|提供)|可不可以(加|支持)|如果能|要是能|增加.*功能|加个|支持一下|需要.*功能"
            r"|\b(please add|could you add|can you add|would be (nice|great|helpful)|feature request|wish|suggest"
            r"|it'd be nice|should support|support for|allow (us|me) to|add an? option)\b",
            re.I,
        ),
    ),
    (
        FeedbackKind.bug,
        re.compile(
            r"乱码|方块|闪退|崩溃|报错|出错|错误|打不开|无法|不能用|失败|白屏|卡死|不显示|显示不|丢失|不生效|没反应|异常|bug|收不到|不同步"
            r"|\b(crash\w*|error|fails?|failed|failing|broken|garble\w*|doesn'?t work|does not work|not working"
            r"|can'?t (open|save|log|load|export|upload)|won'?t (open|load|save)|blank|missing|lost|freez\w*|bug)\b",
            re.I,
        ),
    ),
    (
        FeedbackKind.complaint,
        re.compile(
            r"太慢|好慢|很慢|卡顿|麻烦|难用|不好用|繁琐|复杂|看不懂|烦|太多|吐槽|不合理|体验差"
            r"|\b(slow|annoying|confusing|too many|cumbersome|clunky|frustrat\w*|hard to|hate|terrible|awful)\b",
            re.I,
        ),
    ),
)


def guess_kind(text: str) -> FeedbackKind:
    """The feedback kind the text reads as; 'question' when no rule fires."""
    for kind, pattern in _RULES:
        if pattern.search(text):
            return kind
    return FeedbackKind.question
