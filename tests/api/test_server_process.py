"""`qiao` as an operator runs it, in real processes: keys from the command line, and a server that finishes the
requests in flight when it is told to stop (SIGTERM), then exits cleanly."""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.processes import QIAO, free_port, qiao_env, qiao_serve
from tests.speech_clips import SPEECH


def _env(data_dir: Path, model_cache: Path, **extra: str) -> dict[str, str]:
    return qiao_env(data_dir, QIAO_MODEL_CACHE_DIR=str(model_cache), **extra)


def _qiao(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(QIAO), *args], env=env, capture_output=True, text=True, timeout=120, check=False)


def test_keys_from_the_command_line(tmp_path: Path, model_cache: Path) -> None:
    env = _env(tmp_path / "data", model_cache)
    made = _qiao(env, "keys", "create", "--role", "ops", "--name", "ops console", "--json")
    assert made.returncode == 0, made.stderr
    key = json.loads(made.stdout)
    assert key["key"].startswith("qiao_sk_") and key["role"] == "ops" and key["signing_secret"] is None
    site = json.loads(
        _qiao(env, "keys", "create", "--role", "site", "--origin", "https://pm.example.com", "--json").stdout
    )
    assert (
        site["key"].startswith("qiao_pk_") and site["origins"] == ["https://pm.example.com"] and site["signing_secret"]
    )
    refused = _qiao(env, "keys", "create", "--role", "site")
    assert refused.returncode != 0 and "origin" in refused.stderr
    listed = json.loads(_qiao(env, "keys", "list", "--json").stdout)
    assert {k["id"] for k in listed} == {key["id"], site["id"]}
    assert key["key"] not in json.dumps(listed)
    assert _qiao(env, "keys", "revoke", key["id"]).returncode == 0
    assert {k["id"] for k in json.loads(_qiao(env, "keys", "list", "--json").stdout)} == {site["id"]}
    token = _qiao(env, "keys", "token", site["id"], "--user", "zhaomin").stdout.strip()
    not_site = _qiao(env, "keys", "token", key["id"], "--user", "zhaomin")
    assert not_site.returncode != 0 and "not a live site key" in not_site.stderr
    assert token.startswith("v1.") and token.count(".") == 2


@pytest.mark.slow
def test_sigterm_lets_the_request_in_flight_finish(tmp_path: Path, model_cache: Path) -> None:
    port = free_port()
    env = _env(tmp_path / "data", model_cache, QIAO_WARM_START="false")
    admin = json.loads(_qiao(env, "keys", "create", "--role", "admin", "--json").stdout)["key"]
    base = f"http://127.0.0.1:{port}"
    with qiao_serve(env, port, tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as server:
        # A transcription loads Whisper first: seconds of work, still running when SIGTERM arrives.
        audio = (SPEECH / "en" / "whisper_jfk.flac").read_bytes()
        result: dict[str, httpx.Response] = {}

        def transcribe() -> None:
            result["r"] = httpx.post(
                f"{base}/api/v1/transcribe",
                files={"audio": ("jfk.flac", audio)},
                data={"lang": "en"},
                headers={"Authorization": f"Bearer {admin}"},
                timeout=120,
            )

        caller = threading.Thread(target=transcribe)
        caller.start()
        time.sleep(0.5)
        server.send_signal(signal.SIGTERM)
        caller.join(timeout=120)
        # uvicorn drains, shuts the app down, then re-raises the signal: exit by SIGTERM, after the answer went out.
        assert server.wait(timeout=60) in (0, -signal.SIGTERM)
        r = result["r"]
        assert r.status_code == 200 and "country" in r.json()["text"].lower()
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{base}/healthz", timeout=2)
