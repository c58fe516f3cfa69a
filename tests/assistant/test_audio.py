"""Decoding uploads with PyAV: every accepted format reads as 16 kHz mono float32; anything else is a clear 4xx."""

from __future__ import annotations

import io
import wave

import numpy as np
import pytest

from assistant.audio import SAMPLE_RATE, check_size, decode, sniff_format
from errors import InvalidInput, PayloadTooLarge, QiaoError, UnsupportedMediaType
from tests.speech_clips import FORMATS, SPEECH, encode, samples_of, wav

CLIP = SPEECH / "en" / "speechbrain_spk1_snt1.wav"  # 2.87 s of real speech


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    return samples_of(CLIP.read_bytes())


@pytest.mark.parametrize("kind", list(FORMATS))
def test_every_accepted_format_decodes_to_16k_mono(speech: np.ndarray, kind: str) -> None:
    audio = decode(encode(speech, kind), max_seconds=60)
    assert audio.samples.dtype == np.float32 and audio.samples.ndim == 1
    assert audio.duration_s == pytest.approx(2.87, abs=0.1)  # AAC and Opus pad a few ms
    assert 0.05 < float(np.abs(audio.samples).max()) <= 1.5


def test_stereo_44k_is_mixed_down_and_resampled() -> None:
    t = np.arange(44_100 * 2) / 44_100
    left, right = 0.5 * np.sin(2 * np.pi * 440 * t), 0.5 * np.sin(2 * np.pi * 660 * t)
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(44_100)
        w.writeframes((np.stack([left, right], axis=1) * 32767).astype(np.int16).tobytes())
    audio = decode(out.getvalue(), max_seconds=60)
    assert len(audio.samples) == pytest.approx(2 * SAMPLE_RATE, abs=64)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "wav"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81", "matroska"),
        (b"OggS\x00\x02\x00\x00", "ogg"),
        (b"\x00\x00\x00\x1cftypM4A ", "mp4"),
        (b"fLaC\x00\x00\x00\x22", "flac"),
        (b"ID3\x04\x00\x00\x00\x00", "mp3"),
        (b"\xff\xfb\x90\x64\x00", "mp3"),
        (b"#EXTM3U\nhttp://example.com/a.ts", None),  # a playlist must never reach FFmpeg's HLS demuxer
        (b"ffconcat version 1.0\nfile /etc/passwd", None),
        (b"%PDF-1.7", None),
        (b"\x89PNG\r\n\x1a\n", None),
        (b"", None),
    ],
)
def test_containers_are_recognised_by_their_first_bytes(head: bytes, expected: str | None) -> None:
    assert sniff_format(head) == expected


@pytest.mark.parametrize(
    ("data", "error", "fragment"),
    [
        (b"hello, this is text", UnsupportedMediaType, "wav, webm/opus"),
        (b"#EXTM3U\n#EXT-X-TARGETDURATION:10\nhttp://127.0.0.1/a.ts\n", UnsupportedMediaType, "not an audio file"),
        (b"RIFF\x00\x00\x00\x00WAVE" + b"\x00" * 64, InvalidInput, "could not be decoded"),
        (b"OggS" + bytes(range(256)) * 4, InvalidInput, "could not be decoded"),
        (b"\xff\xfb" + b"\x13" * 4000, InvalidInput, "could not be decoded"),
        (b"\x00\x00\x00\x18ftypM4A " + b"\x00" * 200, InvalidInput, "could not be decoded"),
    ],
)
def test_non_audio_and_corrupt_files_are_4xx(data: bytes, error: type[QiaoError], fragment: str) -> None:
    with pytest.raises(error) as caught:
        decode(data, max_seconds=60)
    assert 400 <= caught.value.status < 500
    assert fragment in caught.value.detail_en and caught.value.detail_zh != caught.value.detail_en


@pytest.mark.parametrize("kind", ["wav", "webm", "mp3", "m4a"])
def test_a_file_cut_after_its_header_is_4xx(speech: np.ndarray, kind: str) -> None:
    whole = encode(speech, kind)
    with pytest.raises(InvalidInput, match="could not be decoded"):
        decode(whole[:60], max_seconds=60)


def test_a_file_cut_in_the_middle_keeps_what_was_recorded(speech: np.ndarray) -> None:
    half = encode(speech, "wav")
    audio = decode(half[: len(half) // 2], max_seconds=60)
    assert audio.duration_s == pytest.approx(2.87 / 2, abs=0.05)


def test_too_long_stops_decoding_with_the_setting_to_raise() -> None:
    long = wav(np.zeros(SAMPLE_RATE * 61, dtype=np.float32))
    with pytest.raises(PayloadTooLarge) as caught:
        decode(long, max_seconds=60)
    assert "longer than 60 s" in caught.value.detail_en and "QIAO_VOICE_MAX_SECONDS" in caught.value.detail_en
    assert "60 秒" in caught.value.detail_zh


def test_size_limits() -> None:
    check_size(10_000_000, 10_000_000)
    with pytest.raises(PayloadTooLarge, match="QIAO_VOICE_MAX_BYTES"):
        check_size(10_000_001, 10_000_000)
    with pytest.raises(InvalidInput, match="empty"):
        check_size(0, 10_000_000)
