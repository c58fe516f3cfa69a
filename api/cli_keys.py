"""`qiao keys create|list|revoke|token`: API keys from the command line (the server's own machine)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from settings import Settings

if TYPE_CHECKING:
    from api.wiring import Services

keys_app = typer.Typer(help="API keys and widget user tokens. API 密钥与挂件用户令牌。", no_args_is_help=True)
console = Console()


def _services() -> Services:
    from api.wiring import build_services

    services = build_services(Settings())
    services.db.migrate()
    return services


@keys_app.command("create")
def create(
    role: str = typer.Option(..., help="member, ops, admin or site. 角色。"),
    name: str = typer.Option("", help="What it is for. 用途。"),
    member: str | None = typer.Option(None, help="Member key or id (member keys). 成员。"),
    origin: list[str] = typer.Option([], help="Site keys: an origin the widget runs on (repeat). 来源，可重复。"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON. 输出 JSON。"),
) -> None:
    """Create a key; its secret is printed once. 创建密钥（只显示一次）。

    Examples / 示例: qiao keys create --role ops --name "ops console" · qiao keys create --role site --origin https://pm.example.com
    """
    from errors import QiaoError
    from knowledge.enums import Role
    from knowledge.schemas import Actor

    if role not in Role.__members__:
        raise typer.BadParameter(f"use one of {', '.join(Role.__members__)} / 可选 {', '.join(Role.__members__)}")
    services = _services()
    try:
        new = services.keys.create(Role(role), Actor(name="cli"), name=name, member=member, origins=origin)
    except QiaoError as exc:
        raise typer.BadParameter(f"{exc.detail_en} / {exc.detail_zh}") from exc
    finally:
        services.close()
    if as_json:
        typer.echo(new.model_dump_json())
        return
    console.print(f"[bold]{new.key}[/bold]")
    console.print(f"id {new.id} · role {new.role.value} · shown once: store it now / 仅显示一次，请立即保存")
    if new.signing_secret:
        console.print(
            f"signing secret (for the host page's server) / 签名密钥（供宿主页面服务器使用）: {new.signing_secret}"
        )


@keys_app.command("list")
def list_keys(
    include_revoked: bool = typer.Option(False, "--all", help="Include revoked keys. 包括已吊销的。"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON. 输出 JSON。"),
) -> None:
    """List keys (never their secrets). 列出密钥（不含密钥本身）。"""
    services = _services()
    try:
        keys = services.keys.list(include_revoked)
    finally:
        services.close()
    if as_json:
        typer.echo(json.dumps([k.model_dump(mode="json") for k in keys], ensure_ascii=False))
        return
    table = Table("id", "role", "name", "prefix", "member", "origins", "last used", "revoked")
    for k in keys:
        table.add_row(
            k.id,
            k.role.value,
            k.name,
            k.prefix + "…",
            str(k.member_id or ""),
            " ".join(k.origins),
            k.last_used_at.isoformat(timespec="minutes") if k.last_used_at else "",
            k.revoked_at.isoformat(timespec="minutes") if k.revoked_at else "",
        )
    console.print(table)


@keys_app.command("revoke")
def revoke(key_id: str = typer.Argument(..., help="The key's id, e.g. key_3f2a9c1b7d0e. 密钥 id。")) -> None:
    """Revoke a key at once (idempotent). 吊销密钥。"""
    from errors import QiaoError
    from knowledge.schemas import Actor

    services = _services()
    try:
        info = services.keys.revoke(key_id, Actor(name="cli"))
    except QiaoError as exc:
        raise typer.BadParameter(f"{exc.detail_en} / {exc.detail_zh}") from exc
    finally:
        services.close()
    console.print(f"revoked / 已吊销 {info.id} ({info.name})")


@keys_app.command("token")
def token(
    key_id: str = typer.Argument(..., help="The site key's id. 站点密钥 id。"),
    user: str = typer.Option(..., help="Member key or id the token names. 成员。"),
    ttl: int = typer.Option(3600, min=60, help="Seconds it is valid. 有效秒数。"),
) -> None:
    """Sign a widget user token, as the host page's server would (for trying it out). 签发挂件用户令牌。"""
    from api.user_token import sign_user_token
    from knowledge.enums import Role

    services = _services()
    try:
        if not any(k.id == key_id and k.role is Role.site for k in services.keys.list()):
            raise typer.BadParameter(
                f"{key_id} is not a live site key: `qiao keys list` shows them / {key_id} 不是有效的站点密钥",
                param_hint="KEY_ID",
            )
        secret = services.keys.signing_secret(key_id)
    finally:
        services.close()
    typer.echo(sign_user_token(secret, user, ttl))
