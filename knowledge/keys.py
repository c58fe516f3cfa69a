"""API keys: created with a role, stored as a SHA-256 hash, listed by prefix, revoked, never shown twice.

A key is `qiao_sk_…` (secret: member, ops, admin) or `qiao_pk_…` (publishable: a site key that a web page may
carry in the clear, good only for chat and voice from its origins). The secret part holds 32 random bytes, so a
plain SHA-256 is enough to store it: there is nothing to brute-force that a slow hash would protect.

A site key also has a signing secret that the host page's server uses to sign who the visitor is
(`api.user_token`). It is derived from the deployment's secret and the key id, so it is never stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from errors import BackendUnavailable, InvalidInput, NotFound
from knowledge import audit
from knowledge import models as m
from knowledge.db import Database
from knowledge.enums import Role
from knowledge.schemas import Actor, as_id

SECRET_PREFIX = "qiao_sk_"
PUBLISHABLE_PREFIX = "qiao_pk_"
_LAST_USED_EVERY = dt.timedelta(minutes=1)  # a write per request would queue every request on SQLite's lock
_ORIGINS_TTL_S = 10.0  # how soon another worker process's new site key is seen by CORS here


class ApiKeyInfo(BaseModel):
    """A key as lists show it: never its secret."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    role: Role
    prefix: str
    member_id: int | None
    origins: list[str]
    created_by: str | None
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class NewApiKey(ApiKeyInfo):
    """A key just created: the only time its secret is shown."""

    key: str
    signing_secret: str | None = None


@dataclass(frozen=True)
class KeyHolder:
    """Who a valid key belongs to."""

    key_id: str
    name: str
    role: Role
    member_id: int | None
    origins: tuple[str, ...]
    member_key: str | None = None


def hash_secret(key: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(key.encode()).hexdigest()


def normalise_origin(origin: str) -> str:
    """`https://PM.example.com:443/` → `https://pm.example.com`; raises InvalidInput for anything not an origin."""
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") or parts.query:
        raise InvalidInput(
            f"origin {origin!r} is not an origin: use scheme://host[:port], e.g. https://pm.example.com",
            f"来源 {origin!r} 格式不对：应为 scheme://host[:port]，例如 https://pm.example.com",
        )
    default_port = {"http": 80, "https": 443}[parts.scheme]
    port = f":{parts.port}" if parts.port and parts.port != default_port else ""
    return f"{parts.scheme}://{parts.hostname.lower()}{port}"


def _info(row: m.ApiKey) -> ApiKeyInfo:
    return ApiKeyInfo.model_validate(row)


def _snapshot(row: m.ApiKey) -> dict[str, object]:
    kept = audit.snapshot(row)
    kept.pop("secret_hash", None)
    return kept


class KeyStore:
    """API keys in Qiao's database."""

    def __init__(
        self, db: Database, server_secret: Callable[[], bytes], clock: Callable[[], dt.datetime] | None = None
    ) -> None:
        self.db = db
        self.server_secret = server_secret
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._touched: dict[str, dt.datetime] = {}
        self._origins: tuple[float, frozenset[str]] | None = None

    def create(
        self,
        role: Role,
        actor: Actor,
        *,
        name: str = "",
        member: str | None = None,
        origins: Sequence[str] = (),
    ) -> NewApiKey:
        """Make a key. A member key names its member (id or key); a site key lists the origins it serves.

        Raises InvalidInput for a member key without a member, a site key without origins, or a bad origin."""
        clean_origins = sorted({normalise_origin(o) for o in origins})
        if role is Role.site and not clean_origins:
            raise InvalidInput(
                "a site key needs at least one origin, e.g. --origin https://pm.example.com",
                "站点密钥至少需要一个来源，例如 --origin https://pm.example.com",
            )
        if role is not Role.site and clean_origins:
            raise InvalidInput("only site keys take origins", "只有站点密钥可以设置来源")
        if role is Role.member and not member:
            raise InvalidInput(
                "a member key names its member: --member <member key or id>",
                "成员密钥需要指定成员：--member <成员 key 或 id>",
            )
        prefix = PUBLISHABLE_PREFIX if role is Role.site else SECRET_PREFIX
        key = prefix + secrets.token_urlsafe(32)
        key_id = "key_" + secrets.token_hex(6)
        member_id = None
        if member:
            found = self.find_member(member)
            if found is None:
                raise InvalidInput(
                    f"member {member!r} does not exist: GET /api/v1/members lists them",
                    f"成员 {member!r} 不存在：可用 GET /api/v1/members 查看",
                )
            member_id = found[0]
        with self.db.write() as s:
            row = m.ApiKey(
                id=key_id,
                name=(name.strip() or f"{role.value} key")[:200],
                role=role.value,
                prefix=key[: len(prefix) + 6],
                secret_hash=hash_secret(key),
                member_id=member_id,
                origins=clean_origins,
                created_by=actor.name,
                created_at=self.clock(),
            )
            s.add(row)
            s.flush()
            audit.record(s, actor, "create", "api_key", row.id, None, _snapshot(row))
            info = _info(row)
        self._origins = None
        signing = self.signing_secret(key_id) if role is Role.site else None
        return NewApiKey(**info.model_dump(), key=key, signing_secret=signing)

    def find_member(self, ref: str) -> tuple[int, str] | None:
        """(id, key) of the member with this key or id, or None."""
        ref = ref.strip()
        as_number = as_id(ref)
        match = m.Member.id == as_number if as_number is not None else m.Member.key == ref
        with self.db.read() as s:
            row = s.execute(select(m.Member.id, m.Member.key).where(match)).first()
            return (row[0], row[1]) if row is not None else None

    def signing_secret(self, key_id: str) -> str:
        """The HMAC secret a site key's host signs user tokens with (hex; derived, never stored)."""
        return hmac.new(self.server_secret(), f"qiao-site-signing:{key_id}".encode(), hashlib.sha256).hexdigest()

    def verify(self, key: str) -> KeyHolder | None:
        """The holder of `key`, or None when it is unknown or revoked."""
        if not key.startswith((SECRET_PREFIX, PUBLISHABLE_PREFIX)) or len(key) > 200:
            return None
        with self.db.read() as s:
            found = s.execute(
                select(m.ApiKey, m.Member.key)
                .outerjoin(m.Member, m.ApiKey.member_id == m.Member.id)
                .where(m.ApiKey.secret_hash == hash_secret(key))
            ).first()
            if found is None or found[0].revoked_at is not None:
                return None
            row, member_key = found
            if row.role == Role.member and row.member_id is None:
                return None  # its member was removed
            holder = KeyHolder(row.id, row.name, Role(row.role), row.member_id, tuple(row.origins), member_key)
        self._touch(holder.key_id)
        return holder

    def _touch(self, key_id: str) -> None:
        now = self.clock()
        last = self._touched.get(key_id)
        if last is not None and now - last < _LAST_USED_EVERY:
            return
        self._touched[key_id] = now
        with self.db.write() as s:
            row = s.get(m.ApiKey, key_id)
            if row is not None:
                row.last_used_at = now

    def list(self, include_revoked: bool = False) -> list[ApiKeyInfo]:
        """Every key, newest first."""
        with self.db.read() as s:
            stmt = select(m.ApiKey).order_by(m.ApiKey.created_at.desc(), m.ApiKey.id)
            if not include_revoked:
                stmt = stmt.where(m.ApiKey.revoked_at.is_(None))
            return [_info(r) for r in s.scalars(stmt)]

    def revoke(self, key_id: str, actor: Actor) -> ApiKeyInfo:
        """Revoke a key (idempotent: revoking twice keeps the first time). Raises NotFound."""
        with self.db.write() as s:
            row = s.get(m.ApiKey, key_id)
            if row is None:
                raise NotFound(f"API key {key_id} does not exist", f"API 密钥 {key_id} 不存在")
            if row.revoked_at is None:
                before = _snapshot(row)
                row.revoked_at = self.clock()
                s.flush()
                audit.record(s, actor, "revoke", "api_key", row.id, before, _snapshot(row))
            info = _info(row)
        self._origins = None
        return info

    def site_origins(self) -> frozenset[str]:
        """The origins of every live site key (for CORS preflights, which carry no key); cached briefly."""
        now = time.monotonic()
        if self._origins is not None and now - self._origins[0] < _ORIGINS_TTL_S:
            return self._origins[1]
        with self.db.read() as s:
            rows = s.scalars(
                select(m.ApiKey.origins).where(m.ApiKey.role == Role.site.value, m.ApiKey.revoked_at.is_(None))
            )
            origins = frozenset(o for listed in rows for o in listed)
        self._origins = (now, origins)
        return origins


def file_secret(path: Path) -> Callable[[], bytes]:
    """A deployment secret kept in `path` (created with 32 random bytes, mode 0600, on first use)."""
    cached: list[bytes] = []

    def read() -> bytes:
        if not cached:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w") as out:
                    out.write(secrets.token_hex(32))
            value = path.read_text().strip()
            if len(value) < 32:
                raise BackendUnavailable(
                    f"{path} holds no usable secret: delete it (site keys' signing secrets then change) "
                    "or set QIAO_SECRET_KEY",
                    f"{path} 中的密钥不可用：删除它（站点签名密钥会随之改变）或设置 QIAO_SECRET_KEY",
                )
            cached.append(value.encode())
        return cached[0]

    return read
