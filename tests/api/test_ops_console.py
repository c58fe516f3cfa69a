"""The ops console at /ops in real headless Chromium, against a real server with the demo workspace themed:
the table, the map, drill-down, the agenda checkbox, the language switch, and server text shown only as text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from api.wiring import Services
from knowledge.demo import load_demo
from knowledge.schemas import Actor
from settings import Settings
from tests.conftest import mint_key

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
ATTACK = '<img src=x onerror="window.pwned=1">'


@pytest.fixture
def console_server(app: FastAPI, settings: Settings, live_server: str) -> str:
    services: Services = app.state.services
    load_demo(services.db, now=dt.datetime.now(dt.UTC), tz=settings.tz, simple_hours=24, complex_hours=72)
    services.themes.discover(Actor(name="test"))
    return live_server


@pytest.fixture
def ops_key(app: FastAPI, console_server: str) -> str:
    return mint_key(app, "ops").key


@pytest.fixture
def page(console_server: str) -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make system-deps` / 请运行 make system-deps", False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield browser.new_page()
        finally:
            browser.close()


@pytest.fixture
def api(console_server: str, ops_key: str) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {ops_key}"}
    with httpx.Client(base_url=console_server, timeout=30, headers=headers) as client:
        yield client


@pytest.mark.slow
def test_console_lists_maps_drills_down_and_marks(
    page: object, api: httpx.Client, console_server: str, ops_key: str
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    themes = api.get("/api/v1/themes").json()["themes"]
    first = themes[0]["id"]
    assert api.patch(f"/api/v1/themes/{first}", json={"name": ATTACK}).status_code == 200
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}"))

    page.goto(f"{console_server}/ops?lang=en#key={ops_key}")
    rows = page.locator("#themes tbody tr")
    expect(rows).to_have_count(len(themes))
    expect(page.locator("h1")).to_have_text("Ops console")
    expect(page.locator("#map circle")).to_have_count(40)
    expect(rows.first.locator(".name")).to_have_text(ATTACK)  # the name is text, not markup
    assert page.locator("#themes img").count() == 0 and page.evaluate("window.pwned") is None

    rows.nth(1).locator(".name").click()
    expect(page.locator("#detail")).to_be_visible()
    expect(page.locator("#detail-items li")).to_have_count(themes[1]["count"])

    rows.nth(1).locator("input[type=checkbox]").check()
    expect(page.locator("#status")).to_have_text("Done")
    assert api.get(f"/api/v1/themes/{themes[1]['id']}").json()["on_agenda"] is True
    assert "format=html" in (page.locator("#report-html").get_attribute("href") or "")

    page.locator("#lang").click()
    expect(page.locator("h1")).to_have_text("运营控制台")
    assert not errors, errors


@pytest.mark.slow
def test_console_asks_for_a_key_and_refuses_a_member_key(page: object, app: FastAPI, console_server: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{console_server}/ops?lang=zh")
    expect(page.locator("#key-form")).to_be_visible()
    expect(page.locator("#status")).to_contain_text("运营或管理员")
    page.fill("#key", mint_key(app, "member", member="zhaomin").key)
    page.click("#key-form button")
    expect(page.locator("#status")).to_contain_text("需要 admin/ops 密钥")
    expect(page.locator("#themes tbody tr")).to_have_count(0)
    page.fill("#key", mint_key(app, "ops").key)
    page.click("#key-form button")
    expect(page.locator("#themes tbody tr").first).to_be_visible()
    expect(page.locator("#key-form")).to_be_hidden()
