"""Speech to text: the `Transcriber` protocol, what it returns, and the faster-whisper adapter.

`FasterWhisper` runs a CTranslate2 Whisper model on the CPU (int8, a few threads), loaded from a local folder on
first use and shared by every app in the process. Decoding is deterministic (temperature 0, beam search), the
Silero voice-activity filter drops silence first, and the language is the caller's when it gives one: Whisper's
own guess, limited to Chinese and English, is only the fallback. The options of `Decoding` come from settings
(QIAO_WHISPER_*); their defaults were chosen on the synthetic dev set, never on the test clips (docs/voice.md).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from assistant.audio import SAMPLE_RATE, Audio
from errors import BackendUnavailable
from settings import Language

_DETECT_SECONDS = 30  # Whisper reads one 30 s window to guess the language


class Segment(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: float = Field(description="Seconds from the start of the clip.")
    end: float = Field(description="Seconds from the start of the clip.")
    text: str


class Transcript(BaseModel):
    """What was said: the text (empty when no speech was heard), its language, the clip's length, the segments."""

    model_config = ConfigDict(frozen=True)

    text: str
    language: Language
    duration_s: float = Field(description="Length of the clip, in seconds.")
    segments: list[Segment]


class Transcriber(Protocol):
    """Turns decoded audio into text."""

    def transcribe(self, audio: Audio, language: Language | None) -> Transcript:
        """The transcript of `audio` in `language` (None: detect zh or en). Raises BackendUnavailable when the
        model cannot be loaded."""
        ...


@dataclass(frozen=True)
class Decoding:
    """How Whisper decodes: beam search width, patience and length penalty (faster-whisper's meanings), a prompt
    for Mandarin only (empty: none), and the voice-activity filter's shortest silence that splits speech and the
    padding kept around speech (milliseconds)."""

    beam_size: int = 5
    patience: float = 1.0
    length_penalty: float = 0.6
    prompt_zh: str = ""
    vad_min_silence_ms: int = 2000
    vad_speech_pad_ms: int = 400

    def describe(self) -> str:
        """The options as one line, for reports."""
        prompt = f", prompt_zh {self.prompt_zh!r}" if self.prompt_zh else ""
        return (
            f"beam {self.beam_size}, patience {self.patience:g}, length_penalty {self.length_penalty:g}{prompt}, "
            f"VAD min_silence {self.vad_min_silence_ms} ms, speech_pad {self.vad_speech_pad_ms} ms"
        )


class _WhisperSegment(Protocol):
    """The part of faster-whisper's Segment used here."""

    start: float
    end: float
    text: str


class _WhisperModel(Protocol):
    """The part of faster-whisper's WhisperModel used here (the package ships no type information)."""

    def transcribe(
        self, audio: npt.NDArray[np.float32], **options: Any
    ) -> tuple[Iterable[_WhisperSegment], object]: ...

    def detect_language(self, audio: npt.NDArray[np.float32]) -> tuple[str, float, list[tuple[str, float]]]: ...


class FasterWhisper:
    """A faster-whisper model from a local CTranslate2 folder, loaded lazily, once per process and folder."""

    def __init__(self, model_dir: Callable[[], Path], *, threads: int = 2, decoding: Decoding | None = None) -> None:
        self._model_dir = model_dir
        self.threads = threads
        self.decoding = decoding or Decoding()

    @property
    def model(self) -> _WhisperModel:
        """The loaded model (loads it, and joins the bundled weights, on first use)."""
        return _load(self._model_dir(), self.threads)

    def warm(self) -> None:
        """Load the model now rather than on the first request."""
        _ = self.model

    def transcribe(self, audio: Audio, language: Language | None) -> Transcript:
        from faster_whisper.vad import VadOptions, get_speech_timestamps  # type: ignore[import-untyped]

        duration = round(audio.duration_s, 3)
        options = self.decoding
        vad = VadOptions(min_silence_duration_ms=options.vad_min_silence_ms, speech_pad_ms=options.vad_speech_pad_ms)
        speech: list[dict[str, int]] = get_speech_timestamps(audio.samples, vad)
        if not speech:  # silence or noise: no need to wake the decoder (which would invent "Thank you.")
            return Transcript(text="", language=language or "en", duration_s=duration, segments=[])
        model = self.model
        if language is None:
            language = _detect(model, np.concatenate([audio.samples[c["start"] : c["end"]] for c in speech]))
        found, _info = model.transcribe(
            audio.samples,
            language=language,
            task="transcribe",
            beam_size=options.beam_size,
            patience=options.patience,
            length_penalty=options.length_penalty,
            temperature=0.0,
            initial_prompt=(options.prompt_zh or None) if language == "zh" else None,
            condition_on_previous_text=False,  # a misheard window must not steer the next one
            vad_filter=True,
            vad_parameters=vad,
        )
        segments = [Segment(start=round(s.start, 2), end=round(s.end, 2), text=s.text.strip()) for s in found]
        segments = [s for s in segments if s.text]
        joiner = "" if language == "zh" else " "
        text = joiner.join(s.text for s in segments)
        return Transcript(text=text, language=language, duration_s=duration, segments=segments)


def _detect(model: _WhisperModel, speech: npt.NDArray[np.float32]) -> Language:
    """zh or en, whichever Whisper finds likelier in the first 30 s of speech."""
    _, _, ranked = model.detect_language(audio=speech[: _DETECT_SECONDS * SAMPLE_RATE])
    probabilities = dict(ranked)
    return "zh" if probabilities.get("zh", 0.0) > probabilities.get("en", 0.0) else "en"


_models: dict[tuple[Path, int], _WhisperModel] = {}
_models_lock = threading.Lock()


def _load(model_dir: Path, threads: int) -> _WhisperModel:
    key = (model_dir.resolve(), threads)
    model = _models.get(key)
    if model is None:
        with _models_lock:
            model = _models.get(key)
            if model is None:
                from faster_whisper import WhisperModel  # type: ignore[import-untyped]

                try:  # a local folder and local_files_only: faster-whisper never reaches for a model hub
                    model = WhisperModel(
                        str(key[0]), device="cpu", compute_type="int8", cpu_threads=threads, local_files_only=True
                    )
                except (RuntimeError, OSError, ValueError) as exc:
                    raise BackendUnavailable(
                        f"the Whisper model in {model_dir} failed to load ({exc}): check QIAO_WHISPER_MODEL_DIR "
                        "points at a complete CTranslate2 Whisper folder",
                        f"{model_dir} 中的 Whisper 模型加载失败（{exc}）：请确认 QIAO_WHISPER_MODEL_DIR 指向完整的 "
                        "CTranslate2 Whisper 模型目录",
                    ) from exc
                _models[key] = model
    return model
