"""API keys (stored hashed, with roles), and who owns what: the member who created a task, reported a feedback
item, or holds a conversation, so one person cannot read another's.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("prefix", sa.String(length=24), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("origins", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_api_keys_member_id_members"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_api_keys_secret_hash")),
    )
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_tasks_created_by_id_members"), "members", ["created_by_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("feedback") as batch:
        batch.add_column(sa.Column("reporter_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_feedback_reporter_id_members"), "members", ["reporter_id"], ["id"], ondelete="SET NULL"
        )
    op.add_column("conversations", sa.Column("owner", sa.String(length=100), nullable=True))


def downgrade() -> None:
    op.drop_column("conversations", "owner")
    with op.batch_alter_table("feedback") as batch:
        batch.drop_constraint(op.f("fk_feedback_reporter_id_members"), type_="foreignkey")
        batch.drop_column("reporter_id")
    with op.batch_alter_table("tasks") as batch:
        batch.drop_constraint(op.f("fk_tasks_created_by_id_members"), type_="foreignkey")
        batch.drop_column("created_by_id")
    op.drop_table("api_keys")
