"""The speech DEV set: our own sentences spoken by espeak-ng, for choosing Whisper's decoding options without
looking at the test clips of shared/benchmarks/speech.

The sentences are in `evals/data/speech_dev/{zh,en}.jsonl` (40 Mandarin, 20 English; half project-management
commands, half everyday speech with numbers, times and fillers, written as they are spoken). Each is spoken at
eval time with a voice, speed and pitch picked by its line number, padded with 0.2-1.2 s of silence at each end
and, for about two clips in three, given white noise at 35 or 25 dB SNR (seeded, so every run hears the same audio).
The WAV files are cached in a folder named by a hash of the sentences, the settings and the espeak-ng version;
nothing generated is committed.

espeak-ng's `cmn-latn-pinyin` voice is used for Mandarin: the plain `cmn` voice spells characters missing from
its short list as pinyin read with English rules ("ming two tian one"). Its speech is robotic and Whisper base
hears it badly (CER near 1, with runaway repetitions on some clips), far worse than real speech: the set ranks
decoding options, its absolute figures mean little, and the report adds capped rates (a clip counts at most
its reference length) and the number of runaway clips, so that one loop does not decide a comparison.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.audio import SAMPLE_RATE, decode, to_wav
from errors import BackendUnavailable
from evals.speech import Clip
from settings import Language

DEV_DATA = Path(__file__).resolve().parent / "data" / "speech_dev"
_LANGUAGES: tuple[Language, ...] = ("zh", "en")
_VOICES: dict[Language, tuple[str, ...]] = {
    "zh": ("cmn-latn-pinyin+f4", "cmn-latn-pinyin+m7", "cmn-latn-pinyin+m1", "cmn-latn-pinyin"),
    "en": ("en-us", "en-us+f3", "en-us+m3", "en-us+f2"),
}
_SPEEDS: dict[Language, tuple[int, ...]] = {"zh": (120, 135, 150), "en": (140, 160, 180)}
_PITCHES = (35, 50, 65, 45, 55)
_SNR_DB = (None, 35.0, 25.0)


@dataclass(frozen=True)
class Voicing:
    """How one sentence is spoken: espeak-ng voice, words per minute, pitch (0-99), noise, padding (seconds)."""

    voice: str
    speed: int
    pitch: int
    snr_db: float | None
    lead_s: float
    tail_s: float


def voicing(lang: Language, index: int) -> Voicing:
    """The voicing of the `index`-th sentence of `lang`: voice, speed and pitch cycle through tables of
    different lengths, noise and padding are drawn from a generator seeded with `index`."""
    rng = np.random.default_rng(index)
    return Voicing(
        voice=_VOICES[lang][index % len(_VOICES[lang])],
        speed=_SPEEDS[lang][index % len(_SPEEDS[lang])],
        pitch=_PITCHES[index % len(_PITCHES)],
        snr_db=_SNR_DB[int(rng.integers(len(_SNR_DB)))],
        lead_s=round(float(rng.uniform(0.2, 1.2)), 2),
        tail_s=round(float(rng.uniform(0.2, 1.2)), 2),
    )


def load_sentences(lang: Language, folder: Path = DEV_DATA) -> list[dict[str, str]]:
    """The dev sentences of `lang`: rows with id, kind (command or general) and text."""
    lines = (folder / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def synthesise(cache: Path, folder: Path = DEV_DATA) -> tuple[list[Clip], Path]:
    """Speak every dev sentence into WAV files under `cache` (once: later calls reuse them); returns the clips
    and the folder their paths are relative to. Raises BackendUnavailable when espeak-ng is missing."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise BackendUnavailable(
            "espeak-ng is missing: run `make system-deps` (or `apt-get install -y espeak-ng`) to build the dev set",
            "缺少 espeak-ng：请运行 `make system-deps`（或 `apt-get install -y espeak-ng`）以生成开发集",
        )
    version = subprocess.run([espeak, "--version"], check=True, capture_output=True, text=True).stdout
    plan = [(lang, row, voicing(lang, i)) for lang in _LANGUAGES for i, row in enumerate(load_sentences(lang, folder))]
    key = hashlib.sha256(repr((version, plan)).encode()).hexdigest()[:16]
    out = cache / f"speech-dev-{key}"
    clips = []
    for lang, row, how in plan:
        path = out / lang / f"{row['id']}.wav"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            _speak(espeak, row["text"], how, path, seed=int(hashlib.sha256(row["id"].encode()).hexdigest()[:8], 16))
        duration = decode(path.read_bytes(), max_seconds=600).duration_s
        clips.append(Clip(f"{lang}/{row['id']}.wav", lang, row["text"], round(duration, 3)))
    return clips, out


def _speak(espeak: str, text: str, how: Voicing, path: Path, *, seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        args = [espeak, "-v", how.voice, "-s", str(how.speed), "-p", str(how.pitch), "-w", str(raw), text]
        subprocess.run(args, check=True, capture_output=True)
        speech = decode(raw.read_bytes(), max_seconds=600).samples
    silence = [np.zeros(int(s * SAMPLE_RATE), dtype=np.float32) for s in (how.lead_s, how.tail_s)]
    samples = np.concatenate([silence[0], speech, silence[1]])
    if how.snr_db is not None:
        rms = float(np.sqrt(np.mean(speech**2))) or 1e-4
        noise = np.random.default_rng(seed).normal(0.0, rms / 10 ** (how.snr_db / 20), samples.shape)
        samples = samples + noise.astype(np.float32)
    partial = path.with_suffix(".part")
    partial.write_bytes(to_wav(np.clip(samples, -1.0, 1.0).astype(np.float32)))
    partial.replace(path)  # a run cut short leaves no half-written clip behind
