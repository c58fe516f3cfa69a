"""Feedback themes: labels, keywords, quotes, centroids, the committee agenda, backlog links, discovery runs;
each feedback item's theme source and score.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _keep_theme_assignments() -> list[tuple[int, int]]:
    rows = op.get_bind().execute(sa.text("SELECT id, theme_id FROM feedback WHERE theme_id IS NOT NULL")).all()
    return [(int(r[0]), int(r[1])) for r in rows]


def _restore_theme_assignments(kept: list[tuple[int, int]]) -> None:
    for feedback_id, theme_id in kept:
        op.get_bind().execute(
            sa.text("UPDATE feedback SET theme_id = :theme WHERE id = :id"), {"theme": theme_id, "id": feedback_id}
        )


def upgrade() -> None:
    op.add_column("themes", sa.Column("status", sa.String(length=16), nullable=False, server_default="active"))
    op.add_column("themes", sa.Column("name_source", sa.String(length=16), nullable=False, server_default="auto"))
    op.add_column("themes", sa.Column("auto_name", sa.String(length=300), nullable=True))
    op.add_column("themes", sa.Column("keywords", sa.JSON(), nullable=False, server_default="[]"))
    op.add_column("themes", sa.Column("quote_ids", sa.JSON(), nullable=False, server_default="[]"))
    op.add_column("themes", sa.Column("centroid", sa.LargeBinary(), nullable=True))
    op.add_column("themes", sa.Column("on_agenda", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("themes", sa.Column("agenda_note", sa.Text(), nullable=True))
    op.add_column("themes", sa.Column("discovered_at", sa.DateTime(timezone=True), nullable=True))
    # Foreign keys need a table rebuild on SQLite, and dropping the old `themes` fires ON DELETE SET NULL on
    # feedback.theme_id (foreign keys cannot be switched off inside the migration's transaction): keep the
    # assignments and put them back.
    kept = _keep_theme_assignments()
    with op.batch_alter_table("themes") as batch:
        batch.add_column(sa.Column("merged_into", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("task_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_themes_merged_into_themes"), "themes", ["merged_into"], ["id"], ondelete="SET NULL"
        )
        batch.create_foreign_key(op.f("fk_themes_task_id_tasks"), "tasks", ["task_id"], ["id"], ondelete="SET NULL")
    _restore_theme_assignments(kept)
    op.add_column("feedback", sa.Column("theme_source", sa.String(length=16), nullable=True))
    op.add_column("feedback", sa.Column("theme_score", sa.Float(), nullable=True))
    op.create_table(
        "theme_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("themes", sa.Integer(), nullable=False),
        sa.Column("unthemed", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("kept", sa.Integer(), nullable=False),
        sa.Column("retired", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme_runs")),
    )


def downgrade() -> None:
    op.drop_table("theme_runs")
    op.drop_column("feedback", "theme_score")
    op.drop_column("feedback", "theme_source")
    for column in ("discovered_at", "agenda_note", "on_agenda", "centroid", "quote_ids", "keywords"):
        op.drop_column("themes", column)
    for column in ("auto_name", "name_source", "status"):
        op.drop_column("themes", column)
    kept = _keep_theme_assignments()
    with op.batch_alter_table("themes") as batch:
        batch.drop_constraint("fk_themes_task_id_tasks", type_="foreignkey")
        batch.drop_constraint("fk_themes_merged_into_themes", type_="foreignkey")
        batch.drop_column("task_id")
        batch.drop_column("merged_into")
    _restore_theme_assignments(kept)
