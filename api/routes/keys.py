"""API keys: /api/v1/keys (admins only). The secret is shown once, in the response that creates it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status
from pydantic import BaseModel, ConfigDict, Field

from api.auth import AdminCaller
from api.deps import ServicesDep
from knowledge.enums import Role
from knowledge.keys import ApiKeyInfo, KeyStore, NewApiKey

router = APIRouter(prefix="/api/v1/keys", tags=["keys"])
KeyId = Annotated[str, Path(min_length=1, max_length=32, pattern=r"^key_[0-9a-f]+$")]


def get_keys(services: ServicesDep) -> KeyStore:
    return services.keys


KeysDep = Annotated[KeyStore, Depends(get_keys)]


class KeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    name: str = Field("", max_length=200, description="What the key is for, e.g. 'ops console' or 'intranet'.")
    member: str | None = Field(None, max_length=64, description="Member key or id (member keys: required).")
    origins: list[Annotated[str, Field(max_length=300)]] = Field(
        default_factory=list, max_length=50, description="Site keys: the origins the widget may run on."
    )


@router.get("", response_model=list[ApiKeyInfo], summary="List API keys (never their secrets)")
def list_keys(keys: KeysDep, _: AdminCaller, include_revoked: Annotated[bool, Query()] = False) -> list[ApiKeyInfo]:
    return keys.list(include_revoked)


@router.post("", response_model=NewApiKey, status_code=status.HTTP_201_CREATED, summary="Create an API key")
def create_key(body: KeyCreate, keys: KeysDep, who: AdminCaller) -> NewApiKey:
    return keys.create(body.role, who.actor, name=body.name, member=body.member, origins=body.origins)


@router.delete("/{key_id}", response_model=ApiKeyInfo, summary="Revoke an API key (idempotent)")
def revoke_key(key_id: KeyId, keys: KeysDep, who: AdminCaller) -> ApiKeyInfo:
    return keys.revoke(key_id, who.actor)
