"""A real Qiao server and a real Chromium, shared by the browser tests and the screenshot script.

Chromium is Debian's /usr/bin/chromium (installed by `make system-deps` / `.ci/run` with apt), driven by the
Python `playwright` package; Playwright's own browser downloads are never used.
"""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import subprocess
import threading
import time
import wave
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import uvicorn

from api.app import create_app
from api.wiring import Services
from knowledge.demo import load_demo
from knowledge.demo.access import ensure_demo_keys
from settings import Settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Dialog, Page

CHROMIUM = Path("/usr/bin/chromium")
# Headless, and quiet: without the background-networking flags Chromium keeps calling home on a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING = (
    "{what} is missing: run `make system-deps` (apt-get install -y chromium espeak-ng) and "
    "`pip install -e '.[dev]'` (the playwright package; never `playwright install`) / "
    "缺少 {what}：请运行 make system-deps 并安装 dev 依赖"
)


# The voice test asks this aloud; Whisper base hears espeak-ng's reading of it word for word.
SPOKEN = "How is the Apollo project going?"


def missing_tools() -> list[str]:
    """What the browser tests need and this machine lacks (empty when all is there)."""
    lacking = []
    if not CHROMIUM.exists():
        lacking.append(f"Chromium ({CHROMIUM})")
    if shutil.which("espeak-ng") is None:
        lacking.append("espeak-ng")
    try:
        import playwright  # noqa: F401
    except ImportError:
        lacking.append("the playwright Python package")
    return lacking


def chromium_args(fake_audio: Path | None = None) -> list[str]:
    """Launch flags; with `fake_audio`, a fake microphone that plays that WAV once."""
    if fake_audio is None:
        return list(CHROMIUM_ARGS)
    return [
        *CHROMIUM_ARGS,
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={fake_audio}%noloop",
    ]


def spoken_clip(text: str, path: Path, *, lead_s: float = 0.4, tail_s: float = 1.2) -> float:
    """`text` spoken by espeak-ng (US English) into a 16-bit WAV at `path`, with silence around it for the
    recorder to start and stop in; returns the clip's length in seconds."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise RuntimeError(MISSING.format(what="espeak-ng"))
    raw = path.with_suffix(".raw.wav")
    subprocess.run([espeak, "-v", "en-us+m3", "-s", "125", "-g", "2", "-w", str(raw), text], check=True)
    with wave.open(str(raw), "rb") as r:
        params = r.getparams()
        speech = r.readframes(params.nframes)
    frame = params.sampwidth * params.nchannels
    lead = b"\0" * int(lead_s * params.framerate) * frame
    tail = b"\0" * int(tail_s * params.framerate) * frame
    with wave.open(str(path), "wb") as w:
        w.setparams(params)
        w.writeframes(lead + speech + tail)
    raw.unlink()
    return (len(lead) + len(speech) + len(tail)) / frame / params.framerate


@dataclass(frozen=True)
class Clip:
    """A WAV file for Chromium's fake microphone, and its length."""

    path: Path
    seconds: float


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass(frozen=True)
class LiveQiao:
    """A running server: its base URL and its services (to load data or read the database directly)."""

    url: str
    services: Services
    admin_key: str


@contextmanager
def serve(settings: Settings) -> Iterator[LiveQiao]:
    """Qiao on a real uvicorn on a loopback port, with the demo workspace loaded and the help center ingested."""
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, name="qiao-live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        services: Services = app.state.services
        load_demo(
            services.db,
            now=dt.datetime.now(dt.UTC),
            tz=settings.tz,
            simple_hours=settings.sla_simple_hours,
            complex_hours=settings.sla_complex_hours,
        )
        services.ingestor.ingest_paths([settings.docs_dir])
        services.understanding.warm()  # train or load the classifiers now, not in the first test's turn
        url = f"http://127.0.0.1:{server.config.port}"
        keys, _ = ensure_demo_keys(services.keys, settings.data_dir, [url])
        yield LiveQiao(url=url, services=services, admin_key=keys.admin)
    finally:
        server.should_exit = True
        thread.join(timeout=15)


class Pages:
    """Opens the demo page in fresh browser contexts (own storage, viewport, permissions) and checks, at the end
    of the test, that no script on the page threw."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.contexts: list[BrowserContext] = []
        self.errors: list[str] = []

    def open(
        self,
        lang: str = "zh",
        *,
        width: int = 1280,
        height: int = 800,
        microphone: bool = False,
        phone: bool = False,
        before: Callable[[Page], None] | None = None,
    ) -> Page:
        context = self.browser.new_context(
            base_url=self.base_url,
            viewport={"width": width, "height": height},
            locale="zh-CN" if lang == "zh" else "en-US",
            is_mobile=phone,
            has_touch=phone,
            device_scale_factor=2 if phone else 1,
        )
        context.set_default_timeout(20_000)
        if microphone:
            context.grant_permissions(["microphone"], origin=self.base_url)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("dialog", self._dialog)
        if before is not None:
            before(page)
        page.goto(f"/?lang={lang}")
        return page

    def _dialog(self, dialog: Dialog) -> None:
        self.errors.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def close(self) -> None:
        for context in self.contexts:
            context.close()
