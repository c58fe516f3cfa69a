"""`mask(text)`: what may leave the process in a log line. Secrets (bearer tokens, Qiao keys, signed user tokens,
`password=…`-style pairs, cookies) become `[redacted]`; emails keep their first letter and domain; phone numbers keep
their last four digits. Pure and idempotent, so it can run on every message and field of every record."""

from __future__ import annotations

import re

REDACTED = "[redacted]"
_KEEP_DIGITS = 4  # enough for ops to tell two callers apart, too few to call anyone
_MIN_PHONE_DIGITS = 7

# Order matters: secrets first, so a token that happens to hold digits or an "@" is removed whole.
_SECRETS: tuple[tuple[re.Pattern[str], str], ...] = (
    # A cookie header carries several pairs separated by "; ": drop the whole value.
    (re.compile(r"(?i)(?<![\w-])((?:set-)?cookie)([\"']?\s*[:=]\s*)[^\r\n]+"), rf"\1\2{REDACTED}"),
    # name=value, name: value, "name": "value", for names ending in a secret-bearing word (X-Qiao-User-Token, api_key).
    (
        re.compile(
            r"(?i)(?<![A-Za-z0-9_-])([A-Za-z_-]*(?:token|secret|password|passwd|api[_-]?key|access[_-]?key|"
            r"private[_-]?key|signature|authorization))([\"']?\s*[:=]\s*[\"']?)(?:(?:bearer|basic|token)\s+)?"
            r"[^\s&\"',;}]+"
        ),
        rf"\1\2{REDACTED}",
    ),
    (re.compile(r"(密码|口令|令牌|密钥)(\s*[:=：]\s*)[^\s，。；,;&\"']+"), rf"\1\2{REDACTED}"),
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/-]{3,}=*"), rf"\1 {REDACTED}"),
    (re.compile(r"qiao_(?:sk|pk)_[A-Za-z0-9_-]*"), REDACTED),
    # Signed user tokens (api/user_token.py: v1.<payload>.<signature>) and JWTs, wherever they turn up.
    (re.compile(r"\bv1\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}"), REDACTED),
    (re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), REDACTED),
    # An OpenAI-style key in an error message from the LLM client.
    (re.compile(r"\bsk-[A-Za-z0-9_-]{16,}"), REDACTED),
)

_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})")

# ASCII-only boundaries: a Chinese character next to a number ("电话13812345678") is a boundary, a letter or a dot
# (a hex id, a decimal) is not. Dates, times and versions match none of the shapes below.
_PHONE = re.compile(
    r"(?<![A-Za-z0-9_+.-])(?:"
    r"\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}"  # +86 138 1234 5678, +8613812345678, +1 (415) 555-0100
    r"|(?:00?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}"  # 13812345678, 138-1234-5678, 0086 138 1234 5678
    r"|\(0\d{2,3}\)[ -]?\d{7,8}|0\d{2,3}[ -]\d{7,8}"  # (010) 12345678, 010-12345678, 0755 1234567
    r"|\(\d{3}\) ?\d{3}-\d{4}|\d{3}([-.])\d{3}\1\d{4}"  # (415) 555-0100, 415-555-0100, 415.555.0100
    r")(?![A-Za-z0-9_])"
)


def _mask_phone(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = sum(ch.isdigit() for ch in text)
    if digits < _MIN_PHONE_DIGITS:
        return text
    hide = digits - _KEEP_DIGITS
    out: list[str] = []
    for ch in text:
        if ch.isdigit() and hide > 0:
            out.append("*")
            hide -= 1
        else:
            out.append(ch)
    return "".join(out)


def mask(text: str) -> str:
    """`text` with secrets replaced by `[redacted]`, emails as `z***@example.com` and phone numbers as
    `*******5678` (separators kept). Dates, times, versions, ids and short numbers are left alone."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    text = _EMAIL.sub(r"\1***@\2", text)
    return _PHONE.sub(_mask_phone, text)
