"""Signed user tokens: how a page that embeds the widget tells Qiao who its visitor is (docs/security.md).

    token   = "v1." + b64url(payload) + "." + b64url(HMAC-SHA256(signing_secret, "v1." + b64url(payload)))
    payload = {"sub": "<member key or id>", "exp": <unix seconds>}          (UTF-8 JSON, no padding in b64url)

The signing secret is the site key's (`qiao keys create --role site` prints it once); the host page's server
signs, the browser only carries the token. Pure functions: no I/O.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass

from errors import Unauthorized

VERSION = "v1"
LEEWAY_S = 60  # clocks of the host page's server and Qiao's may disagree a little


@dataclass(frozen=True)
class UserClaim:
    """Who the host page says its visitor is, and until when."""

    sub: str
    exp: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, signed: str) -> str:
    return _b64(hmac.new(secret.encode(), signed.encode(), hashlib.sha256).digest())


def sign_user_token(secret: str, sub: str, ttl_s: int = 3600, now: float | None = None) -> str:
    """A token for member `sub` (key or id) valid for `ttl_s` seconds: what a host page's server computes."""
    issued = int(time.time() if now is None else now)
    payload = _b64(json.dumps({"sub": sub, "exp": issued + ttl_s}, separators=(",", ":")).encode())
    signed = f"{VERSION}.{payload}"
    return f"{signed}.{_mac(secret, signed)}"


def _refuse(en: str, zh: str) -> Unauthorized:
    return Unauthorized(f"user token {en}", f"用户令牌{zh}", headers={"WWW-Authenticate": "Bearer"})


def verify_user_token(secret: str, token: str, max_age_s: int, now: float | None = None) -> UserClaim:
    """The claim in `token`; raises Unauthorized when it is malformed, badly signed, expired or too long-lived."""
    parts = token.strip().split(".")
    if len(parts) != 3 or parts[0] != VERSION or len(token) > 2000:
        raise _refuse("is malformed: expected v1.<payload>.<signature>", "格式不对：应为 v1.<payload>.<signature>")
    signed = f"{parts[0]}.{parts[1]}"
    if not hmac.compare_digest(_mac(secret, signed), parts[2]):
        raise _refuse(
            "signature does not match: sign with this site key's signing secret",
            "签名不匹配：请用该站点密钥的签名密钥签名",
        )
    try:
        claim = json.loads(_unb64(parts[1]))
        sub, exp = claim["sub"], claim["exp"]
    except (ValueError, KeyError, TypeError) as exc:
        raise _refuse("payload is not {sub, exp} JSON", "内容不是 {sub, exp} JSON") from exc
    if not isinstance(sub, str) or not sub.strip() or not isinstance(exp, int) or isinstance(exp, bool):
        raise _refuse("needs a string sub and an integer exp", "需要字符串 sub 和整数 exp")
    current = time.time() if now is None else now
    if exp < current - LEEWAY_S:
        raise _refuse("has expired: have the host page sign a new one", "已过期：请由宿主页面重新签发")
    if exp > current + max_age_s + LEEWAY_S:
        raise _refuse(
            f"lives too long: exp may be at most {max_age_s} s ahead", f"有效期过长：exp 最多比现在晚 {max_age_s} 秒"
        )
    return UserClaim(sub=sub.strip(), exp=exp)
