"""Migrations upgrade an empty database and the previous revision's database, and match the ORM."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from knowledge.db import Database
from knowledge.models import Base
from settings import Settings


def _db(tmp_path: Path) -> Database:
    return Database(Settings(data_dir=tmp_path, _env_file=None))  # type: ignore[call-arg]


def test_empty_database_upgrades_to_head_in_wal_mode(tmp_path: Path) -> None:
    db = _db(tmp_path)
    db.migrate()
    assert db.current_revision() == db.head_revision()
    tables = set(inspect(db.engine).get_table_names())
    assert {"projects", "members", "tasks", "feedback", "themes", "conversations", "messages", "audit_log"} <= tables
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_every_revision_upgrades_with_its_data_kept(tmp_path: Path) -> None:
    db = _db(tmp_path)
    revisions = [r.revision for r in ScriptDirectory.from_config(db.alembic_config()).walk_revisions()][::-1]
    assert len(revisions) >= 2
    db.migrate(revisions[-2])
    now = dt.datetime.now(dt.UTC).isoformat()
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO projects (key, name, aliases, created_at, updated_at) "
                "VALUES ('phoenix', '凤凰', '[]', :now, :now)"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "INSERT INTO tasks (title, project_id, status, priority, progress, source, created_at, updated_at) "
                "VALUES ('登录页改版', 1, 'todo', 'high', 0, 'api', :now, :now)"
            ),
            {"now": now},
        )
    db.migrate()
    assert db.current_revision() == revisions[-1]
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT title, priority FROM tasks")).all() == [("登录页改版", "high")]


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    db = _db(tmp_path)
    db.migrate()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), Base.metadata)
    assert diff == []
