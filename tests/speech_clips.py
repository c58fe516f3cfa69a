"""Real audio for the voice tests: English commands spoken by espeak-ng, the shared benchmark clips, and PyAV to
re-encode them as the formats browsers and phones upload (webm/opus, ogg/opus, mp3, m4a)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt
import pytest

SPEECH = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "speech"
RATE = 16_000
# (container, codec) as the uploads arrive: browsers record webm or ogg with Opus, phones m4a with AAC.
FORMATS = {
    "wav": ("wav", "pcm_s16le"),
    "webm": ("webm", "libopus"),
    "ogg": ("ogg", "libopus"),
    "mp3": ("mp3", "libmp3lame"),
    "m4a": ("ipod", "aac"),
    "flac": ("flac", "flac"),
}


def manifest() -> dict[str, dict[str, str]]:
    """The shared speech clips by path."""
    rows = [json.loads(line) for line in (SPEECH / "manifest.jsonl").read_text(encoding="utf-8").splitlines() if line]
    return {row["path"]: row for row in rows}


def speak(text: str, folder: Path, *, voice: str = "en-us+m3", speed: int = 125, gap: int = 2) -> bytes:
    """`text` spoken by espeak-ng, as WAV bytes (a word gap and a slow pace make it easier to recognise)."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        pytest.fail(
            "espeak-ng is missing: run `make system-deps` (or `apt-get install -y espeak-ng`) / 请先安装 espeak-ng"
        )
    path = folder / f"espeak-{abs(hash((text, voice, speed, gap)))}.wav"
    args = [espeak, "-v", voice, "-s", str(speed), "-g", str(gap), "-w", str(path), text]
    subprocess.run(args, check=True, capture_output=True)
    return path.read_bytes()


def samples_of(data: bytes) -> npt.NDArray[np.float32]:
    """16 kHz mono float32 samples of an audio file (PyAV)."""
    from assistant.audio import decode

    return decode(data, max_seconds=600).samples


def wav(samples: npt.NDArray[np.float32], rate: int = RATE) -> bytes:
    """16-bit mono WAV."""
    from assistant.audio import to_wav

    return to_wav(samples, rate)


def encode(samples: npt.NDArray[np.float32], kind: str) -> bytes:
    """The samples (16 kHz mono) encoded as `kind` (a key of FORMATS) by PyAV."""
    container_format, codec = FORMATS[kind]
    out = io.BytesIO()
    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16).reshape(1, -1)
    with av.open(out, mode="w", format=container_format) as container:
        rate = 48_000 if codec == "libopus" else RATE
        stream = container.add_stream(codec, rate=rate, layout="mono")
        assert isinstance(stream, av.AudioStream)
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = RATE
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()
