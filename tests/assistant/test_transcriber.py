"""The real Whisper base weights, joined from the two packages, on real recorded speech from shared/benchmarks."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from api.wiring import build_transcriber
from assistant.audio import decode
from assistant.transcriber import Transcriber
from assistant.whisper_model import BASE_MODEL_BYTES, BASE_MODEL_SHA256, joined_base_model, resolve_model_dir
from errors import BackendUnavailable
from evals import speech
from settings import Settings
from tests.speech_clips import SPEECH

SHORT = 5.0  # command-length clips; the eval gate (tests/evals) scores every clip


@pytest.fixture
def whisper(tmp_path: Path, model_cache: Path) -> Transcriber:
    """The bundled model from the session's model cache (joined once, loaded once per process)."""
    settings = Settings(data_dir=tmp_path, model_cache_dir=model_cache, _env_file=None)  # type: ignore[call-arg]
    return build_transcriber(settings)


def test_the_shipped_parts_join_once_into_a_verified_model(tmp_path: Path) -> None:
    folder = joined_base_model(tmp_path / "whisper-base")
    model = folder / "model.bin"
    assert model.stat().st_size == BASE_MODEL_BYTES
    assert hashlib.sha256(model.read_bytes()).hexdigest() == BASE_MODEL_SHA256
    assert {p.name for p in folder.iterdir()} == {"model.bin", "config.json", "tokenizer.json", "vocabulary.txt"}
    stamp = model.stat().st_mtime_ns
    assert joined_base_model(folder) == folder and model.stat().st_mtime_ns == stamp  # not joined twice


def test_a_half_written_model_is_joined_again(tmp_path: Path) -> None:
    folder = joined_base_model(tmp_path / "whisper-base")
    with (folder / "model.bin").open("r+b") as f:
        f.truncate(1000)
    assert joined_base_model(folder) == folder
    assert (folder / "model.bin").stat().st_size == BASE_MODEL_BYTES


def test_a_configured_folder_must_be_a_ctranslate2_model(tmp_path: Path) -> None:
    with pytest.raises(BackendUnavailable) as caught:
        resolve_model_dir(tmp_path, tmp_path / "cache")
    assert "model.bin" in caught.value.detail_en and "QIAO_WHISPER_MODEL_DIR" in caught.value.detail_zh


@pytest.mark.slow
def test_a_broken_configured_model_is_503_not_a_crash(tmp_path: Path, model_cache: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    shutil.copy(resolve_model_dir(None, model_cache) / "config.json", broken / "config.json")
    (broken / "model.bin").write_bytes(b"not a model")
    settings = Settings(data_dir=tmp_path, whisper_model_dir=broken, _env_file=None)  # type: ignore[call-arg]
    audio = decode((SPEECH / "en" / "speechbrain_spk1_snt1.wav").read_bytes(), max_seconds=60)
    with pytest.raises(BackendUnavailable, match="failed to load"):
        build_transcriber(settings).transcribe(audio, "en")


@pytest.mark.slow
def test_short_shared_clips_transcribe_within_the_targets(whisper: Transcriber) -> None:
    clips = [c for c in speech.load_manifest(SPEECH) if c.duration_s <= SHORT]
    assert {c.lang for c in clips} == {"zh", "en"}
    report = speech.evaluate(whisper, clips, SPEECH)
    assert report.cer_zh <= 0.15, [(r.reference, r.hypothesis) for r in report.clips if r.errors]
    assert report.wer_en <= 0.06, [(r.reference, r.hypothesis) for r in report.clips if r.errors]
    hypotheses = {r.path: r.hypothesis for r in report.clips}
    assert hypotheses["zh/fireredasr_IT0011W0001.wav"] == "换一首歌"  # Whisper wrote 換: converted


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "language"),
    [("zh/fireredasr_TEST_NET_Y0000000000_S00000.wav", "zh"), ("en/speechbrain_spk1_snt3.wav", "en")],
)
def test_without_a_language_whisper_tells_zh_from_en(whisper: Transcriber, path: str, language: str) -> None:
    transcript = whisper.transcribe(decode((SPEECH / path).read_bytes(), max_seconds=60), None)
    assert transcript.language == language and transcript.text
    assert transcript.segments and transcript.segments[-1].end <= transcript.duration_s + 0.5
