"""CI gate: speech-to-text on every clip of shared/benchmarks/speech stays within evals/thresholds.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.wiring import build_transcriber
from evals import speech
from settings import Settings

THRESHOLDS = json.loads((Path(speech.__file__).with_name("thresholds.json")).read_text(encoding="utf-8"))["speech"]


@pytest.mark.slow
def test_cer_and_wer_on_the_shared_clips_meet_the_thresholds(tmp_path: Path, model_cache: Path) -> None:
    settings = Settings(data_dir=tmp_path, model_cache_dir=model_cache, _env_file=None)  # type: ignore[call-arg]
    clips = speech.load_manifest()
    report = speech.evaluate(build_transcriber(settings), clips, model="whisper-base")
    speech.write(report, "pytest tests/evals/test_speech_gate.py", tmp_path)

    assert len(report.clips) == 27 and {c.lang for c in clips} == {"zh", "en"}
    assert report.cer_zh <= THRESHOLDS["cer_zh_max"], report.cer_zh
    assert report.wer_en <= THRESHOLDS["wer_en_max"], report.wer_en
    assert (tmp_path / "speech.json").exists() and (tmp_path / "speech.md").exists()
