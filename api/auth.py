"""Who is calling, and may they (docs/security.md).

Every /api/ route declares the roles it serves with one of the aliases at the bottom. The caller is found from
`Authorization: Bearer <key>`; a site key (publishable, in the widget's page) must also come from one of its
origins and carry a user token signed by the host page's server, which says which member the visitor is.
Requests are counted per client address before the key is looked at (so guessing keys is slow) and per key
after. Members and widget visitors see only their own tasks, feedback and conversations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request

from api.rate_limit import RateLimiter, retry_after
from api.user_token import verify_user_token
from errors import Forbidden, InvalidInput, TooManyRequests, Unauthorized
from knowledge.enums import Role
from knowledge.keys import KeyHolder, KeyStore, normalise_origin
from knowledge.schemas import Actor
from settings import Settings

USER_TOKEN_HEADER = "X-Qiao-User-Token"
_BEARER = {"WWW-Authenticate": "Bearer"}
_RANK = {Role.member: 1, Role.ops: 2, Role.admin: 3}


@dataclass(frozen=True)
class Principal:
    """The caller of one request."""

    role: Role
    name: str
    key_id: str | None
    member_id: int | None
    member_key: str | None = None

    @property
    def own_only(self) -> bool:
        """Members and widget visitors see only their own items."""
        return self.role in (Role.member, Role.site)

    @property
    def actor(self) -> Actor:
        """The caller as the audit log records it."""
        return Actor(name=self.name, key_id=self.key_id, member_id=self.member_id, own_only=self.own_only)

    @property
    def viewer(self) -> int | None:
        """The member whose items alone this caller may see; None = everything."""
        return self.actor.viewer

    def speaker(self, user: str | None) -> str | None:
        """The member a chat turn speaks as: one's own self for members and visitors (naming another is
        refused), anyone for ops and admin keys (they help people)."""
        if not self.own_only:
            return user
        if user is not None and user.strip() not in (str(self.member_id), self.member_key):
            raise Forbidden(
                "this key speaks only as its own member: leave out `user`",
                "该密钥只能以其本人身份对话：请去掉 `user` 字段",
            )
        return str(self.member_id) if self.member_id is not None else None


class Gate:
    """Authentication and rate limits for one app."""

    def __init__(self, settings: Settings, keys: KeyStore) -> None:
        self.settings = settings
        self.keys = keys
        self.per_key = RateLimiter(settings.rate_limit_key_per_minute)
        self.per_ip = RateLimiter(settings.rate_limit_ip_per_minute)

    def authenticate(self, request: Request) -> Principal:
        """The caller; raises Unauthorized (no or bad key or token), Forbidden (wrong origin), TooManyRequests."""
        client = request.client.host if request.client else "unknown"
        self._limit(self.per_ip, f"ip:{client}", "this address", "该地址")
        if not self.settings.auth_required:
            name = (request.headers.get("x-qiao-actor") or "api").strip()[:200] or "api"
            return Principal(role=Role.admin, name=name, key_id=None, member_id=None)
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise Unauthorized(
                "send an API key as `Authorization: Bearer <key>` (`qiao keys create` makes one)",
                "请以 `Authorization: Bearer <key>` 发送 API 密钥（可用 `qiao keys create` 创建）",
                headers=_BEARER,
            )
        holder = self.keys.verify(key.strip())
        if holder is None:
            raise Unauthorized(
                "this API key is unknown or revoked: ask an admin for a valid one",
                "该 API 密钥不存在或已吊销：请向管理员索取有效密钥",
                headers=_BEARER,
            )
        request.state.key_id = holder.key_id  # for the access log
        self._limit(self.per_key, f"key:{holder.key_id}", "this key", "该密钥")
        if holder.role is Role.site:
            return self._visitor(request, holder)
        name = holder.member_key or holder.name
        return Principal(holder.role, name, holder.key_id, holder.member_id, holder.member_key)

    def _limit(self, limiter: RateLimiter, name: str, en: str, zh: str) -> None:
        wait = limiter.take(name)
        if wait > 0:
            after = retry_after(wait)
            raise TooManyRequests(
                f"too many requests from {en}: retry after {after} s",
                f"{zh}请求过于频繁：请 {after} 秒后重试",
                headers={"Retry-After": after},
            )

    def _visitor(self, request: Request, holder: KeyHolder) -> Principal:
        origin = _origin_of(request)
        if origin is None or origin not in holder.origins:
            raise Forbidden(
                f"this site key serves only {', '.join(holder.origins)}; the request came from {origin or 'no origin'}",
                f"该站点密钥只服务于 {', '.join(holder.origins)}；本请求来源为 {origin or '（无）'}",
            )
        token = request.headers.get(USER_TOKEN_HEADER.lower(), "")
        if not token:
            raise Unauthorized(
                f"a site key needs the visitor's signed user token in {USER_TOKEN_HEADER} (docs/security.md)",
                f"站点密钥需要在 {USER_TOKEN_HEADER} 中携带宿主页面签发的用户令牌（见 docs/security.md）",
                headers=_BEARER,
            )
        claim = verify_user_token(self.keys.signing_secret(holder.key_id), token, self.settings.user_token_max_age_s)
        found = self.keys.find_member(claim.sub)
        if found is None:
            raise Unauthorized(
                f"the user token names {claim.sub!r}, who is not a member",
                f"用户令牌中的 {claim.sub!r} 不是成员",
                headers=_BEARER,
            )
        member_id, member_key = found
        return Principal(Role.site, f"{member_key} (widget)", holder.key_id, member_id, member_key)


def _origin_of(request: Request) -> str | None:
    # Browsers send Origin on cross-origin requests and on same-origin POSTs; a same-origin GET has only Referer.
    raw = request.headers.get("origin") or request.headers.get("referer")
    if not raw or raw == "null":
        return None
    parts = urlsplit(raw)
    try:
        return normalise_origin(f"{parts.scheme}://{parts.netloc}")
    except InvalidInput:
        return None


def authenticate(request: Request) -> Principal:
    """FastAPI dependency: the caller (once per request, however many dependencies ask)."""
    gate: Gate = request.app.state.gate
    return gate.authenticate(request)


def allow(roles: Iterable[Role]) -> Callable[[Principal], Principal]:
    """A dependency that lets only `roles` through (403 for the others)."""
    allowed = frozenset(roles)

    def check(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        if principal.role not in allowed:
            needed = "/".join(sorted(r.value for r in allowed))
            raise Forbidden(
                f"a {principal.role.value} key may not do this: it needs a {needed} key",
                f"{principal.role.value} 密钥无权执行此操作：需要 {needed} 密钥",
            )
        return principal

    return check


def _at_least(role: Role) -> list[Role]:
    return [r for r, rank in _RANK.items() if rank >= _RANK[role]]


allow_ops = allow(_at_least(Role.ops))
"""The ops check as a plain dependency, for a router's `dependencies=`."""

Caller = Annotated[Principal, Depends(allow([Role.site, *_at_least(Role.member)]))]
"""Chat and voice: site keys too."""
MemberCaller = Annotated[Principal, Depends(allow(_at_least(Role.member)))]
"""Members, ops and admins: own items for members."""
OpsCaller = Annotated[Principal, Depends(allow_ops)]
"""Ops and admins."""
AdminCaller = Annotated[Principal, Depends(allow(_at_least(Role.admin)))]
"""Admins only."""
