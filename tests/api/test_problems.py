"""Accept-Language negotiation for problem details."""

from __future__ import annotations

import pytest

from api.problems import negotiate_language


@pytest.mark.parametrize(
    ("header", "default", "expected"),
    [
        (None, "zh", "zh"),
        ("", "en", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "en", "zh"),
        ("en-US,en;q=0.9,zh-CN;q=0.8", "zh", "en"),
        ("zh-TW", "en", "zh"),
        ("fr-FR,en;q=0.5", "zh", "en"),
        ("en;q=0.2,zh;q=0.8", "en", "zh"),
        ("de, fr", "zh", "zh"),
        ("zh;q=0, en", "zh", "en"),
        ("zh;q=abc", "en", "en"),
    ],
)
def test_negotiate_language(header: str | None, default: str, expected: str) -> None:
    assert negotiate_language(header, default) == expected
