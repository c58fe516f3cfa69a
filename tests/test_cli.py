"""The `qiao` command line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.wiring import build_services
from knowledge.db import Database
from knowledge.enums import Role
from settings import Settings

runner = CliRunner()


def test_help_is_bilingual() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "qiao demo load" in result.output and "演示" in result.output


def test_demo_load_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QIAO_DATA_DIR", str(tmp_path))
    first = runner.invoke(app, ["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "60 tasks" in first.output
    second = runner.invoke(app, ["demo", "load"])
    assert second.exit_code == 0 and "already loaded" in second.output
    # The same demo admin key each time (printed again just before `make run` serves), and it is a live one.
    key = re.search(r"qiao_sk_\S+", first.output)
    assert key is not None and key[0] in second.output and key[0] in runner.invoke(app, ["demo", "keys"]).output
    settings = Settings(data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    services = build_services(settings)
    holder = services.keys.verify(key[0])
    services.close()
    assert holder is not None and holder.role is Role.admin
    migrated = runner.invoke(app, ["migrate"])
    head = Database(Settings(data_dir=tmp_path, _env_file=None)).head_revision()  # type: ignore[call-arg]
    assert migrated.exit_code == 0 and f"revision {head}" in migrated.output
