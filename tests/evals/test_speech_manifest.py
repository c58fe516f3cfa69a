"""`qiao eval speech --manifest DIR`: a team measures Whisper on its own recordings; a manifest that can't be scored
is refused with the line and what to fix, before any model loads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evals.cli import eval_app
from tests.speech_clips import speak

WIDE = {"COLUMNS": "400"}  # rich boxes errors at the terminal's width: one line each, as the tests read them
SPOKEN = [
    ("create-task.wav", "en", "create a task to review the budget"),
    ("close-task.wav", "en", "mark the login page task as done"),
    ("zh-create.wav", "zh", "明天开会"),
]


def _settings(tmp_path: Path, model_cache: Path) -> dict[str, str]:
    """The run's data folder and the test session's model cache (the Whisper weights are joined there once)."""
    return {"QIAO_DATA_DIR": str(tmp_path / "data"), "QIAO_MODEL_CACHE_DIR": str(model_cache)} | WIDE


def _manifest(folder: Path, rows: list[object]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [row if isinstance(row, str) else json.dumps(row, ensure_ascii=False) for row in rows]
    (folder / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.mark.slow
def test_own_clips_are_transcribed_scored_and_written_under_their_own_name(tmp_path: Path, model_cache: Path) -> None:
    clips = tmp_path / "clips"
    clips.mkdir()
    for name, lang, text in SPOKEN:
        voice = "cmn" if lang == "zh" else "en-us+m3"
        (clips / name).write_bytes(speak(text, tmp_path, voice=voice))
    # No duration_s: it is read from the audio.
    _manifest(clips, [{"path": name, "lang": lang, "text": text} for name, lang, text in SPOKEN])
    out = tmp_path / "out"

    result = CliRunner().invoke(
        eval_app, ["speech", "--manifest", str(clips), "--out", str(out)], env=_settings(tmp_path, model_cache)
    )

    assert result.exit_code == 0, result.output
    report = json.loads((out / "speech_manifest.json").read_text(encoding="utf-8"))
    assert report["split"] == "manifest" and f"--manifest {clips}" in report["command"]
    assert [c["path"] for c in report["clips"]] == [name for name, _, _ in SPOKEN]
    assert all(c["duration_s"] > 1.0 for c in report["clips"])
    assert report["wer_en"] <= 0.25, report["clips"]
    assert report["clips"][2]["length"] == 4  # 明天开会, scored as Chinese characters
    assert "# Speech eval of the clips in a manifest" in (out / "speech_manifest.md").read_text(encoding="utf-8")
    assert not (out / "speech.json").exists()


@pytest.mark.slow
def test_a_language_without_clips_shows_no_rate_rather_than_a_perfect_one(tmp_path: Path, model_cache: Path) -> None:
    clips = tmp_path / "clips"
    clips.mkdir()
    (clips / "a.wav").write_bytes(speak("close the budget task", tmp_path))
    _manifest(clips, [{"path": "a.wav", "lang": "en", "text": "close the budget task"}])
    out = tmp_path / "out"

    result = CliRunner().invoke(
        eval_app, ["speech", "--manifest", str(clips), "--out", str(out)], env=_settings(tmp_path, model_cache)
    )

    assert result.exit_code == 0, result.output
    report = (out / "speech_manifest.md").read_text(encoding="utf-8")
    assert "| zh | 0 | CER | — |" in report and "Capped (a clip counts at most its length): CER —, WER 0." in report


@pytest.mark.parametrize(
    ("rows", "said"),
    [
        ([], "lists no clips"),
        (["{not json"], "manifest.jsonl:1: not JSON"),
        ([["a.wav", "en", "hi"]], "each line must be an object"),
        ([{"path": "missing.wav", "lang": "en", "text": "hi"}], "'missing.wav' is not an audio file"),
        ([{"path": "a.wav", "lang": "fr", "text": "bonjour"}], "lang must be 'zh' or 'en'"),
        ([{"path": "a.wav", "lang": "zh", "text": " "}], "text must be what was said"),
        ([{"path": "a.wav", "lang": "en", "text": "hi", "duration_s": "long"}], "duration_s must be seconds"),
        (["", {"path": "a.wav", "lang": "en", "text": "hi"}, {"path": "b.wav"}], "manifest.jsonl:3: path 'b.wav'"),
    ],
)
def test_a_manifest_that_cant_be_scored_is_refused_with_the_line_and_the_fix(
    tmp_path: Path, rows: list[object], said: str
) -> None:
    folder = _manifest(tmp_path / "clips", rows)
    (folder / "a.wav").write_bytes(b"RIFF")  # never opened: the manifest is checked before any audio is read
    out = tmp_path / "out"

    result = CliRunner().invoke(eval_app, ["speech", "--manifest", str(folder), "--out", str(out)], env=WIDE)

    assert result.exit_code == 2
    flat = " ".join(result.output.split())
    assert said in flat, result.output
    assert any("\u4e00" <= ch <= "\u9fff" for ch in flat)  # and in Chinese
    assert not out.exists()


def test_a_folder_without_a_manifest_is_refused(tmp_path: Path) -> None:
    folder, out = str(tmp_path), str(tmp_path / "out")
    result = CliRunner().invoke(eval_app, ["speech", "--manifest", folder, "--out", out], env=WIDE)
    assert result.exit_code == 2
    assert "put a manifest.jsonl beside the clips" in " ".join(result.output.split())


@pytest.mark.slow
def test_a_clip_that_is_not_audio_is_named_and_nothing_is_written(tmp_path: Path, model_cache: Path) -> None:
    folder = _manifest(tmp_path / "clips", [{"path": "notes.wav", "lang": "en", "text": "hello"}])
    (folder / "notes.wav").write_text("meeting notes, not a recording", encoding="utf-8")
    out = tmp_path / "out"

    result = CliRunner().invoke(
        eval_app, ["speech", "--manifest", str(folder), "--out", str(out)], env=_settings(tmp_path, model_cache)
    )

    assert result.exit_code == 2
    assert "notes.wav" in " ".join(result.output.split())
    assert not out.exists()
