"""The widget in a real browser: one Qiao server (demo workspace, ingested help center) and one headless Chromium
with a fake microphone that plays a spoken clip, shared by the package; a fresh browser context per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from settings import Settings
from tests.browser.harness import (
    CHROMIUM,
    MISSING,
    SPOKEN,
    Clip,
    LiveQiao,
    Pages,
    chromium_args,
    missing_tools,
    serve,
    spoken_clip,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="package")
def _tools() -> None:
    """Fail (never skip) when the browser or the voice is missing, saying how to install them."""
    lacking = missing_tools()
    if lacking:
        pytest.fail(MISSING.format(what=", ".join(lacking)), pytrace=False)


@pytest.fixture(scope="package")
def qiao(_tools: None, tmp_path_factory: pytest.TempPathFactory, model_cache: Path) -> Iterator[LiveQiao]:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("browser"),
        model_cache_dir=model_cache,
        warm_start=False,
        _env_file=None,
    )
    with serve(settings) as live:
        yield live


@pytest.fixture(scope="package")
def api(qiao: LiveQiao) -> Iterator[httpx.Client]:
    """The REST API of the same server, as an integrator's backend would call it."""
    headers = {"Authorization": f"Bearer {qiao.admin_key}"}
    with httpx.Client(base_url=qiao.url, headers=headers, timeout=30) as client:
        yield client


@pytest.fixture(scope="package")
def clip(_tools: None, tmp_path_factory: pytest.TempPathFactory) -> Clip:
    path = tmp_path_factory.mktemp("voice") / "clip.wav"
    return Clip(path, spoken_clip(SPOKEN, path))


@pytest.fixture(scope="package")
def browser(_tools: None, clip: Clip) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=chromium_args(clip.path), headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def pages(browser: Browser, qiao: LiveQiao) -> Iterator[Pages]:
    opened = Pages(browser, qiao.url)
    try:
        yield opened
    finally:
        opened.close()
    assert not opened.errors, f"the page threw or opened a dialog: {opened.errors}"
