"""POST /api/v1/transcribe and /api/v1/voice/parse, and `qiao transcribe`, on real audio and the real model:
spoken commands reach the right intent and slots; bad uploads are 4xx problems, never 500s."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as cli
from settings import Settings
from tests.conftest import authorised
from tests.speech_clips import SPEECH, encode, samples_of, speak, wav

NOW = "2026-11-24T10:00:00+08:00"  # a Tuesday
PROBLEM = "application/problem+json"


def upload(data: bytes, name: str = "clip") -> dict[str, tuple[str, bytes]]:
    return {"audio": (name, data)}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("said", "voice", "intent", "slots"),
    [
        (
            "Create a task for Tom to update the deployment scripts by Friday, high priority.",
            "en-us+m3",
            "create_task",
            {"assignee": "Tom", "due": "2026-11-27", "priority": "high"},
        ),
        ("How is the Apollo project going?", "en-us+m3", "query_progress", {"project": "Apollo"}),
        ("The mobile app crashes when I upload a photo.", "en-us+m3", "report_issue", {"kind": "bug"}),
        ("How do I set up the leave approval workflow?", "en-us", "ask_howto", {}),
        ("Remind me to call the bank on the twenty fifth.", "en-us+m3", "create_task", {"due": "2026-11-25"}),
        # Whisper writes "thirteen days" here; the parser reads it only once normalised to "13 days".
        ("Remind me to renew the certificate in thirteen days.", "en-us", "create_task", {"due": "2026-12-07"}),
        ("Book me a flight to Paris.", "en-us+m3", "out_of_scope", {}),
    ],
)
def test_spoken_commands_reach_the_right_intent_and_slots(
    demo: TestClient, tmp_path: Path, said: str, voice: str, intent: str, slots: dict[str, str]
) -> None:
    gap = 3 if voice == "en-us" else 2
    clip = speak(said, tmp_path, voice=voice, speed=120 if voice == "en-us" else 125, gap=gap)
    r = demo.post("/api/v1/voice/parse", files=upload(clip, "command.wav"), data={"lang": "en", "now": NOW})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["transcript"]["language"] == "en" and body["transcript"]["text"]
    assert body["parse"]["intent"] == intent, body
    for name, value in slots.items():
        assert body["parse"]["slots"][name] == value, (name, body)


@pytest.mark.slow
def test_the_assignee_and_project_resolve_to_workspace_ids(demo: TestClient, tmp_path: Path) -> None:
    members = {m["key"]: m["id"] for m in demo.get("/api/v1/members").json()}
    clip = speak("Create a task for Tom to update the deployment scripts by Friday, high priority.", tmp_path)
    body = demo.post("/api/v1/voice/parse", files=upload(clip), data={"now": NOW}).json()
    assert body["transcript"]["language"] == "en"  # detected: no lang field sent
    assert body["parse"]["slots"]["assignee_id"] == members["tom"]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["webm", "m4a", "ogg", "mp3"])
def test_mandarin_uploads_come_back_simplified(client: TestClient, kind: str) -> None:
    clip = samples_of((SPEECH / "zh" / "fireredasr_IT0011W0001.wav").read_bytes())  # Whisper writes 換一首歌
    r = client.post("/api/v1/transcribe", files=upload(encode(clip, kind), f"clip.{kind}"), data={"lang": "zh"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["text"] == "换一首歌" and body["language"] == "zh"
    assert body["duration_s"] == pytest.approx(2.0, abs=0.15)  # AAC and Opus add a few ms of priming
    assert body["segments"][0]["text"] == "换一首歌" and 0 <= body["segments"][0]["start"] < body["segments"][0]["end"]


@pytest.mark.slow
def test_a_shared_english_clip_transcribes(client: TestClient) -> None:
    r = client.post("/api/v1/transcribe", files=upload((SPEECH / "en" / "whisper_jfk.flac").read_bytes()))
    assert r.status_code == 200, r.text
    assert r.json()["language"] == "en" and "ask not what your country can do for you" in r.json()["text"]


def _silence(seconds: float) -> bytes:
    return wav(np.zeros(int(16_000 * seconds), dtype=np.float32))


def _noise(seconds: float) -> bytes:
    return wav(np.random.default_rng(7).normal(0, 0.2, int(16_000 * seconds)).astype(np.float32))


@pytest.mark.parametrize(
    ("files", "data", "status", "fragment"),
    [
        (upload(b"this is not audio"), {}, 415, "wav, webm/opus, ogg, mp3, m4a or flac"),
        (upload(b"RIFF\x00\x00\x00\x00WAVE" + bytes(500)), {}, 422, "could not be decoded"),
        (upload(b""), {}, 422, "empty"),
        (upload(_silence(61)), {}, 413, "longer than 60 s: send a shorter clip or raise QIAO_VOICE_MAX_SECONDS"),
        (upload(_silence(3)), {"lang": "zh"}, 422, "no speech"),
        (upload(_noise(3)), {}, 422, "no speech"),
        (upload(_silence(1)), {"lang": "fr"}, 422, "lang"),
        ({"lang": (None, b"en")}, {}, 422, "audio"),  # a form without the file
    ],
)
def test_bad_uploads_are_4xx_problems(
    client: TestClient, files: dict[str, tuple[str | None, bytes]], data: dict[str, str], status: int, fragment: str
) -> None:
    r = client.post("/api/v1/transcribe", files=files, data=data)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    assert fragment in r.json()["detail"]


def test_problems_speak_chinese_when_asked(client: TestClient) -> None:
    r = client.post("/api/v1/voice/parse", files=upload(_silence(61)), headers={"Accept-Language": "zh-CN"})
    assert r.status_code == 413
    assert r.json()["detail"] == "音频超过 60 秒：请发送更短的录音，或调大 QIAO_VOICE_MAX_SECONDS"


@pytest.fixture
def small_limits(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings.model_copy(update={"voice_max_bytes": 100_000}))) as c:
        authorised(c)
        yield c


def test_size_limit_is_a_setting(small_limits: TestClient) -> None:
    just_over = small_limits.post("/api/v1/transcribe", files=upload(b"RIFF" + bytes(100_000)))
    assert just_over.status_code == 413 and "QIAO_VOICE_MAX_BYTES" in just_over.json()["detail"]
    far_over = small_limits.post("/api/v1/transcribe", files=upload(bytes(400_000)))
    assert far_over.status_code == 413  # refused by the body guard before the form is even parsed
    assert small_limits.post("/api/v1/parse", json={"text": "x" * 1_100_000}).status_code == 413  # JSON cap as before


@pytest.mark.slow
def test_cli_transcribes_a_file(tmp_path: Path, model_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QIAO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("QIAO_MODEL_CACHE_DIR", str(model_cache))
    runner = CliRunner()
    result = runner.invoke(cli, ["transcribe", str(SPEECH / "zh" / "fireredasr_IT0011W0001.wav"), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert "换一首歌" in result.output
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    refused = runner.invoke(cli, ["transcribe", str(bad)])
    assert refused.exit_code == 2 and "wav, webm/opus" in refused.output and "无法识别" in refused.output


@pytest.mark.slow
def test_a_spoken_task_becomes_a_chat_preview(demo: TestClient, tmp_path: Path) -> None:
    clip = speak("create a task in Phoenix to update the user guide by Friday", tmp_path)
    r = demo.post("/api/v1/voice", files=upload(clip), data={"lang": "en", "user": "zhaomin"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert "user guide" in body["transcript"]["text"].lower()
    assert body["intent"] == "create_task" and [a["kind"] for a in body["actions"]] == ["confirm", "edit", "cancel"]
    preview = next(c for c in body["cards"] if c["type"] == "task_preview")
    assert "user guide" in preview["title"] and preview["project"].lower() == "phoenix"
    confirmed = demo.post(f"/api/v1/chat/{body['session_id']}/actions", json={"action_id": body["actions"][0]["id"]})
    assert confirmed.json()["cards"][0]["task"]["source"] == "voice"
    history = demo.get(f"/api/v1/chat/{body['session_id']}").json()["messages"]
    assert history[0]["payload"]["source"] == "voice"
