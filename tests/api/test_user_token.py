"""The widget's signed user tokens and the rate limiter's buckets: pure functions, checked with tables."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from api.rate_limit import RateLimiter, retry_after
from api.user_token import sign_user_token, verify_user_token
from errors import Unauthorized

SECRET = "9f" * 32
NOW = 1_795_000_000.0
DAY = 86_400


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def host_sign(payload: dict[str, object], secret: str = SECRET) -> str:
    """What a host page's server writes, following docs/security.md rather than calling our own code."""
    body = _b64(json.dumps(payload, ensure_ascii=False).encode())  # non-compact JSON is fine: the bytes are signed
    signature = _b64(hmac.new(secret.encode(), f"v1.{body}".encode(), hashlib.sha256).digest())
    return f"v1.{body}.{signature}"


@pytest.mark.parametrize("sub", ["zhaomin", "7", "张三", "tom.becker"])
def test_a_token_signed_as_documented_is_accepted(sub: str) -> None:
    claim = verify_user_token(SECRET, host_sign({"sub": sub, "exp": int(NOW) + 3600}), DAY, now=NOW)
    assert claim.sub == sub and claim.exp == int(NOW) + 3600
    assert verify_user_token(SECRET, sign_user_token(SECRET, sub, 3600, now=NOW), DAY, now=NOW).sub == sub


@pytest.mark.parametrize(
    ("token", "why"),
    [
        (host_sign({"sub": "zhaomin", "exp": int(NOW) - 61}), "expired"),
        (host_sign({"sub": "zhaomin", "exp": int(NOW) + 2 * DAY}), "too long"),
        (host_sign({"sub": "zhaomin", "exp": int(NOW) + 60}, secret="0" * 64), "signature"),
        (host_sign({"sub": "", "exp": int(NOW) + 60}), "sub"),
        (host_sign({"sub": "zhaomin", "exp": "soon"}), "exp"),
        (host_sign({"sub": "zhaomin", "exp": True}), "exp"),
        (host_sign({"user": "zhaomin"}), "payload"),
        (host_sign({"sub": "zhaomin", "exp": int(NOW) + 60}).replace("v1.", "v2.", 1), "malformed"),
        ("v1.only-two", "malformed"),
        ("", "malformed"),
        ("v1." + "a" * 3000 + ".b", "malformed"),
    ],
)
def test_bad_tokens_are_refused_with_the_reason(token: str, why: str) -> None:
    with pytest.raises(Unauthorized) as caught:
        verify_user_token(SECRET, token, DAY, now=NOW)
    assert why in caught.value.detail_en and caught.value.detail_zh.startswith("用户令牌")


def test_a_tampered_payload_fails_the_signature() -> None:
    good = host_sign({"sub": "zhaomin", "exp": int(NOW) + 60})
    _, _, signature = good.split(".")
    forged = f"v1.{_b64(json.dumps({'sub': 'admin', 'exp': int(NOW) + 60}).encode())}.{signature}"
    with pytest.raises(Unauthorized, match="signature"):
        verify_user_token(SECRET, forged, DAY, now=NOW)


def test_buckets_refill_at_the_rate_and_say_how_long_to_wait() -> None:
    clock = [0.0]
    limiter = RateLimiter(60, clock=lambda: clock[0])  # one a second, bursts of 60
    assert [limiter.take("a") for _ in range(60)] == [0.0] * 60
    wait = limiter.take("a")
    assert 0.9 < wait <= 1.0 and retry_after(wait) == "1"
    assert limiter.take("b") == 0.0  # every name has its own bucket
    clock[0] += 1.0
    assert limiter.take("a") == 0.0 and limiter.take("a") > 0
    assert RateLimiter(0).take("a") == 0.0  # 0 = no limit
