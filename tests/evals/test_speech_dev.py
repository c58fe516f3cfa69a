"""The synthetic speech dev set: our sentences, spoken by the real espeak-ng, cached, and the same every run."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.wiring import whisper_decoding
from assistant.audio import decode
from assistant.transcriber import Decoding
from evals.speech_dev import load_sentences, synthesise, voicing
from settings import Settings


@pytest.mark.parametrize(("lang", "count"), [("zh", 40), ("en", 20)])
def test_the_sentences_are_half_commands_of_varied_length(lang: str, count: int) -> None:
    rows = load_sentences(lang)  # type: ignore[arg-type]
    assert len(rows) == count and len({r["id"] for r in rows}) == count
    assert sum(r["kind"] == "command" for r in rows) == count // 2
    if lang == "zh":
        assert min(len(r["text"]) for r in rows) <= 6 and max(len(r["text"]) for r in rows) >= 50
        assert not any(ch.isdigit() for r in rows for ch in r["text"])  # written as spoken: 三点, not 3点


def test_voicings_vary_and_are_reproducible() -> None:
    voicings = [voicing("zh", i) for i in range(40)]
    assert voicings == [voicing("zh", i) for i in range(40)]
    assert len({v.voice for v in voicings}) > 1 and len({v.speed for v in voicings}) > 1
    assert {v.snr_db for v in voicings} >= {None, 25.0}
    assert all(0.2 <= v.lead_s <= 1.2 and 0.2 <= v.tail_s <= 1.2 for v in voicings)


def test_the_dev_clips_are_spoken_once_and_reused(tmp_path: Path) -> None:
    clips, folder = synthesise(tmp_path)
    assert [c.lang for c in clips].count("zh") == 40 and [c.lang for c in clips].count("en") == 20
    first = folder / clips[0].path
    audio = decode(first.read_bytes(), max_seconds=60)
    assert audio.duration_s == pytest.approx(clips[0].duration_s, abs=0.01) and audio.duration_s > 1.0
    stamp = first.stat().st_mtime_ns
    again, same_folder = synthesise(tmp_path)
    assert again == clips and same_folder == folder and first.stat().st_mtime_ns == stamp
    assert not list(folder.rglob("*.part"))


def test_decoding_options_come_from_settings() -> None:
    settings = Settings(
        whisper_beam_size=3, whisper_prompt_zh="以下是普通话的句子。", whisper_vad_speech_pad_ms=200, _env_file=None
    )
    decoding = whisper_decoding(settings)
    assert decoding == Decoding(beam_size=3, prompt_zh="以下是普通话的句子。", vad_speech_pad_ms=200)
    assert "beam 3" in decoding.describe() and "以下是普通话的句子。" in decoding.describe()
