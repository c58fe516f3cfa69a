"""The database: one SQLAlchemy engine per process, read and write sessions, and migrations.

SQLite (the default) runs in WAL mode with a busy timeout. Write sessions open with `BEGIN IMMEDIATE`, so two
writers queue on the lock at the start of their transaction instead of failing half-way with "database is
locked"; readers use plain deferred transactions and never block writers. Any other SQLAlchemy URL (Postgres)
uses the driver's own transactions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from errors import BackendUnavailable
from settings import Settings

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _sqlite_engine(url: str, busy_timeout_ms: int) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module so that our BEGIN below is the only one.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get("qiao_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


class Database:
    """Owns the engine; hands out sessions; applies migrations."""

    def __init__(self, settings: Settings) -> None:
        url = settings.resolved_database_url
        self.url = url
        self.is_sqlite = make_url(url).get_backend_name() == "sqlite"
        if self.is_sqlite:
            database = make_url(url).database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            self.engine = _sqlite_engine(url, settings.sqlite_busy_timeout_ms)
        else:
            self.engine = create_engine(url, pool_pre_ping=True)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(qiao_write=True), expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reads; rolled back at the end."""
        with self._read() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session for one atomic write: committed when the block ends, rolled back if it raises."""
        with self._write() as session, session.begin():
            yield session

    def alembic_config(self) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        cfg.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return cfg

    def migrate(self, revision: str = "head") -> None:
        """Upgrade the schema to `revision` (default: the newest)."""
        cfg = self.alembic_config()
        with self.engine.connect() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)
            connection.commit()

    def current_revision(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def head_revision(self) -> str | None:
        return ScriptDirectory.from_config(self.alembic_config()).get_current_head()

    def check_ready(self) -> None:
        """Raise BackendUnavailable unless the database answers and its schema is current."""
        try:
            with self.read() as session:
                session.execute(text("SELECT 1"))
            current = self.current_revision()
        except Exception as exc:  # any driver error means "not ready"; the detail says which
            raise BackendUnavailable(
                f"database unreachable ({type(exc).__name__}): check QIAO_DATABASE_URL",
                f"数据库无法连接（{type(exc).__name__}）：请检查 QIAO_DATABASE_URL",
            ) from exc
        head = self.head_revision()
        if current != head:
            raise BackendUnavailable(
                f"database schema at {current}, expected {head}: run `qiao migrate`",
                f"数据库结构版本为 {current}，应为 {head}：请运行 `qiao migrate`",
            )

    def dispose(self) -> None:
        self.engine.dispose()
